internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `schema: scales:`, the questionnaires: item count, answer range, reversed items, scores, and classes with
/// their compiled rules.
struct ScaleSection {
    /// A class rule as written, compiled once every class name of its scale is known.
    private struct ClassRule {
        var className: String
        var condition: YAMLNode
    }

    /// The merged `schema: scales:` of every layer.
    let table: Definitions.Table
    /// The schema's fields, events and settings: a class rule may read the record's number, yes/no and enumeration
    /// fields.
    let schema: Schema
    /// Parameter values: `at_least` and a class rule may name one.
    let parameters: [String: Double]
    /// The rule set's roles. A scale is sensitive unless it says otherwise, but not in a rule set that declares no
    /// roles: with no role to withhold it from, every reader is the same reader, and a sensitive scale would show as
    /// `withheld` to all of them.
    let roles: [Role]

    func decode(_ decoder: inout NodeDecoder) -> [ScaleDefinition] {
        var scales: [ScaleDefinition] = []
        for name in table.order {
            guard let node = table.node(name) else { continue }
            if let scale = decodeScale(name, node, index: scales.count, &decoder) { scales.append(scale) }
        }
        return scales
    }

    /// Whether a scale is sensitive: as written, else when the rule set declares roles. A sensitive scale that no role
    /// may see is shown to nobody, which is worth a warning.
    private func sensitive(
        _ node: YAMLNode?, of name: String, at location: SourceLocation, _ decoder: inout NodeDecoder
    ) -> Bool {
        let sensitive = decoder.boolean(node, "sensitive") ?? !roles.isEmpty
        if sensitive, !roles.contains(where: \.seesSensitive) {
            decoder.bag.warning(
                .sensitivity,
                "found the scale \(name), sensitive\(node == nil ? " (the default where roles are declared)" : ""), "
                    + "but no role sees sensitive facts, so every output withholds it; expected sees_sensitive: true on "
                    + "a role that may see it, or sensitive: false on the scale",
                at: node?.location ?? location)
        }
        return sensitive
    }

    private func decodeScale(_ name: String, _ node: YAMLNode, index: Int, _ decoder: inout NodeDecoder)
        -> ScaleDefinition?
    {
        guard
            let entries = decoder.fields(
                node, "scale \(name)",
                allowed: [
                    "label", "items", "answers", "reverse", "scores", "classes", "otherwise", "sensitive", "source",
                ],
                required: ["items", "answers"])
        else { return nil }
        guard let countNode = entries["items"]?.value, let count = NodeDecoder.parseNumber(countNode), count >= 1,
            count <= 1000, count == count.rounded()
        else {
            if let countNode = entries["items"]?.value {
                decoder.bag.error(
                    NodeDecoder.numberCode(countNode),
                    "found \(countNode.kindDescription) for items of \(name); expected the number of items, 1 to 1000",
                    at: countNode.location)
            }
            return nil
        }
        let itemCount = Int(count)
        var minimum = 0.0
        var maximum = 0.0
        if let answers = entries["answers"]?.value {
            let items = answers.items ?? []
            let bounds = items.compactMap { NodeDecoder.parseNumber($0) }
            if items.count == 2, bounds.count == 2, bounds[0] < bounds[1], bounds.allSatisfy({ $0 == $0.rounded() }) {
                minimum = bounds[0]
                maximum = bounds[1]
            } else {
                decoder.bag.error(
                    .typeMismatch,
                    "found \(answers.kindDescription) for answers of \(name); expected [lowest, highest] in whole numbers, such as [0, 3]",
                    at: answers.location)
            }
        }
        let reversed = Set(itemIndices(entries["reverse"]?.value, itemCount: itemCount, "reverse", &decoder))
        var scores: [ScaleDefinition.Score] = []
        if let scoreNode = entries["scores"]?.value {
            for entry in scoreNode.entries ?? [] {
                if let score = decodeScore(entry, of: name, itemCount: itemCount, &decoder) { scores.append(score) }
            }
            if scoreNode.entries == nil {
                decoder.bag.error(
                    .typeMismatch,
                    "found \(scoreNode.kindDescription) for scores of \(name); expected a mapping of score names",
                    at: scoreNode.location)
            }
        }
        var scale = ScaleDefinition(
            name: name, index: index, label: decoder.label(entries["label"]?.value, fallback: name),
            itemCount: itemCount,
            minimumAnswer: minimum, maximumAnswer: maximum, reversedItems: reversed, scores: scores, classNames: [],
            otherwiseClass: nil, classRules: [],
            sensitive: sensitive(entries["sensitive"]?.value, of: name, at: node.location, &decoder),
            location: node.location)
        var classRules: [ClassRule] = []
        for item in entries["classes"]?.value.items ?? [] {
            guard
                let rule = decoder.fields(
                    item, "class rule of \(name)", allowed: ["class", "when"], required: ["class", "when"]),
                let className = rule["class"]?.value.scalar, let when = rule["when"]?.value
            else { continue }
            guard Definitions.isValidID(className) else {
                decoder.bag.error(
                    .invalidValue, Definitions.invalidNameMessage(className, in: "the classes of \(name)"),
                    at: rule["class"]?.value.location ?? item.location)
                continue
            }
            if !scale.classNames.contains(className) { scale.classNames.append(className) }
            classRules.append(ClassRule(className: className, condition: when))
        }
        if let otherwiseNode = entries["otherwise"]?.value, let otherwise = otherwiseNode.scalar,
            !Definitions.isValidID(otherwise)
        {
            decoder.bag.error(
                .invalidValue, Definitions.invalidNameMessage(otherwise, in: "otherwise of \(name)"),
                at: otherwiseNode.location)
        } else if let otherwise = entries["otherwise"]?.value.scalar {
            if !scale.classNames.contains(otherwise) { scale.classNames.append(otherwise) }
            scale.otherwiseClass = scale.classNames.firstIndex(of: otherwise)
        }
        let scope = ExpressionScope(classesOf: scale, schema: schema, parameters: parameters)
        for rule in classRules {
            guard
                let compiled = decoder.condition(rule.condition, scope: scope, what: "class \(rule.className)"),
                let classIndex = scale.classNames.firstIndex(of: rule.className)
            else { continue }
            if compiled.footprint.readsFields { scale.classReadsFields = true }
            // A class shown to every role must not tell them a sensitive field.
            if compiled.footprint.readsSensitive && !scale.sensitive {
                decoder.bag.error(
                    .sensitivity,
                    "in class \(rule.className): found a sensitive field in a class rule of \(name), which is not "
                        + "sensitive; expected only fields every role may see (its class would tell them the field), or "
                        + "sensitive: true on \(name)",
                    at: rule.condition.location)
                continue
            }
            scale.classRules.append(ScaleDefinition.ClassRule(classIndex: classIndex, condition: compiled.program))
        }
        return scale
    }

    /// One entry of `scores:`: exactly one of `sum`, `mean` or `count` (with `at_least`) over items, less `exclude`.
    private func decodeScore(
        _ entry: YAMLNode.Entry, of name: String, itemCount: Int, _ decoder: inout NodeDecoder
    ) -> ScaleDefinition.Score? {
        guard Definitions.isValidID(entry.key) else {
            decoder.bag.error(
                .invalidValue, Definitions.invalidNameMessage(entry.key, in: "the scores of \(name)"),
                at: entry.keyLocation)
            return nil
        }
        guard
            let spec = decoder.fields(
                entry.value, "score \(entry.key) of \(name)",
                allowed: ["sum", "mean", "count", "exclude", "at_least", "label"])
        else { return nil }
        let modes = ["sum", "mean", "count"].filter { spec[$0] != nil }
        guard modes.count == 1, let mode = modes.first, let itemsNode = spec[mode]?.value else {
            decoder.bag.error(
                .conflictingKeys,
                "found \(modes.count) of sum, mean, count in score \(entry.key); expected exactly one",
                at: entry.value.location)
            return nil
        }
        let excluded = Set(itemIndices(spec["exclude"]?.value, itemCount: itemCount, "exclude", &decoder))
        let items = itemIndices(itemsNode, itemCount: itemCount, mode, &decoder).filter { !excluded.contains($0) }
        let aggregate: ScaleDefinition.Score.Aggregate
        switch mode {
        case "sum": aggregate = .sum
        case "mean": aggregate = .mean
        default:
            guard let threshold = decoder.number(spec["at_least"]?.value, "at_least", parameters: parameters) else {
                if spec["at_least"] == nil {
                    decoder.bag.error(
                        .missingKey, "found count without at_least in score \(entry.key); expected at_least: VALUE",
                        at: entry.value.location)
                }
                return nil
            }
            aggregate = .countAtLeast(threshold)
        }
        if spec["at_least"] != nil, mode != "count" {
            decoder.bag.error(
                .misplaced, "found at_least in a \(mode) score; expected it only with count", at: entry.value.location)
        }
        return ScaleDefinition.Score(
            name: entry.key, aggregate: aggregate, items: items,
            label: decoder.label(spec["label"]?.value, fallback: entry.key))
    }

    /// Item numbers as written (`all`, or a list such as `[1, 4, 11-18]`), as indices from 0.
    private func itemIndices(_ node: YAMLNode?, itemCount: Int, _ what: String, _ decoder: inout NodeDecoder) -> [Int] {
        guard let node, !node.isNull else { return [] }
        if node.scalar == "all" { return Array(0..<itemCount) }
        guard let items = node.items else {
            decoder.bag.error(
                .typeMismatch,
                "found \(node.kindDescription) for \(what); expected all, or a list of item numbers such as [1, 4, 11-18]",
                at: node.location)
            return []
        }
        var result: [Int] = []
        for item in items {
            let text = item.scalar ?? ""
            let parts = text.split(separator: "-").map { Int($0) }
            if parts.count == 1, let single = parts[0], single >= 1, single <= itemCount {
                result.append(single - 1)
            } else if parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, low <= high,
                high <= itemCount
            {
                result += Array((low - 1)..<high)
            } else {
                decoder.bag.error(
                    .outOfRange,
                    "found \(item.kindDescription) in \(what); expected an item number from 1 to \(itemCount) or a range such as 3-7",
                    at: item.location)
            }
        }
        return result
    }
}

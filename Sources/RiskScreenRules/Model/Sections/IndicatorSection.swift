internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `indicators:` and `protective:`: every indicator's condition, points (fixed, or banded by an expression),
/// windows and evidence, compiled against the schema, parameters, calendar and the other indicators; then orders them
/// so each follows those it reads, and marks sensitive those that read a sensitive one.
struct IndicatorSection {
    /// What a condition knows of an indicator before any is compiled: its id, dimension, whether it adds risk
    /// (protective factors do not count in `fired_count`) and whether it is display-only (no condition may read it).
    struct Header {
        var id: String
        var dimension: Dimension
        var isRisk: Bool
        var isDisplayOnly = false
        /// The groups it declares (`group:`); a protective factor and a display-only indicator have none.
        var groups: [String] = []
    }

    /// The indicators (risk indicators, then protective factors, each in the order written), an order to evaluate
    /// them in, and the indicators their conditions and points read.
    struct Output {
        var all: [Indicator]
        /// Indicator indices, each after those it reads.
        var evaluationOrder: [Int]
        /// Indicators a condition or points expression reads (so they can change an outcome without points).
        var outcomeReferences: Set<Int>
    }

    /// An entry of `indicators:` or `protective:`, before it is decoded.
    private struct Declared {
        var id: String
        var node: YAMLNode
        var isProtective: Bool
    }

    /// One indicator compiled, with the indicators it reads.
    private struct Compiled {
        var indicator: Indicator
        /// Indicators its condition, points or evidence read: it is evaluated after them.
        var dependencies: Set<Int>
    }

    /// The merged `indicators:` of every layer.
    let risk: Definitions.Table
    /// The merged `protective:` of every layer.
    let protective: Definitions.Table
    /// Parameter values, by name.
    let parameters: [String: Double]
    /// The record schema conditions read.
    let schema: Schema
    /// The windows `during:` and `during()` name, and the start of the academic year for `study_year()`.
    let calendar: CalendarSection.Output
    /// The rule set's dimensions, which `dimension:` names.
    let dimensions: [Dimension]
    /// True when the rule set declares several scores: then every indicator names one with `score:` (read by
    /// ``ScoreSection``); otherwise `score:` is an unknown key.
    var declaresScores = false

    func decode(_ decoder: inout NodeDecoder) -> Output {
        let declared = declare(&decoder)
        let allowed =
            [
                "id", "label", "dimension", "group", "source", "when", "points", "evidence", "during", "enabled",
                "note",
                "display_only",
            ] + (declaresScores ? ["score"] : [])
        // First pass: ids and dimensions, so conditions may name any indicator.
        var headers: [Header] = []
        var decodedFields: [[String: YAMLNode.Entry]] = []
        for item in declared {
            let entries =
                decoder.fields(item.node, "indicator \(item.id)", allowed: allowed, required: ["id", "label"]) ?? [:]
            let dimension = self.dimension(of: item, entries["dimension"]?.value, &decoder)
            if parameters[item.id] != nil || schema.field(named: item.id) != nil {
                decoder.bag.error(
                    .duplicateID,
                    "found the indicator \"\(item.id)\", which is also a field or parameter; expected distinct names",
                    at: item.node.location)
            }
            let isDisplayOnly = decoder.boolean(entries["display_only"]?.value, "display_only") ?? false
            let groups = groupNames(entries["group"]?.value, of: item, isDisplayOnly: isDisplayOnly, &decoder)
            headers.append(
                Header(
                    id: item.id, dimension: dimension, isRisk: !item.isProtective, isDisplayOnly: isDisplayOnly,
                    groups: groups))
            decodedFields.append(entries)
        }
        // Second pass: conditions, points and evidence.
        let scope = ExpressionScope(
            context: .indicator, schema: schema, parameters: parameters, calendar: calendar, indicators: headers,
            dimensions: dimensions)
        var indicators: [Indicator] = []
        var dependencies: [Set<Int>] = []
        var outcomeReferences: Set<Int> = []
        for (index, item) in declared.enumerated() {
            let compiled = compile(
                item, index: index, header: headers[index], entries: decodedFields[index], scope: scope,
                outcomeReferences: &outcomeReferences, &decoder)
            indicators.append(compiled.indicator)
            dependencies.append(compiled.dependencies)
        }
        let order = evaluationOrder(indicators: indicators, dependencies: dependencies, &decoder)
        // An indicator that reads a sensitive indicator is sensitive too (in dependency order, so chains carry over).
        var sensitive = indicators.map(\.isSensitive)
        for index in order where !sensitive[index] {
            sensitive[index] = dependencies[index].contains { sensitive[$0] }
        }
        for index in indicators.indices where sensitive[index] != indicators[index].isSensitive {
            indicators[index] = indicators[index].markedSensitive()
        }
        return Output(all: indicators, evaluationOrder: order, outcomeReferences: outcomeReferences)
    }

    /// The dimension an indicator names, one of those of its kind (risk or protective); a protective factor that names
    /// none is in the first dimension that holds protective factors. Wrong or missing ones are reported (and the
    /// first dimension stands in, since the rule set is not built).
    private func dimension(of item: Declared, _ node: YAMLNode?, _ decoder: inout NodeDecoder) -> Dimension {
        let ofKind = dimensions.filter { $0.holdsProtectiveFactors == item.isProtective }
        let kind = item.isProtective ? "protective factor" : "indicator"
        let stand = ofKind.first ?? dimensions.first ?? Dimension.standard[0]
        // What to add when the rule set declares no dimension of this kind.
        let missingKind =
            item.isProtective
            ? "a dimension with protective: true in dimensions:"
            : "a dimension without protective: true in dimensions: (risk indicators need one)"
        guard let node else {
            if item.isProtective, let first = ofKind.first { return first }
            decoder.bag.error(
                .missingKey,
                "found no dimension on \(kind) \(item.id); expected dimension: "
                    + (ofKind.isEmpty ? missingKind : ofKind.idList),
                at: item.node.location)
            return stand
        }
        if let name = node.scalar, !node.isNull, let found = ofKind.named(name) { return found }
        if let name = node.scalar, let other = dimensions.named(name) {
            decoder.bag.error(
                .misplaced,
                "found the dimension \(name) on the \(kind) \(item.id), but it holds "
                    + (other.holdsProtectiveFactors ? "protective factors" : "risk indicators") + "; expected one of: "
                    + (ofKind.isEmpty ? "none yet: add " + missingKind : ofKind.idList),
                at: node.location)
            return stand
        }
        decoder.bag.error(
            .unknownName,
            "found \(node.kindDescription) for dimension; expected one of: \(ofKind.isEmpty ? dimensions.idList : ofKind.idList)"
                + Suggestion.hint(for: node.scalar ?? "", in: dimensions.map(\.id)),
            at: node.location)
        return stand
    }

    /// The groups an indicator declares (`group: NAME` or a list): identifiers that are not dimensions (a dimension
    /// already names its indicators), on risk indicators only (`max_points` and `sum_points` read risk points).
    private func groupNames(_ node: YAMLNode?, of item: Declared, isDisplayOnly: Bool, _ decoder: inout NodeDecoder)
        -> [String]
    {
        var groups: [String] = []
        for written in decoder.names(node, "group") {
            if item.isProtective {
                decoder.bag.error(
                    .misplaced,
                    "found group: on the protective factor \(item.id); expected groups on risk indicators only "
                        + "(max_points, sum_points and fired_count read risk indicators)",
                    at: written.location)
                continue
            }
            if !Definitions.isValidID(written.name) {
                decoder.bag.error(
                    .invalidValue,
                    "found the group name \"\(written.name)\"; expected an identifier (letters, digits and _)",
                    at: written.location)
                continue
            }
            if isDisplayOnly {
                decoder.bag.error(
                    .misplaced,
                    "found group: on the display-only indicator \(item.id); expected groups on indicators that count "
                        + "(max_points, sum_points and fired_count read them; a display-only indicator gives no points)",
                    at: written.location)
                continue
            }
            if dimensions.named(written.name) != nil {
                decoder.bag.error(
                    .duplicateID,
                    "found the group \"\(written.name)\", which is also a dimension; expected a group name that is not "
                        + "one of: " + dimensions.map(\.id).joined(separator: ", "),
                    at: written.location)
                continue
            }
            if !groups.contains(written.name) { groups.append(written.name) }
        }
        return groups
    }

    /// Risk indicators, then protective factors; an id used for both is reported and its protective factor dropped.
    private func declare(_ decoder: inout NodeDecoder) -> [Declared] {
        var declared: [Declared] = []
        for id in risk.order {
            if let node = risk.node(id) { declared.append(Declared(id: id, node: node, isProtective: false)) }
        }
        for id in protective.order {
            guard let node = protective.node(id) else { continue }
            if risk.node(id) != nil {
                decoder.bag.error(
                    .duplicateID,
                    "found the id \"\(id)\" both as an indicator and a protective factor; expected distinct ids",
                    at: protective.keyLocations[id] ?? node.location)
                continue
            }
            declared.append(Declared(id: id, node: node, isProtective: true))
        }
        return declared
    }

    /// Compiles one indicator: its condition, points, windows and evidence, in that order. Adds the indicators its
    /// condition and points read to `outcomeReferences`.
    private func compile(
        _ item: Declared, index: Int, header: IndicatorSection.Header, entries: [String: YAMLNode.Entry],
        scope: ExpressionScope, outcomeReferences: inout Set<Int>, _ decoder: inout NodeDecoder
    ) -> Compiled {
        let dimension = header.dimension
        let groups = header.groups
        var footprints = ExpressionFootprint()
        var conditionProgram: TruthProgram?
        if let when = entries["when"]?.value {
            if let compiled = decoder.condition(when, scope: scope, what: "the condition of \(item.id)") {
                conditionProgram = compiled.program
                footprints.readsSensitive = footprints.readsSensitive || compiled.footprint.readsSensitive
                footprints.indicators.formUnion(compiled.footprint.indicators)
                outcomeReferences.formUnion(compiled.footprint.indicators)
                footprints.windows.formUnion(compiled.footprint.windows)
            }
        }
        var points = Indicator.Points.fixed(0)
        var pointsReadSensitive = false
        var pointsWrittenAsExpression = false
        if header.isDisplayOnly {
            // A display-only indicator never changes the score: 0 points, written or not.
            if let pointsNode = entries["points"]?.value, !pointsNode.isNull {
                let value =
                    pointsNode.entries == nil
                    ? decoder.number(pointsNode, "points of \(item.id)", parameters: parameters) : nil
                if pointsNode.entries != nil || (value ?? 0) != 0 {
                    decoder.bag.error(
                        .misplaced,
                        "found points \(value.map { NumberText.format($0) } ?? (pointsNode.entries?.contains { $0.key == "value" } == true ? "from a value" : "by bands")) on the display-only indicator \(item.id); expected 0 or no points (a display-only indicator never changes the score)",
                        at: pointsNode.location)
                }
            }
        } else if let pointsNode = entries["points"]?.value {
            if let entries = pointsNode.entries {
                let fromValue = entries.contains { $0.key == "value" }
                if let computed =
                    fromValue
                    ? valuePoints(pointsNode, of: item.id, scope: scope, &decoder)
                    : bandedPoints(pointsNode, of: item.id, scope: scope, &decoder)
                {
                    footprints.indicators.formUnion(computed.footprint.indicators)
                    outcomeReferences.formUnion(computed.footprint.indicators)
                    footprints.readsSensitive = footprints.readsSensitive || computed.footprint.readsSensitive
                    pointsReadSensitive = computed.footprint.readsSensitive
                    points = computed.program
                }
            } else if let text = pointsNode.scalar, !pointsNode.isNull, NodeDecoder.parseNumber(pointsNode) == nil,
                parameters[text] == nil, !Definitions.isValidID(text)
            {
                decoder.bag.error(
                    NodeDecoder.numberCode(pointsNode),
                    "found the expression \"\(text)\" for points of \(item.id); expected a number, a parameter, "
                        + "{by, bands}, or points from a value written as {value: \"\(text)\", min: …, max: …}",
                    at: pointsNode.location)
                pointsWrittenAsExpression = true
            } else if let value = decoder.number(pointsNode, "points of \(item.id)", parameters: parameters) {
                if value < 0 {
                    decoder.bag.error(
                        .invalidValue,
                        "found negative points \(NumberText.format(value)); expected 0 or more (protective factors subtract theirs)",
                        at: pointsNode.location)
                }
                points = .fixed(value)
            }
        } else if entries["id"] != nil {
            decoder.bag.error(
                .missingKey,
                "found no points on \(item.id); expected points: NUMBER, a parameter, {by, bands} or {value, min, max}",
                at: item.node.location)
        }
        // Points from an expression (bands or a value) may stand without a condition; a failed one was reported.
        let pointsFromExpression = entries["points"]?.value.entries != nil || pointsWrittenAsExpression
        if entries["when"] == nil, case .fixed = points, entries["id"] != nil, !pointsFromExpression {
            decoder.bag.error(
                .missingKey, "found no condition on \(item.id); expected when: CONDITION", at: item.node.location)
        }
        var windowNames: [String] = []
        var windowIndices: [Int] = []
        for written in decoder.names(entries["during"]?.value, "during") {
            if let window = calendar.windowIndex[written.name] {
                windowNames.append(written.name)
                windowIndices.append(window)
            } else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown window \"\(written.name)\"; expected a calendar window"
                        + Suggestion.hint(for: written.name, in: calendar.windowIndex.keys), at: written.location)
            }
        }
        var evidence: [Indicator.Evidence] = []
        // Points from a value show the value first (the points show beside the indicator), unless listed already.
        if case .value(let program, _, _) = points,
            !evidenceNodes(entries["evidence"]?.value).contains(where: { $0.scalar == program.text })
        {
            evidence.append(
                Indicator.Evidence(
                    label: program.text, value: EvidenceProgram(code: program.code, kind: program.kind),
                    sensitive: pointsReadSensitive))
        }
        for node in evidenceNodes(entries["evidence"]?.value) {
            guard let shown = evidenceItem(node, of: item.id, scope: scope, &decoder) else { continue }
            footprints.indicators.formUnion(shown.footprint.indicators)
            evidence.append(shown.program)
        }
        let indicator = Indicator(
            id: item.id, label: decoder.label(entries["label"]?.value, fallback: item.id), dimension: dimension,
            groups: groups,
            source: decoder.text(entries["source"]?.value, "source"), isProtective: item.isProtective,
            isEnabled: decoder.boolean(entries["enabled"]?.value, "enabled") ?? true, index: index,
            location: item.node.location, conditionText: entries["when"]?.value.scalar, windows: windowNames,
            isSensitive: footprints.readsSensitive || evidence.contains { $0.sensitive },
            isDisplayOnly: header.isDisplayOnly, condition: conditionProgram, points: points,
            evidence: evidence, windowIndices: windowIndices,
            windowDependencies: footprints.windows.union(windowIndices).sorted())
        return Compiled(indicator: indicator, dependencies: footprints.indicators)
    }

    /// `points: {by: EXPRESSION, bands: [{from, points}, …]}`: points by the band the expression's value falls in;
    /// nil when the mapping or `by` is unusable (reported).
    private func bandedPoints(_ node: YAMLNode, of id: String, scope: ExpressionScope, _ decoder: inout NodeDecoder)
        -> CompiledExpression<Indicator.Points>?
    {
        guard let spec = decoder.fields(node, "points of \(id)", allowed: ["by", "bands"], required: ["by", "bands"]),
            let byNode = spec["by"]?.value, let bandsNode = spec["bands"]?.value,
            let by = decoder.numberExpression(byNode, scope: scope, what: "the points of \(id)")
        else { return nil }
        var bands: [Indicator.Band] = []
        for bandNode in bandsNode.items ?? [] {
            guard
                let band = decoder.fields(
                    bandNode, "band", allowed: ["from", "points"], required: ["from", "points"]),
                let from = decoder.number(band["from"]?.value, "from", parameters: parameters),
                let bandPoints = decoder.number(band["points"]?.value, "points", parameters: parameters)
            else { continue }
            if let last = bands.last, from <= last.from {
                decoder.bag.error(
                    .outOfOrder,
                    "found a band from \(NumberText.format(from)) after one from \(NumberText.format(last.from)); expected bands in rising order",
                    at: bandNode.location)
            }
            if bandPoints < 0 {
                decoder.bag.error(
                    .invalidValue,
                    "found negative points; expected points of 0 or more (protective factors subtract theirs)",
                    at: bandNode.location)
            }
            bands.append(Indicator.Band(from: from, points: bandPoints))
        }
        if bands.isEmpty {
            decoder.bag.error(
                .missingKey, "found no bands for the points of \(id); expected a list of {from, points}",
                at: bandsNode.location)
        }
        return CompiledExpression(program: .banded(by.program, bands), footprint: by.footprint, text: by.text)
    }

    /// `points: {value: EXPRESSION, min: N, max: N}`: points equal to the expression's value, clamped to the bounds
    /// (`min` 0 when not given: points are never negative); nil when the mapping or the value is unusable (reported).
    private func valuePoints(_ node: YAMLNode, of id: String, scope: ExpressionScope, _ decoder: inout NodeDecoder)
        -> CompiledExpression<Indicator.Points>?
    {
        guard
            let spec = decoder.fields(node, "points of \(id)", allowed: ["value", "min", "max"], required: ["value"]),
            let valueNode = spec["value"]?.value
        else { return nil }
        let value = decoder.numberExpression(valueNode, scope: scope, what: "the points of \(id)")
        var lowest = 0.0
        var highest = Double.infinity
        var boundsUsable = true
        if let minNode = spec["min"]?.value {
            if let bound = decoder.number(minNode, "min of the points of \(id)", parameters: parameters) {
                if bound < 0 {
                    decoder.bag.error(
                        .invalidValue,
                        "found min \(NumberText.format(bound)); expected 0 or more (protective factors subtract their "
                            + "points)", at: minNode.location)
                    boundsUsable = false
                }
                lowest = bound
            } else {
                boundsUsable = false
            }
        }
        if let maxNode = spec["max"]?.value {
            if let bound = decoder.number(maxNode, "max of the points of \(id)", parameters: parameters) {
                if bound < lowest {
                    decoder.bag.error(
                        .outOfRange,
                        "found max \(NumberText.format(bound)) below min \(NumberText.format(lowest)); expected max "
                            + "at least min", at: maxNode.location)
                    boundsUsable = false
                }
                highest = bound
            } else {
                boundsUsable = false
            }
        }
        guard let value, boundsUsable else { return nil }
        return CompiledExpression(
            program: .value(value.program, lowest: lowest, highest: highest), footprint: value.footprint,
            text: value.text)
    }

    /// `evidence:` as a list of entries (one entry may stand alone).
    private func evidenceNodes(_ node: YAMLNode?) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        return node.items ?? [node]
    }

    /// One entry of `evidence:`: an expression to show, or `{label, value}`; nil when it is unusable (reported).
    private func evidenceItem(_ item: YAMLNode, of id: String, scope: ExpressionScope, _ decoder: inout NodeDecoder)
        -> CompiledExpression<Indicator.Evidence>?
    {
        var labelText: String?
        var valueNode = item
        if item.entries != nil {
            guard let entries = decoder.fields(item, "evidence", allowed: ["label", "value"], required: ["value"]),
                let value = entries["value"]?.value
            else { return nil }
            valueNode = value
            labelText = decoder.text(entries["label"]?.value, "label")
        }
        guard let shown = decoder.evidenceValue(valueNode, scope: scope, what: id) else { return nil }
        let evidence = Indicator.Evidence(
            label: labelText ?? shown.text, value: shown.program, sensitive: shown.footprint.readsSensitive)
        return CompiledExpression(program: evidence, footprint: shown.footprint, text: shown.text)
    }

    /// Orders indicators so each follows those it names, reporting the first cycle found.
    private func evaluationOrder(indicators: [Indicator], dependencies: [Set<Int>], _ decoder: inout NodeDecoder)
        -> [Int]
    {
        var order: [Int] = []
        var state = [UInt8](repeating: 0, count: indicators.count)  // 0 new, 1 visiting, 2 done
        var reported = false
        func visit(_ index: Int, _ path: [Int], _ decoder: inout NodeDecoder) {
            if state[index] == 2 { return }
            if state[index] == 1 {
                if !reported {
                    reported = true
                    let start = path.firstIndex(of: index) ?? 0
                    let cycle = (path[start...] + [index]).map { indicators[$0].id }
                    decoder.bag.error(
                        .cycle,
                        "found indicators that depend on each other: \(cycle.joined(separator: " → ")); expected no cycle",
                        at: indicators[index].location)
                }
                return
            }
            state[index] = 1
            for dependency in dependencies[index].sorted() { visit(dependency, path + [index], &decoder) }
            state[index] = 2
            order.append(index)
        }
        for index in indicators.indices { visit(index, [], &decoder) }
        return order
    }
}

extension IndicatorSection.Header {
    /// What a condition knows of a decoded indicator.
    init(_ indicator: Indicator) {
        self.init(
            id: indicator.id, dimension: indicator.dimension, isRisk: !indicator.isProtective,
            isDisplayOnly: indicator.isDisplayOnly, groups: indicator.groups)
    }
}

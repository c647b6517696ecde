internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `cohort:`, rules over a batch: when a student reaches a level, the others in their group (a text field
/// such as the dorm) are raised to at least another.
struct CohortSection {
    /// The merged `cohort:` of every layer.
    let table: Definitions.Table
    /// The levels a rule names.
    let levels: [Level]
    /// The record schema, whose text fields a rule may group by.
    let schema: Schema
    /// Every indicator and protective factor, in rule-set order: `when_fired:` names risk indicators among them.
    let indicators: [Indicator]

    func decode(_ decoder: inout NodeDecoder) -> [CohortRule] {
        var rules: [CohortRule] = []
        for (position, id) in table.order.enumerated() {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "cohort rule \(id)",
                    allowed: [
                        "id", "group_by", "when_level", "level", "reason", "source", "needs_confirmation", "when_fired",
                    ],
                    required: ["id", "group_by", "when_level", "level"])
            else { continue }
            let trigger = decoder.level(entries["when_level"]?.value, "when_level", in: levels)
            let level = decoder.level(entries["level"]?.value, "level", in: levels)
            var slot: Int?
            if let groupNode = entries["group_by"]?.value {
                if let name = groupNode.scalar, let field = schema.field(named: name), field.type == .text {
                    slot = field.slot
                } else {
                    decoder.bag.error(
                        .unknownName,
                        "found \(groupNode.kindDescription) for group_by; expected a text field such as dorm or class_name"
                            + Suggestion.hint(
                                for: groupNode.scalar ?? "", in: schema.fields.filter { $0.type == .text }.map(\.name)),
                        at: groupNode.location)
                }
            }
            let whenFired = entries["when_fired"].map { triggerIndicators($0.value, rule: id, &decoder) } ?? []
            // The engine keeps one bit per cohort rule for when_fired, in the rules' order.
            if !whenFired.isEmpty, position >= 64 {
                decoder.bag.error(
                    .limitExceeded,
                    "found when_fired on cohort rule \(id), the \(position + 1)th; expected when_fired only on the first 64 cohort rules",
                    at: node.location)
            }
            guard let trigger, let level, let slot, let groupBy = entries["group_by"]?.value.scalar else { continue }
            rules.append(
                CohortRule(
                    id: id, groupBy: groupBy, triggerLevel: levels[trigger], level: levels[level],
                    needsConfirmation: decoder.boolean(
                        entries["needs_confirmation"]?.value, "needs_confirmation") ?? false,
                    whenFired: whenFired.map { indicators[$0].id },
                    reason: decoder.text(entries["reason"]?.value, "reason") ?? "",
                    source: decoder.text(entries["source"]?.value, "source"), location: node.location, groupSlot: slot,
                    triggerIndicators: whenFired))
        }
        return rules
    }

    /// `when_fired: [INDICATOR, …]`: risk indicators (neither protective nor display-only), as indices in rule-set
    /// order; an error at each name that is not one.
    private func triggerIndicators(_ node: YAMLNode, rule: String, _ decoder: inout NodeDecoder) -> [Int] {
        guard let items = node.items, !items.isEmpty else {
            decoder.bag.error(
                .typeMismatch,
                "found \(node.kindDescription) for when_fired of cohort rule \(rule); expected a list of risk indicators "
                    + "such as [self_harm_red_flag]", at: node.location)
            return []
        }
        var found: [Int] = []
        let riskIDs = indicators.filter { !$0.isProtective && !$0.isDisplayOnly }.map(\.id)
        for item in items {
            let name = item.scalar ?? ""
            if let index = indicators.firstIndex(where: { $0.id == name }),
                !indicators[index].isProtective, !indicators[index].isDisplayOnly
            {
                if !found.contains(index) { found.append(index) }
                continue
            }
            let code: Diagnostic.Code =
                indicators.contains { $0.id == name } ? .misplaced : item.scalar == nil ? .typeMismatch : .unknownName
            let what =
                indicators.first { $0.id == name }.map {
                    $0.isProtective ? "the protective factor \"\(name)\"" : "the display-only indicator \"\(name)\""
                } ?? (item.scalar.map { "the unknown name \"\($0)\"" } ?? item.kindDescription)
            decoder.bag.error(
                code,
                "found \(what) in when_fired of cohort rule \(rule); expected a risk indicator"
                    + Suggestion.hint(for: name, in: riskIDs), at: item.location)
        }
        return found.sorted()
    }
}

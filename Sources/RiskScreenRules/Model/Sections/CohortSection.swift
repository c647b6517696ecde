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

    func decode(_ decoder: inout NodeDecoder) -> [CohortRule] {
        var rules: [CohortRule] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "cohort rule \(id)",
                    allowed: ["id", "group_by", "when_level", "level", "reason", "source", "needs_confirmation"],
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
                        "found \(groupNode.kindDescription) for group_by; expected a text field such as dorm or class_name"
                            + Suggestion.hint(
                                for: groupNode.scalar ?? "", in: schema.fields.filter { $0.type == .text }.map(\.name)),
                        at: groupNode.location)
                }
            }
            guard let trigger, let level, let slot, let groupBy = entries["group_by"]?.value.scalar else { continue }
            rules.append(
                CohortRule(
                    id: id, groupBy: groupBy, triggerLevel: trigger, level: level,
                    needsConfirmation: decoder.boolean(
                        entries["needs_confirmation"]?.value, "needs_confirmation") ?? false,
                    reason: decoder.text(entries["reason"]?.value, "reason") ?? "",
                    source: decoder.text(entries["source"]?.value, "source"), location: node.location, groupSlot: slot))
        }
        return rules
    }
}

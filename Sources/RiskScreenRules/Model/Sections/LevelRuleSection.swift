internal import RiskScreenYAML

/// Decodes `escalations:` (floors) or `caps:` (ceilings): each a condition over the record, the score and the
/// indicators that fired, and the level it sets at least (or at most).
struct LevelRuleSection {
    /// The rules, and what their conditions read of the indicators.
    struct Output {
        var rules: [LevelRule]
        /// Indicators a condition names.
        var outcomeReferences: Set<Int>
        /// True when a condition counts fired indicators (`score`, `fired_count(…)`): then every risk indicator can
        /// change an outcome.
        var countsFired: Bool
    }

    /// Escalations or caps.
    let kind: LevelRule.Kind
    /// The merged `escalations:` or `caps:` of every layer.
    let table: Definitions.Table
    /// The levels a rule may set.
    let levels: [Level]
    /// The indicators, for whether a rule that names one is sensitive.
    let indicators: [Indicator]
    /// The names a condition may use (context `.levelRule`).
    let scope: ExpressionScope

    func decode(_ decoder: inout NodeDecoder) -> Output {
        var output = Output(rules: [], outcomeReferences: [], countsFired: false)
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "\(kind.rawValue) \(id)",
                    allowed: ["id", "when", "level", "reason", "source", "enabled"]
                        + (kind == .escalation ? ["acts_at_once"] : []),
                    required: ["id", "when", "level"])
            else { continue }
            if let enabled = entries["enabled"], decoder.boolean(enabled.value, "enabled") == false { continue }
            let levelIndex = decoder.level(entries["level"]?.value, "level", in: levels)
            guard let when = entries["when"]?.value,
                let compiled = decoder.condition(when, scope: scope, what: "\(kind.rawValue) \(id)"),
                let levelIndex
            else { continue }
            let sensitive =
                compiled.footprint.readsSensitive
                || compiled.footprint.indicators.contains { indicators[$0].isSensitive }
            output.outcomeReferences.formUnion(compiled.footprint.indicators)
            output.countsFired = output.countsFired || compiled.footprint.readsAllIndicators
            if compiled.program.constant == .false {
                decoder.bag.warning(
                    .neverHolds,
                    "found the \(kind.rawValue) \(id), whose condition can never hold; it never changes a level",
                    at: when.location)
            }
            output.rules.append(
                LevelRule(
                    id: id, kind: kind, level: levels[levelIndex],
                    reason: decoder.text(entries["reason"]?.value, "reason") ?? "",
                    source: decoder.text(entries["source"]?.value, "source"), conditionText: when.scalar ?? "",
                    location: node.location, isSensitive: sensitive,
                    actsAtOnce: decoder.boolean(entries["acts_at_once"]?.value, "acts_at_once") ?? false,
                    condition: compiled.program))
        }
        return output
    }
}

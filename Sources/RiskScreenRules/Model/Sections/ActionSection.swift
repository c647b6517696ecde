internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `actions:`, the duties a rule set declares: a condition over the record and the indicators that fired
/// (as an escalation's), the role that must act, when it is due (`within` days `after` dated facts, or `by` a date),
/// how it climbs the network when overdue, and whether a confirmation or a confirmed level bears on it.
struct ActionSection {
    /// The merged `actions:` of every layer.
    let table: Definitions.Table
    /// The roles a duty names, in network order (an overdue duty climbs them).
    let roles: [Role]
    /// The levels `when_confirmed` names.
    let levels: [Level]
    /// The indicators, for whether a condition that names one is sensitive.
    let indicators: [Indicator]
    /// Parameter values: `within` and `climb` may name them.
    let parameters: [String: Double]
    /// The names a condition may use (context `.levelRule`).
    let scope: ExpressionScope

    static let keys = [
        "id", "label", "when", "when_confirmed", "role", "within", "after", "by", "climb", "done_when_confirmed",
        "source",
    ]

    func decode(_ decoder: inout NodeDecoder) -> [ActionRule] {
        var actions: [ActionRule] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(node, "action \(id)", allowed: Self.keys, required: ["id", "role"])
            else { continue }
            var sensitive = false
            var condition: TruthProgram?
            if let when = entries["when"]?.value {
                guard let compiled = decoder.condition(when, scope: scope, what: "action \(id)") else { continue }
                condition = compiled.program
                // Reading the score or counting fired indicators reads what sensitive ones gave, when there are any.
                sensitive =
                    compiled.footprint.readsSensitive
                    || compiled.footprint.indicators.contains { indicators[$0].isSensitive }
                    || (compiled.footprint.readsAllIndicators && indicators.contains { $0.isSensitive })
            }
            var confirmedLevel: Int?
            if let levelNode = entries["when_confirmed"]?.value {
                guard let level = decoder.level(levelNode, "when_confirmed", in: levels) else { continue }
                confirmedLevel = level
            }
            if entries["when"] == nil && confirmedLevel == nil {
                decoder.bag.error(
                    .missingKey,
                    "found no condition on action \(id); expected when: CONDITION, when_confirmed: LEVEL or both",
                    at: node.location)
                continue
            }
            guard let roleNode = entries["role"]?.value, let role = self.role(roleNode, &decoder) else { continue }
            var after: [EvidenceProgram] = []
            for item in entries["after"].map({ $0.value.items ?? [$0.value] }) ?? [] {
                if let name = item.scalar, let kind = scope.schema.eventKind(named: name) {
                    after.append(EvidenceProgram(code: .dateOfLatest(kind: kind.index), kind: .date))
                    if kind.sensitive { sensitive = true }
                } else if let date = date(item, action: id, &decoder) {
                    after.append(date.program)
                    if date.readsSensitive { sensitive = true }
                }
            }
            var by: EvidenceProgram?
            if let byNode = entries["by"]?.value {
                guard let date = date(byNode, action: id, &decoder) else { continue }
                // A deadline still ahead is after the as-of date: an unscheduled field would read it as not yet known.
                if let name = byNode.scalar, let field = scope.schema.field(named: name), !field.scheduled {
                    decoder.bag.warning(
                        .scheduling,
                        "found by: \(name), a date field that is not scheduled: a date after the as-of date reads as missing, so the duty would be owed at once; expected scheduled: true on \(name) if it is a plan",
                        at: byNode.location)
                }
                by = date.program
                if date.readsSensitive { sensitive = true }
            }
            let within = entries["within"].flatMap { days($0.value, "within of action \(id)", &decoder) }
            switch (within, by) {
            case (nil, nil):
                decoder.bag.error(
                    .missingKey,
                    "found no due date on action \(id); expected within: DAYS (after: the facts it counts from) or by: DATE",
                    at: node.location)
                continue
            case (_?, _?):
                decoder.bag.error(
                    .conflictingKeys,
                    "found both within and by on action \(id); expected one: within DAYS after a fact, or by a date",
                    at: entries["by"]?.keyLocation ?? node.location)
                continue
            default:
                if by != nil, let afterNode = entries["after"] {
                    decoder.bag.error(
                        .conflictingKeys, "found after with by on action \(id); expected after only with within",
                        at: afterNode.keyLocation)
                    continue
                }
            }
            var climb: [Int] = []
            for item in entries["climb"].map({ $0.value.items ?? [$0.value] }) ?? [] {
                guard let value = days(item, "climb of action \(id)", &decoder) else { continue }
                if let previous = climb.last, value <= previous {
                    decoder.bag.error(
                        .outOfOrder,
                        "found climb after \(value) days, not after \(previous); expected overdue days rising step by step",
                        at: item.location)
                }
                climb.append(value)
            }
            let above = roles.count - 1 - role.index
            if climb.count > above, let climbNode = entries["climb"]?.value {
                decoder.bag.error(
                    .limitExceeded,
                    "found \(climb.count) climbing steps from \(role.role.id); expected at most \(above) (the roles declared after it)",
                    at: climbNode.location)
            }
            actions.append(
                ActionRule(
                    id: id, label: decoder.label(entries["label"]?.value, fallback: id), role: role.role.id,
                    withinDays: within, climbAfterDays: climb, confirmedLevel: confirmedLevel,
                    doneWhenConfirmed: decoder.boolean(entries["done_when_confirmed"]?.value, "done_when_confirmed")
                        ?? false,
                    source: decoder.text(entries["source"]?.value, "source"), location: node.location,
                    isSensitive: sensitive, condition: condition, after: after, by: by, roleIndex: role.index))
        }
        return actions
    }

    /// The role a duty names, with its position in the network.
    private func role(_ node: YAMLNode, _ decoder: inout NodeDecoder) -> (role: Role, index: Int)? {
        if let name = node.scalar, let index = roles.firstIndex(where: { $0.id == name }) {
            return (roles[index], index)
        }
        decoder.bag.error(
            .unknownName,
            "found \(node.kindDescription) for role; expected one of the roles: \(roles.map(\.id).joined(separator: ", "))"
                + Suggestion.hint(for: node.scalar ?? "", in: roles.map(\.id)), at: node.location)
        return nil
    }

    /// A whole number of days, 0 or more: a number or a parameter.
    private func days(_ node: YAMLNode, _ what: String, _ decoder: inout NodeDecoder) -> Int? {
        guard let value = decoder.number(node, what, parameters: parameters) else { return nil }
        guard value >= 0, value <= 100_000, value == value.rounded() else {
            decoder.bag.error(
                .outOfRange,
                "found \(NumberText.format(value)) for \(what); expected a whole number of days from 0 to 100000",
                at: node.location)
            return nil
        }
        return Int(value)
    }

    /// An expression giving a date, and whether it reads sensitive facts.
    private func date(_ node: YAMLNode, action: String, _ decoder: inout NodeDecoder) -> (
        program: EvidenceProgram, readsSensitive: Bool
    )? {
        guard let compiled = decoder.evidenceValue(node, scope: scope, what: "action \(action)") else { return nil }
        guard compiled.program.kind == .date else {
            decoder.bag.error(
                .typeMismatch,
                "found \"\(compiled.text)\", which is not a date, in action \(action); expected a date field, an event kind or an expression such as latest(phq9, 30d).date",
                at: node.location)
            return nil
        }
        return (compiled.program, compiled.footprint.readsSensitive)
    }
}

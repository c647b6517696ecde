internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `schema: case:`, the case facts records may carry: `facts:` lists them (each becomes a field of a fixed
/// name and type), `staff_events:` names the event kinds staff record about their own work, which never reopen a
/// closed case. It runs after the levels and roles, whose ids a confirmed level and a confirming role take.
struct CaseSection {
    /// The `case:` node, as the last layer to write it wrote it; nil when no layer did.
    let node: YAMLNode?
    /// The levels a confirmed level names.
    let levels: [Level]
    /// The roles a confirmation names.
    let roles: [Role]
    /// Parameter names: a case fact may not share one.
    let parameters: [String: Double]

    /// The schema with the case facts added as fields, after the fields written in `fields:`.
    func decode(into schema: inout Schema, _ decoder: inout NodeDecoder) {
        guard let node, !node.isNull,
            let entries = decoder.fields(node, "case", allowed: ["facts", "staff_events"], required: ["facts"])
        else { return }
        var facts = CaseFacts()
        let known = CaseFacts.Fact.allCases.map(\.rawValue)
        for written in decoder.names(entries["facts"]?.value, "facts") {
            guard let fact = CaseFacts.Fact(rawValue: written.name) else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown case fact \"\(written.name)\"; expected one of: \(known.joined(separator: ", "))"
                        + Suggestion.hint(for: written.name, in: known), at: written.location)
                continue
            }
            if facts.fieldIndex[fact] != nil {
                decoder.bag.error(
                    .duplicateID, "found the case fact \(fact.rawValue) twice; expected each fact once",
                    at: written.location)
                continue
            }
            if let field = schema.field(named: fact.rawValue) {
                decoder.bag.error(
                    .duplicateID,
                    "found the case fact \(fact.rawValue), which is also the field declared at \(field.location); expected it only in case: facts (the engine gives it its type)",
                    at: written.location)
                continue
            }
            if parameters[fact.rawValue] != nil {
                decoder.bag.error(
                    .duplicateID,
                    "found the case fact \(fact.rawValue), which is also a parameter; expected distinct names",
                    at: written.location)
                continue
            }
            let type = fact.type(levels: levels.map(\.id), roles: roles.map(\.id))
            if case .enumeration(let values, _) = type, values.isEmpty {
                decoder.bag.error(
                    .missingKey,
                    "found the case fact \(fact.rawValue) in a rule set without \(fact == .confirmedBy ? "roles" : "levels"); expected roles: and levels: to name its values",
                    at: written.location)
                continue
            }
            facts.fieldIndex[fact] = schema.fields.count
            schema.fields.append(
                Schema.Field(
                    name: fact.rawValue, type: type, slot: schema.valueSlotCount, required: false,
                    sensitive: fact.isSensitive, minimum: nil, maximum: nil, label: Label(zh: "", en: fact.rawValue),
                    location: written.location, scheduled: fact.isScheduled))
            schema.valueSlotCount += 1
        }
        // The same pairs every reader checks on a record (``CaseFacts/companions``), here for the declaration.
        let factsLocation = entries["facts"]?.value.location ?? node.location
        for (fact, needs) in CaseFacts.companions where facts.declares(fact) && !facts.declares(needs) {
            let mutual = CaseFacts.companions.contains { $0.fact == needs && $0.needs == fact }
            decoder.bag.error(
                .missingKey,
                "found \(fact.rawValue) without \(needs.rawValue) in case: facts; expected "
                    + (mutual ? "both (a confirmation counts from its date)" : "\(needs.rawValue) with it"),
                at: factsLocation)
        }
        for written in decoder.names(entries["staff_events"]?.value, "staff_events") {
            if let kind = schema.eventKind(named: written.name) {
                facts.staffEventKinds.insert(kind.index)
            } else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown event kind \"\(written.name)\" in staff_events; expected one of: "
                        + schema.eventKinds.map(\.name).joined(separator: ", ")
                        + Suggestion.hint(for: written.name, in: schema.eventKinds.map(\.name)), at: written.location)
            }
        }
        schema.caseFacts = facts
    }
}

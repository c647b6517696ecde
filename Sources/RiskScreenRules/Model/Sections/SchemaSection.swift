internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `schema:`, the shape of a student record: its fields (each given a slot) and the other names of their
/// columns, the enrolment field, how text cells spell booleans, the kinds of events, and the scales
/// (``ScaleSection``).
struct SchemaSection {
    /// How text cells may write true and false.
    struct BooleanSpellings {
        var yes: [String]
        var no: [String]
    }

    /// The merged `schema: fields:` of every layer.
    let fields: Definitions.Table
    /// The merged `schema: events:`.
    let events: Definitions.Table
    /// The merged `schema: scales:`.
    let scales: Definitions.Table
    /// `schema: enrolment:` and `schema: booleans:`, as the last layer to write them wrote them.
    let settings: [String: YAMLNode]
    /// Parameter values: a field's min and max may name one, and a field may not share a parameter's name.
    let parameters: [String: Double]
    /// The rule set's roles: whether a scale is sensitive by default depends on them (``ScaleSection``).
    let roles: [Role]

    func decode(_ decoder: inout NodeDecoder) -> Schema {
        var schema = Schema()
        var aliases: [Alias] = []
        decodeFields(into: &schema, aliases: &aliases, &decoder)
        if let enrolment = settings["enrolment"] {
            if let name = enrolment.scalar, let index = schema.fields.firstIndex(where: { $0.name == name }),
                schema.fields[index].type == .date
            {
                schema.enrolmentField = index
                if schema.fields[index].scheduled {
                    decoder.bag.error(
                        .scheduling,
                        "found the scheduled field \(name) as the enrolment field; expected a date that is a fact, "
                            + "not a plan (study_year() reads an enrolment after the as-of date as missing)",
                        at: enrolment.location)
                }
            } else {
                decoder.bag.error(
                    .unknownName,
                    "found \(enrolment.kindDescription) for enrolment; expected the name of a date field"
                        + Suggestion.hint(
                            for: enrolment.scalar ?? "", in: schema.fields.filter { $0.type == .date }.map(\.name)),
                    at: enrolment.location)
            }
        }
        aliases += decodeIDAliases(into: &schema, &decoder)
        checkAliases(aliases, of: schema, &decoder)
        if let booleans = settings["booleans"], let spellings = booleanSpellings(booleans, &decoder) {
            schema.trueSpellings = spellings.yes
            schema.falseSpellings = spellings.no
        }
        schema.eventKinds = eventKinds(&decoder)
        // A scale's class rules are compiled against the schema so far (they may name no field, and are told so).
        schema.scales = ScaleSection(table: scales, schema: schema, parameters: parameters, roles: roles)
            .decode(&decoder)
        return schema
    }

    /// The fields in the order written, each in the next value slot (text fields: the next text slot).
    private func decodeFields(into schema: inout Schema, aliases: inout [Alias], _ decoder: inout NodeDecoder) {
        var valueSlots = 0
        var textSlots = 0
        let reserved: Set<String> = ["id", "events", "scales", "expect", "why", "score", "as_of"]
        for name in fields.order {
            guard let node = fields.node(name) else { continue }
            let at = fields.keyLocations[name] ?? node.location
            if reserved.contains(name) || !Definitions.isValidID(name) {
                decoder.bag.error(
                    .reservedName,
                    "found the field name \"\(name)\"; expected a name that is not one of \(reserved.sorted().joined(separator: ", "))",
                    at: at)
                continue
            }
            if parameters[name] != nil {
                decoder.bag.error(
                    .duplicateID, "found the field \"\(name)\", which is also a parameter; expected distinct names",
                    at: at)
            }
            var typeNode = node
            var entries: [String: YAMLNode.Entry] = [:]
            if node.entries != nil {
                guard
                    let decoded = decoder.fields(
                        node, "field \(name)",
                        allowed: [
                            "type", "values", "ordered", "required", "sensitive", "min", "max", "label", "scheduled",
                            "aliases",
                        ],
                        required: ["type"]), let type = decoded["type"]?.value
                else { continue }
                entries = decoded
                typeNode = type
            }
            let typeName = typeNode.scalar ?? ""
            let type: Schema.FieldType
            switch typeName {
            case "integer": type = .integer
            case "number": type = .number
            case "boolean": type = .boolean
            case "text": type = .text
            case "date": type = .date
            case "enumeration", "enum":
                let values = decoder.names(entries["values"]?.value, "values").map(\.name)
                if values.isEmpty {
                    decoder.bag.error(
                        .missingKey, "found an enumeration without values; expected values: [a, b, …]",
                        at: typeNode.location)
                    continue
                }
                if Set(values).count != values.count {
                    decoder.bag.error(
                        .duplicateID, "found a value twice in the enumeration \(name); expected each value once",
                        at: typeNode.location)
                }
                // `ordered: true`: a rating, whose values rank as listed, lowest first.
                let ordered = entries["ordered"].flatMap { decoder.boolean($0.value, "ordered") } ?? false
                type = .enumeration(values, ordered: ordered)
            default:
                decoder.bag.error(
                    .typeMismatch,
                    "found \(typeNode.kindDescription) as the type of \(name); expected integer, number, boolean, text, enumeration or date"
                        + Suggestion.hint(
                            for: typeName, in: ["integer", "number", "boolean", "text", "enumeration", "date"]),
                    at: typeNode.location)
                continue
            }
            if entries["values"] != nil, case .enumeration = type {
            } else if let values = entries["values"] {
                decoder.bag.error(
                    .misplaced, "found values for a field of type \(type); expected values only on an enumeration",
                    at: values.keyLocation)
            }
            if let ordered = entries["ordered"], !type.isEnumeration {
                decoder.bag.error(
                    .misplaced,
                    "found ordered: for a field of type \(type); expected ordered only on an enumeration (ordered: true "
                        + "ranks its values as listed)", at: ordered.keyLocation)
            }
            var scheduled = false
            if let node = entries["scheduled"] {
                scheduled = decoder.boolean(node.value, "scheduled") ?? false
                if scheduled && type != .date {
                    decoder.bag.error(
                        .misplaced,
                        "found scheduled: true on the \(type) field \(name); expected it only on a date field (a plan, "
                            + "such as a next follow-up, read as given after the as-of date)", at: node.keyLocation)
                    scheduled = false
                }
            }
            let fieldAliases = columnNames(entries["aliases"], of: "field \(name)", &decoder)
            let isText = type == .text
            let slot = isText ? textSlots : valueSlots
            if isText { textSlots += 1 } else { valueSlots += 1 }
            schema.fields.append(
                Schema.Field(
                    name: name, type: type, slot: slot,
                    required: decoder.boolean(entries["required"]?.value, "required") ?? false,
                    sensitive: decoder.boolean(entries["sensitive"]?.value, "sensitive") ?? false,
                    minimum: decoder.number(entries["min"]?.value, "min", parameters: parameters),
                    maximum: decoder.number(entries["max"]?.value, "max", parameters: parameters),
                    label: decoder.label(entries["label"]?.value, fallback: name), location: at, scheduled: scheduled,
                    aliases: fieldAliases.map(\.name)))
            aliases += fieldAliases.map { Alias(owner: "the field \(name)", written: $0) }
        }
        schema.valueSlotCount = valueSlots
        schema.textSlotCount = textSlots
    }

    /// `booleans: {true: [true, 是], false: [false, 否]}`: how text cells (YAML, CSV) may write a boolean, in place of
    /// the default spellings (``Schema/defaultTrueSpellings``); nil unless both lists hold a spelling. A spelling
    /// may be listed in several cases (`TRUE` beside `true`, harmless); one in both lists is an error.
    private func booleanSpellings(_ node: YAMLNode, _ decoder: inout NodeDecoder) -> BooleanSpellings? {
        guard let entries = decoder.fields(node, "booleans", allowed: ["true", "false"], required: ["true", "false"])
        else {
            return nil
        }
        var spellings: [String: [String]] = [:]
        var seen: [String: String] = [:]
        for key in ["true", "false"] {
            guard let value = entries[key]?.value else { continue }
            let items = value.items ?? [value]
            var list: [String] = []
            for item in items {
                guard let text = item.scalar, !item.isNull, !text.isEmpty, Substring(text).trimmingCharacters() == text,
                    !text.unicodeScalars.contains(where: {
                        $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                    })
                else {
                    decoder.bag.error(
                        .invalidValue,
                        "found \(item.kindDescription) as a spelling of \(key); expected a word such as \(key == "true" ? "是 or TRUE" : "否 or FALSE"), without spaces around it",
                        at: item.location)
                    continue
                }
                // Spellings compare without regard to the case of Latin letters: TRUE is true.
                let folded = String(decoding: text.utf8.map(Self.asciiLowercased), as: UTF8.self)
                if let other = seen[folded], other != key {
                    decoder.bag.error(
                        .duplicateID,
                        "found \"\(text)\" as a spelling of both \(other) and \(key); expected each spelling once",
                        at: item.location)
                    continue
                }
                seen[folded] = key
                list.append(text)
            }
            spellings[key] = list
        }
        for key in ["true", "false"] where spellings[key]?.isEmpty == true {
            if let node = entries[key]?.value, node.items?.isEmpty ?? node.isNull {
                decoder.bag.error(
                    .missingKey, "found no spelling of \(key) in booleans; expected at least one, such as \(key)",
                    at: node.location)
            }
        }
        guard let yes = spellings["true"], !yes.isEmpty, let no = spellings["false"], !no.isEmpty else { return nil }
        return BooleanSpellings(yes: yes, no: no)
    }

    /// A byte with a Latin capital letter made small, as text cells' boolean spellings are compared.
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// The kinds of events in the order written: a label, or `{label, sensitive}`.
    private func eventKinds(_ decoder: inout NodeDecoder) -> [Schema.EventKind] {
        var kinds: [Schema.EventKind] = []
        for name in events.order {
            guard let node = events.node(name) else { continue }
            let at = events.keyLocations[name] ?? node.location
            var sensitive = false
            var eventLabel = Label(zh: "", en: name)
            if !node.isNull {
                if node.scalar != nil {
                    eventLabel = decoder.label(node, fallback: name)
                } else if let entries = decoder.fields(node, "event \(name)", allowed: ["label", "sensitive"]) {
                    eventLabel = decoder.label(entries["label"]?.value, fallback: name)
                    sensitive = decoder.boolean(entries["sensitive"]?.value, "sensitive") ?? false
                }
            }
            kinds.append(
                Schema.EventKind(name: name, index: kinds.count, sensitive: sensitive, label: eventLabel, location: at))
        }
        return kinds
    }
}

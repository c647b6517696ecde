internal import RiskScreenSupport
internal import RiskScreenYAML

extension SchemaSection {
    /// An alias as written: whose it is (`the field name`, `the id`) and the name with where it stands.
    struct Alias {
        var owner: String
        var written: NodeDecoder.WrittenName
    }

    /// The names of the id column every table accepts whatever the schema declares.
    static let idColumnNames = ["id", "student_id"]

    /// `aliases: [学号, 学生编号]` of a field or of the id: other names a CSV header may give its column. Each is a
    /// name without spaces around it and with no control or format characters.
    func columnNames(_ entry: YAMLNode.Entry?, of owner: String, _ decoder: inout NodeDecoder)
        -> [NodeDecoder.WrittenName]
    {
        guard let entry else { return [] }
        if entry.value.isNull || (entry.value.scalar == nil && entry.value.items == nil) {
            decoder.bag.error(
                .typeMismatch,
                "found \(entry.value.kindDescription) for the aliases of \(owner); expected a list of column names, such as [学号]",
                at: entry.value.location)
            return []
        }
        return decoder.names(entry.value, "aliases").filter { written in
            let name = written.name
            guard !name.isEmpty, Substring(name).trimmingCharacters() == name,
                !name.unicodeScalars.contains(where: {
                    $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                })
            else {
                decoder.bag.error(
                    .invalidValue,
                    "found \"\(name)\" as an alias of \(owner); expected a column name such as 学号, without spaces around it",
                    at: written.location)
                return false
            }
            return true
        }
    }

    /// `schema: id: {aliases: [学号]}`: other names of the id column (`student_id` in the events and scales tables).
    func decodeIDAliases(into schema: inout Schema, _ decoder: inout NodeDecoder) -> [Alias] {
        guard let node = settings["id"] else { return [] }
        guard let entries = decoder.fields(node, "id", allowed: ["aliases"]) else { return [] }
        let written = columnNames(entries["aliases"], of: "the id", &decoder)
        schema.idAliases = written.map(\.name)
        return written.map { Alias(owner: "the id", written: $0) }
    }

    /// Refuses an alias that is already a name: a field's, a case fact's, `id` or `student_id`, or another alias
    /// (of the same field or another), so that a header names one column whichever name it uses.
    func checkAliases(_ aliases: [Alias], of schema: Schema, _ decoder: inout NodeDecoder) {
        var taken: [String: String] = [:]
        for name in Self.idColumnNames { taken[name] = "the id column's name" }
        for fact in CaseFacts.Fact.allCases { taken[fact.rawValue] = "the case fact \(fact.rawValue)" }
        for field in schema.fields { taken[field.name] = "the name of the field \(field.name)" }
        for alias in aliases {
            let name = alias.written.name
            if let other = taken[name] {
                decoder.bag.error(
                    .duplicateID,
                    "found the alias \"\(name)\" of \(alias.owner), which is already \(other); expected each column name once",
                    at: alias.written.location)
                continue
            }
            taken[name] = "an alias of \(alias.owner) (line \(alias.written.location.line))"
        }
    }
}

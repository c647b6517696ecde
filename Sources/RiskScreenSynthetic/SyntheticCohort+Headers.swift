internal import RiskScreenRules

extension SyntheticCohort {
    /// The names a generated CSV table gives its columns.
    public enum Headers: String, Sendable, CaseIterable {
        /// The schema's names: `id`, `college`, `student_id`.
        case en
        /// Each column's Chinese alias from the schema's `aliases:` (`学号`, `学院`, `班级`), as a Chinese university's
        /// export writes them; a column without one keeps its name.
        case zh
    }

    /// The header of the students table: the id column, then one column per field.
    func studentsHeader(_ headers: Headers) -> [String] {
        [Self.name("id", aliases: schema.idAliases, headers)]
            + schema.fields.map { Self.name($0.name, aliases: $0.aliases, headers) }
    }

    /// The name of the events and scales tables' `student_id` column.
    func studentIDHeader(_ headers: Headers) -> String {
        Self.name("student_id", aliases: schema.idAliases, headers)
    }

    /// `name`, or with ``Headers/zh`` the first of `aliases` written in Chinese.
    static func name(_ name: String, aliases: [String], _ headers: Headers) -> String {
        guard headers == .zh else { return name }
        return aliases.first(where: isChinese) ?? name
    }

    /// True when `text` holds a CJK ideograph.
    static func isChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (0x3400...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0x20000...0x3FFFF).contains(scalar.value)
        }
    }
}

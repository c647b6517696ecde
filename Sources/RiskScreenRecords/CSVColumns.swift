internal import RiskScreenRules
internal import RiskScreenSupport

/// What each column of the students, events and scales tables holds, read from their headers (a column by its name
/// or one of the schema's aliases); a header that names a column twice (under one name or two) refuses its table, as
/// does one that names a column the schema does not know, unless such columns are ignored (``UnknownNames/ignore``).
enum CSVColumns {
    /// The names of the students table's id column, whatever the schema declares.
    static let idColumns = ["id", "student_id"]

    /// The students table: the id column, and each other column's field.
    struct Students: Sendable {
        var idColumn: Int
        /// The field index of each column; -1 for the id column, -2 for a column the schema does not know, ignored.
        var fieldOfColumn: [Int]

        /// The mark in ``fieldOfColumn`` of a column that is ignored.
        static let ignored = -2

        /// `a or b`, `a, b or c`.
        static func list(_ names: [String]) -> String {
            names.count < 2
                ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
        }

        init(_ table: CSVTable, schema: Schema, unknownNames: UnknownNames = .refuse) throws(RecordFileError) {
            // Every name a header may use: a field's name or alias gives the field, the id's names give -1.
            var fieldOfName: [String: Int] = [:]
            for name in idColumns + schema.idAliases { fieldOfName[name] = -1 }
            for (index, field) in schema.fields.enumerated() {
                for name in [field.name] + field.aliases where fieldOfName[name] == nil { fieldOfName[name] = index }
            }
            let idNames = idColumns + schema.idAliases
            guard let idColumn = table.header.firstIndex(where: { fieldOfName[$0.text] == -1 }) else {
                throw RecordFileError(
                    .missingRequired, at: table.location(line: table.headerLine, column: 1),
                    "found no id column in the header; expected a column named \(Self.list(idNames))")
            }
            // A field (or the id) under two of its names is a column twice, as is one name twice.
            var firstColumn: [Int: CSVTable.Cell] = [:]
            for cell in table.header {
                guard let field = fieldOfName[cell.text] else { continue }
                if let first = firstColumn[field] {
                    let what = field < 0 ? "the id" : "the field \(schema.fields[field].name)"
                    throw RecordFileError(
                        .duplicateKey, at: cell.location,
                        first.text == cell.text || (idColumns.contains(first.text) && idColumns.contains(cell.text))
                            ? "found the column \"\(cell.text)\" a second time (first at column \(first.column)); expected each column once"
                            : "found the column \"\(cell.text)\", which names \(what) as column \(first.column) \"\(first.text)\" does; expected each column once"
                    )
                }
                firstColumn[field] = cell
            }
            var fieldOfColumn: [Int] = []
            for cell in table.header {
                guard let field = fieldOfName[cell.text] else {
                    if unknownNames == .ignore {
                        fieldOfColumn.append(Self.ignored)
                        continue
                    }
                    throw RecordFileError(
                        .unknownField, at: cell.location,
                        "found the column \"\(cell.text)\"; expected id and fields of the schema"
                            + Suggestion.hint(for: cell.text, in: fieldOfName.keys.sorted()))
                }
                fieldOfColumn.append(field)
            }
            self.idColumn = idColumn
            self.fieldOfColumn = fieldOfColumn
        }
    }

    /// The events table: `student_id`, `kind`, `date` and optionally `note`.
    struct Events: Sendable {
        var studentID: Int
        var kind: Int
        var date: Int
        /// Columns the schema does not know, ignored (``UnknownNames/ignore``).
        var ignoredColumns: [Int]

        init(_ table: CSVTable, schema: Schema, unknownNames: UnknownNames = .refuse) throws(RecordFileError) {
            let columns = try CSVColumns.columns(
                table, required: ["student_id", "kind", "date"], optional: ["note"], idAliases: schema.idAliases,
                isExtra: { _ in false }, unknownNames: unknownNames)
            studentID = columns.positions["student_id"] ?? 0
            kind = columns.positions["kind"] ?? 0
            date = columns.positions["date"] ?? 0
            ignoredColumns = columns.ignored
        }
    }

    /// The scales table: `student_id`, `scale`, `date`, optionally `class`, item columns `item1` … and score columns
    /// named as the scales' scores.
    struct Scales: Sendable {
        var studentID: Int
        var scale: Int
        var date: Int
        var classColumn: Int?
        /// The column of item n at n - 1; -1 where the header has no such item.
        var itemColumns: [Int]
        /// The score columns, in header order (a column can be a score and also one of the columns above, when a scale
        /// names a score so).
        var scoreColumns: [(name: String, column: Int)]
        /// What a column holds, for reading a row plainly.
        enum Role: UInt8 {
            case other, scale, date, classColumn, item, score
        }

        /// Each column's role, when a row can be read plainly: the item columns are `item1` … `itemK` in this order
        /// with no gap (so answers are read as their cells come) and no score column is also another column. Nil
        /// otherwise: every row is then read the careful way.
        var plainRoles: [Role]?
        /// Columns the schema does not know, ignored (``UnknownNames/ignore``).
        var ignoredColumns: [Int]

        init(_ table: CSVTable, schema: Schema, unknownNames: UnknownNames = .refuse) throws(RecordFileError) {
            let scoreNames = Set(schema.scales.flatMap { $0.scores.map(\.name) })
            let found = try CSVColumns.columns(
                table, required: ["student_id", "scale", "date"], optional: ["class"], idAliases: schema.idAliases,
                isExtra: { Self.itemNumber($0) != nil || scoreNames.contains($0) },
                isExtraDescription: "item1, item2, … (no leading zeros) or a score of the scale",
                unknownNames: unknownNames)
            let columns = found.positions
            ignoredColumns = found.ignored
            studentID = columns["student_id"] ?? 0
            scale = columns["scale"] ?? 0
            date = columns["date"] ?? 0
            classColumn = columns["class"]
            var itemColumns: [Int] = []
            var scoreColumns: [(name: String, column: Int)] = []
            var roles = [Role](repeating: .other, count: table.header.count)
            roles[scale] = .scale
            roles[date] = .date
            if let classColumn { roles[classColumn] = .classColumn }
            var plain = true
            for (index, cell) in table.header.enumerated() {
                if let number = Self.itemNumber(cell.text) {
                    if number != itemColumns.count + 1 { plain = false }
                    if number > itemColumns.count {
                        itemColumns += repeatElement(-1, count: number - itemColumns.count)
                    }
                    itemColumns[number - 1] = index
                    roles[index] = .item
                } else if scoreNames.contains(cell.text) {
                    scoreColumns.append((cell.text, index))
                    if roles[index] != .other { plain = false }
                    roles[index] = .score
                }
            }
            self.itemColumns = itemColumns
            self.scoreColumns = scoreColumns
            plainRoles = plain ? roles : nil
        }

        /// `item1` … `item9999`: digits only, no sign, no leading zero, so that no two names are one item.
        static func itemNumber(_ name: String) -> Int? {
            let digits = name.utf8.dropFirst(4)
            guard name.hasPrefix("item"), !digits.isEmpty, digits.count <= 4, digits.first != UInt8(ascii: "0"),
                digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let number = Int(Substring(digits))
            else { return nil }
            return number
        }
    }

    /// Column positions of the required columns and the columns ignored, or a file error naming the first missing
    /// one. A header may name `student_id` by one of the schema's id aliases.
    private static func columns(
        _ table: CSVTable, required: [String], optional: [String], idAliases: [String], isExtra: (String) -> Bool,
        isExtraDescription: String = "", unknownNames: UnknownNames
    ) throws(RecordFileError) -> (positions: [String: Int], ignored: [Int]) {
        var positions: [String: Int] = [:]
        var ignored: [Int] = []
        for (index, cell) in table.header.enumerated() {
            let name = idAliases.contains(cell.text) ? "student_id" : cell.text
            if required.contains(name) || optional.contains(name) || isExtra(name) {
                if positions[name] != nil {
                    throw RecordFileError(
                        .duplicateKey, at: cell.location,
                        name == cell.text
                            ? "found the column \"\(cell.text)\" twice; expected it once"
                            : "found the column \"\(cell.text)\", a second name of student_id; expected it once")
                }
                positions[name] = index
            } else if unknownNames == .ignore {
                ignored.append(index)
            } else {
                throw RecordFileError(
                    .unknownField, at: cell.location,
                    "found the column \"\(cell.text)\"; expected \((required + optional).joined(separator: ", "))"
                        + (isExtraDescription.isEmpty ? "" : ", " + isExtraDescription)
                        + Suggestion.hint(for: cell.text, in: required + optional + idAliases))
            }
        }
        for name in required where positions[name] == nil {
            throw RecordFileError(
                .missingRequired, at: table.location(line: table.headerLine, column: 1),
                "found no column \(name) in the header; expected \(required.joined(separator: ", "))"
                    + (name == "student_id" && !idAliases.isEmpty
                        ? " (student_id may be named \(idAliases.joined(separator: ", ")))" : ""))
        }
        return (positions, ignored)
    }
}

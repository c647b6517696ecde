internal import RiskScreenRules
internal import RiskScreenSupport

/// What each column of the students, events and scales tables holds, read from their headers; a header that names
/// a column the schema does not know, or names one twice, refuses its table.
enum CSVColumns {
    /// The names of the students table's id column.
    static let idColumns = ["id", "student_id"]

    /// The students table: the id column, and each other column's field.
    struct Students: Sendable {
        var idColumn: Int
        /// The field index of each column; -1 for the id column.
        var fieldOfColumn: [Int]

        init(_ table: CSVTable, schema: Schema) throws(RecordFileError) {
            guard let idColumn = table.header.firstIndex(where: { idColumns.contains($0.text) }) else {
                throw RecordFileError(
                    at: table.location(line: table.headerLine, column: 1),
                    "found no id column in the header; expected a column named id or student_id")
            }
            var firstColumn: [String: Int] = [:]
            for cell in table.header {
                // `id` and `student_id` both name the id: either twice is a column twice.
                let name = idColumns.contains(cell.text) ? "id" : cell.text
                if let first = firstColumn[name] {
                    throw RecordFileError(
                        at: cell.location,
                        "found the column \"\(cell.text)\" a second time (first at column \(first)); expected each column once"
                    )
                }
                firstColumn[name] = cell.column
            }
            let fieldIndex = Dictionary(
                schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            var fieldOfColumn: [Int] = []
            for (index, cell) in table.header.enumerated() {
                if index == idColumn {
                    fieldOfColumn.append(-1)
                } else if let field = fieldIndex[cell.text] {
                    fieldOfColumn.append(field)
                } else {
                    throw RecordFileError(
                        at: cell.location,
                        "found the column \"\(cell.text)\"; expected id and fields of the schema"
                            + Suggestion.hint(for: cell.text, in: schema.fields.map(\.name)))
                }
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

        init(_ table: CSVTable) throws(RecordFileError) {
            let columns = try CSVColumns.columns(
                table, required: ["student_id", "kind", "date"], optional: ["note"], isExtra: { _ in false })
            studentID = columns["student_id"] ?? 0
            kind = columns["kind"] ?? 0
            date = columns["date"] ?? 0
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

        init(_ table: CSVTable, schema: Schema) throws(RecordFileError) {
            let scoreNames = Set(schema.scales.flatMap { $0.scores.map(\.name) })
            let columns = try CSVColumns.columns(
                table, required: ["student_id", "scale", "date"], optional: ["class"],
                isExtra: { Self.itemNumber($0) != nil || scoreNames.contains($0) },
                isExtraDescription: "item1, item2, … (no leading zeros) or a score of the scale")
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

    /// Column positions of the required columns, or a file error naming the first missing one.
    private static func columns(
        _ table: CSVTable, required: [String], optional: [String], isExtra: (String) -> Bool,
        isExtraDescription: String = ""
    ) throws(RecordFileError) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, cell) in table.header.enumerated() {
            if required.contains(cell.text) || optional.contains(cell.text) || isExtra(cell.text) {
                if positions[cell.text] != nil {
                    throw RecordFileError(
                        at: cell.location, "found the column \"\(cell.text)\" twice; expected it once")
                }
                positions[cell.text] = index
            } else {
                throw RecordFileError(
                    at: cell.location,
                    "found the column \"\(cell.text)\"; expected \((required + optional).joined(separator: ", "))"
                        + (isExtraDescription.isEmpty ? "" : ", " + isExtraDescription)
                        + Suggestion.hint(for: cell.text, in: required + optional))
            }
        }
        for name in required where positions[name] == nil {
            throw RecordFileError(
                at: table.location(line: table.headerLine, column: 1),
                "found no column \(name) in the header; expected \(required.joined(separator: ", "))")
        }
        return positions
    }
}

import Foundation

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSupport
@testable import RiskScreenYAML

/// The CSV reader as it was before it read straight into record storage: it parsed cells into strings, joined each
/// student's rows into a synthetic YAML node and decoded that with ``RecordDecoder``. Kept only as a reference that
/// the tests hold the reader to (same records, same rejections in the same order, same file errors).
enum ReferenceCSVReader {
    static func read(
        studentsText: [UInt8], eventsText: [UInt8]?, scalesText: [UInt8]?, schema: Schema,
        encoding: TextEncoding = .utf8
    ) throws(RecordFileError) -> RecordBatch {
        func table(_ bytes: [UInt8], _ file: String) throws(RecordFileError) -> ReferenceCSVTable {
            try ReferenceCSVTable.parse(RecordReader.utf8Text(bytes, file: file, encoding: encoding), file: file)
        }
        let studentTable = try table(studentsText, "students.csv")
        let eventTable = try eventsText.map { bytes throws(RecordFileError) in try table(bytes, "events.csv") }
        let scaleTable = try scalesText.map { bytes throws(RecordFileError) in try table(bytes, "scales.csv") }
        return try join(students: studentTable, events: eventTable, scales: scaleTable, schema: schema)
    }

    // MARK: Joining

    static let idColumns = ["id", "student_id"]

    static func join(
        students: ReferenceCSVTable, events: ReferenceCSVTable?, scales: ReferenceCSVTable?, schema: Schema
    ) throws(RecordFileError)
        -> RecordBatch
    {
        guard let idColumn = students.header.firstIndex(where: { idColumns.contains($0.text) }) else {
            throw RecordFileError(
                .missingRequired, at: students.location(line: students.headerLine, column: 1),
                "found no id column in the header; expected a column named id or student_id")
        }
        let fieldNames = Set(schema.fields.map(\.name))
        var firstColumn: [String: Int] = [:]
        for cell in students.header {
            // `id` and `student_id` both name the id: either twice is a column twice.
            let name = idColumns.contains(cell.text) ? "id" : cell.text
            if let first = firstColumn[name] {
                throw RecordFileError(
                    .duplicateKey, at: students.location(line: cell.line, column: cell.column),
                    "found the column \"\(cell.text)\" a second time (first at column \(first)); expected each column once"
                )
            }
            firstColumn[name] = cell.column
        }
        for (index, cell) in students.header.enumerated() where index != idColumn && !fieldNames.contains(cell.text) {
            throw RecordFileError(
                .unknownField, at: students.location(line: cell.line, column: cell.column),
                "found the column \"\(cell.text)\"; expected id and fields of the schema"
                    + Suggestion.hint(for: cell.text, in: schema.fields.map(\.name)))
        }
        var batch = RecordBatch()
        var extra = ExtraRows()
        if let events { try extra.addEvents(events, schema: schema, batch: &batch) }
        if let scales { try extra.addScales(scales, schema: schema, batch: &batch) }

        let decoder = RecordDecoder(schema: schema, syntax: .text)
        var seen: [String: Int] = [:]
        for row in students.rows {
            let id = idColumn < row.cells.count ? row.cells[idColumn].text : ""
            let rowLocation = students.location(line: row.line, column: 1)
            // A rejection lists every error of the student: its row's, then its other rows'.
            let extraErrors = extra.errors[id] ?? []
            if let fault = row.fault {
                batch.rejected.append(
                    RecordError(
                        listing: [
                            RecordError(
                                fault.code, at: fault.location, studentID: id.isEmpty ? nil : id, field: nil,
                                fault.message)
                        ] + extraErrors))
                extra.consume(id)
                continue
            }
            if row.cells.count != students.header.count {
                batch.rejected.append(
                    RecordError(
                        listing: [
                            RecordError(
                                .wrongCount, at: rowLocation, studentID: id.isEmpty ? nil : id, field: nil,
                                "found \(row.cells.count) cells; expected \(students.header.count) as in the header")
                        ] + extraErrors))
                extra.consume(id)
                continue
            }
            if let first = seen[id] {
                batch.rejected.append(
                    RecordError(
                        .duplicateID, at: rowLocation, studentID: id, field: "id",
                        "found the id a second time (first at line \(first)); expected each student once"))
                continue
            }
            if !id.isEmpty { seen[id] = row.line }
            var entries: [YAMLNode.Entry] = []
            for (index, cell) in row.cells.enumerated() {
                let key = index == idColumn ? "id" : students.header[index].text
                entries.append(
                    YAMLNode.Entry(
                        key: key, keyLocation: students.location(line: cell.line, column: cell.column),
                        value: students.node(cell)))
            }
            if let eventNodes = extra.events[id] {
                entries.append(
                    YAMLNode.Entry(
                        key: "events", keyLocation: rowLocation,
                        value: YAMLNode(.sequence(eventNodes), at: eventNodes[0].location)))
            }
            if let scaleNodes = extra.scales[id] {
                entries.append(
                    YAMLNode.Entry(
                        key: "scales", keyLocation: rowLocation,
                        value: YAMLNode(.sequence(scaleNodes), at: scaleNodes[0].location)))
            }
            extra.consume(id)
            switch decoder.decode(YAMLNode(.mapping(entries), at: rowLocation)) {
            case .success(let record) where extraErrors.isEmpty: batch.records.append(record)
            case .success: batch.rejected.append(RecordError(listing: extraErrors))
            case .failure(let error): batch.rejected.append(RecordError(listing: extraErrors + [error]))
            }
        }
        // Events and scale results of students who are not in the students table: reported, never dropped silently.
        for id in extra.order where !extra.consumed.contains(id) {
            if let errors = extra.errors[id] {
                batch.rejected.append(RecordError(listing: errors))
                continue
            }
            let location = extra.events[id]?.first?.location ?? extra.scales[id]?.first?.location
            let table = extra.events[id] != nil ? "events" : "scales"
            batch.rejected.append(
                RecordError(
                    .unknownStudent, at: location ?? students.location(line: 1, column: 1), studentID: id, field: table,
                    "found \(table) of a student who is not in \((students.file as NSString).lastPathComponent); expected a row for \(id) there"
                ))
        }
        return batch
    }

    /// Events and scale results by student, and the errors of their rows.
    struct ExtraRows {
        var events: [String: [YAMLNode]] = [:]
        var scales: [String: [YAMLNode]] = [:]
        var errors: [String: [RecordError]] = [:]
        var order: [String] = []
        var consumed: Set<String> = []
        private var known: Set<String> = []

        mutating func consume(_ id: String) { consumed.insert(id) }

        private mutating func note(_ id: String) {
            if known.insert(id).inserted { order.append(id) }
        }

        /// The student id and location of an events or scales row, or nil (with the row's error recorded) when
        /// its cell count differs from the header's or it names no student.
        private mutating func checkedRow(
            _ row: ReferenceCSVTable.Row, of table: ReferenceCSVTable, columns: [String: Int], field: String,
            what: String,
            batch: inout RecordBatch
        ) -> (String, SourceLocation)? {
            let id = columns["student_id"].flatMap { $0 < row.cells.count ? row.cells[$0].text : nil } ?? ""
            let location = table.location(line: row.line, column: 1)
            if let fault = row.fault {
                fail(
                    id,
                    RecordError(
                        fault.code, at: fault.location, studentID: id.isEmpty ? nil : id, field: field, fault.message),
                    batch: &batch)
                return nil
            }
            if row.cells.count != table.header.count {
                fail(
                    id,
                    RecordError(
                        .wrongCount, at: location, studentID: id.isEmpty ? nil : id, field: field,
                        "found \(row.cells.count) cells; expected \(table.header.count) as in the header"),
                    batch: &batch)
                return nil
            }
            if id.isEmpty {
                fail(
                    id,
                    RecordError(
                        .missingRequired, at: location, studentID: nil, field: "student_id",
                        "found \(what) without student_id; expected the student's id"),
                    batch: &batch)
                return nil
            }
            return (id, location)
        }

        private mutating func fail(_ id: String, _ error: RecordError, batch: inout RecordBatch) {
            if id.isEmpty {
                batch.rejected.append(error)
                return
            }
            note(id)
            errors[id, default: []].append(error)
        }

        /// Column positions of the required columns, or a file error naming the first missing one.
        private static func columns(
            _ table: ReferenceCSVTable, required: [String], optional: [String], isExtra: (String) -> Bool,
            isExtraDescription: String = ""
        ) throws(RecordFileError)
            -> [String: Int]
        {
            var positions: [String: Int] = [:]
            for (index, cell) in table.header.enumerated() {
                if required.contains(cell.text) || optional.contains(cell.text) || isExtra(cell.text) {
                    if positions[cell.text] != nil {
                        throw RecordFileError(
                            .duplicateKey, at: table.location(line: cell.line, column: cell.column),
                            "found the column \"\(cell.text)\" twice; expected it once")
                    }
                    positions[cell.text] = index
                } else {
                    throw RecordFileError(
                        .unknownField, at: table.location(line: cell.line, column: cell.column),
                        "found the column \"\(cell.text)\"; expected \((required + optional).joined(separator: ", "))"
                            + (isExtraDescription.isEmpty ? "" : ", " + isExtraDescription)
                            + Suggestion.hint(for: cell.text, in: required + optional))
                }
            }
            for name in required where positions[name] == nil {
                throw RecordFileError(
                    .missingRequired, at: table.location(line: table.headerLine, column: 1),
                    "found no column \(name) in the header; expected \(required.joined(separator: ", "))")
            }
            return positions
        }

        mutating func addEvents(_ table: ReferenceCSVTable, schema: Schema, batch: inout RecordBatch)
            throws(RecordFileError)
        {
            let columns = try Self.columns(
                table, required: ["student_id", "kind", "date"], optional: ["note"], isExtra: { _ in false })
            for row in table.rows {
                guard
                    let (id, location) = checkedRow(
                        row, of: table, columns: columns, field: "events", what: "an event", batch: &batch)
                else { continue }
                var entries: [YAMLNode.Entry] = []
                for name in ["kind", "date", "note"] {
                    guard let index = columns[name] else { continue }
                    let cell = row.cells[index]
                    entries.append(
                        YAMLNode.Entry(
                            key: name, keyLocation: table.location(line: cell.line, column: cell.column),
                            value: table.node(cell)))
                }
                note(id)
                events[id, default: []].append(YAMLNode(.mapping(entries), at: location))
            }
        }

        mutating func addScales(_ table: ReferenceCSVTable, schema: Schema, batch: inout RecordBatch)
            throws(RecordFileError)
        {
            let scoreNames = Set(schema.scales.flatMap { $0.scores.map(\.name) })
            // `item1` … `item9999`: digits only, no sign, no leading zero, so that no two names are one item.
            func itemNumber(_ name: String) -> Int? {
                let digits = name.utf8.dropFirst(4)
                guard name.hasPrefix("item"), !digits.isEmpty, digits.count <= 4, digits.first != UInt8(ascii: "0"),
                    digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                    let number = Int(Substring(digits))
                else { return nil }
                return number
            }
            let columns = try Self.columns(
                table, required: ["student_id", "scale", "date"], optional: ["class"],
                isExtra: { itemNumber($0) != nil || scoreNames.contains($0) },
                isExtraDescription: "item1, item2, … (no leading zeros) or a score of the scale")
            var itemColumns: [Int: Int] = [:]
            var scoreColumns: [(String, Int)] = []
            for (index, cell) in table.header.enumerated() {
                if let number = itemNumber(cell.text) {
                    itemColumns[number] = index
                } else if scoreNames.contains(cell.text) {
                    scoreColumns.append((cell.text, index))
                }
            }
            let lastItem = itemColumns.keys.max() ?? 0
            for row in table.rows {
                guard
                    let (id, location) = checkedRow(
                        row, of: table, columns: columns, field: "scales", what: "a scale result", batch: &batch)
                else { continue }
                var entries: [YAMLNode.Entry] = []
                for name in ["scale", "date", "class"] {
                    guard let index = columns[name] else { continue }
                    let cell = row.cells[index]
                    if name == "class" && cell.text.isEmpty { continue }
                    entries.append(
                        YAMLNode.Entry(
                            key: name, keyLocation: table.location(line: cell.line, column: cell.column),
                            value: table.node(cell)))
                }
                // Items 1…K, where K is the last item with an answer; a gap before K is reported by the decoder.
                var last = 0
                for number in stride(from: lastItem, through: 1, by: -1) {
                    if let index = itemColumns[number], !row.cells[index].text.isEmpty {
                        last = number
                        break
                    }
                }
                if last > 0 {
                    var answers: [YAMLNode] = []
                    for number in 1...last {
                        if let index = itemColumns[number] {
                            answers.append(table.node(row.cells[index]))
                        } else {
                            answers.append(YAMLNode(.scalar("", quoted: false), at: location))
                        }
                    }
                    entries.append(
                        YAMLNode.Entry(
                            key: "items", keyLocation: answers[0].location,
                            value: YAMLNode(.sequence(answers), at: answers[0].location)))
                }
                let scores = scoreColumns.compactMap { name, index -> YAMLNode.Entry? in
                    let cell = row.cells[index]
                    guard !cell.text.isEmpty else { return nil }
                    let at = table.location(line: cell.line, column: cell.column)
                    return YAMLNode.Entry(key: name, keyLocation: at, value: table.node(cell))
                }
                if !scores.isEmpty {
                    entries.append(
                        YAMLNode.Entry(
                            key: "scores", keyLocation: scores[0].keyLocation,
                            value: YAMLNode(.mapping(scores), at: scores[0].keyLocation)))
                }
                note(id)
                scales[id, default: []].append(YAMLNode(.mapping(entries), at: location))
            }
        }
    }
}

/// A parsed CSV file: the header and the rows, each cell with its line and column.
struct ReferenceCSVTable {
    struct Cell {
        var text: String
        var line: Int
        var column: Int
    }

    struct Row {
        var line: Int
        /// The cells read; for a malformed row, those before the fault.
        var cells: [Cell]
        /// Why the row could not be read (a stray quote, text after a closing quote, a cell too long): the row is
        /// rejected and reading goes on at the next line.
        var fault: RecordFileError? = nil
    }

    var file: String
    var headerLine: Int
    var header: [Cell]
    var rows: [Row]

    func location(line: Int, column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// A cell as a record node: an empty cell is a missing value, any other is text.
    func node(_ cell: Cell) -> YAMLNode {
        YAMLNode(.scalar(cell.text, quoted: !cell.text.isEmpty), at: location(line: cell.line, column: cell.column))
    }

    static let maxCellBytes = 64 * 1024

    /// Parses RFC 4180 text (already UTF-8, byte order mark removed). Blank lines are skipped.
    static func parse(_ bytes: [UInt8], file: String) throws(RecordFileError) -> ReferenceCSVTable {
        var rows: [Row] = []
        var index = 0
        var line = 1
        var column = 1
        let end = bytes.count
        func failure(_ code: RecordError.Code, _ line: Int, _ column: Int, _ message: String) -> RecordFileError {
            RecordFileError(code, at: SourceLocation(file: file, line: line, column: column), message)
        }
        while index < end {
            let rowLine = line
            var cells: [Cell] = []
            var rowDone = false
            var sawQuote = false
            var fault: RecordFileError?
            while !rowDone {
                let cellLine = line
                let cellColumn = column
                var text: [UInt8] = []
                if index < end, bytes[index] == UInt8(ascii: "\"") {
                    sawQuote = true
                    index += 1
                    column += 1
                    while true {
                        guard index < end else {
                            throw failure(
                                .malformed,
                                cellLine, cellColumn, "found a quoted field that never closes; expected a closing \"")
                        }
                        let byte = bytes[index]
                        if byte == UInt8(ascii: "\"") {
                            if index + 1 < end, bytes[index + 1] == UInt8(ascii: "\"") {
                                text.append(byte)
                                index += 2
                                column += 2
                                continue
                            }
                            index += 1
                            column += 1
                            break
                        }
                        if byte == 0x0A {
                            line += 1
                            column = 1
                        } else if byte & 0xC0 != 0x80 {
                            column += 1
                        }
                        text.append(byte)
                        index += 1
                        if text.count > maxCellBytes {
                            throw failure(
                                .tooLarge,
                                cellLine, cellColumn,
                                "found a field longer than \(maxCellBytes) bytes; expected a shorter value")
                        }
                    }
                    if index < end, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A, bytes[index] != 0x0D {
                        // Recoverable: the field closed, so the row ends at the next line break.
                        fault = failure(
                            .malformed,
                            line, column, "found text after a closing quote; expected a comma or the end of the line")
                        break
                    }
                } else {
                    while index < end, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A {
                        let byte = bytes[index]
                        if byte == 0x0D, index + 1 == end || bytes[index + 1] == 0x0A { break }
                        if byte == UInt8(ascii: "\"") {
                            fault = failure(
                                .malformed,
                                line, column,
                                "found a quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote"
                            )
                            break
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        text.append(byte)
                        index += 1
                        if text.count > maxCellBytes {
                            fault = failure(
                                .tooLarge,
                                cellLine, cellColumn,
                                "found a field longer than \(maxCellBytes) bytes; expected a shorter value")
                            break
                        }
                    }
                }
                if fault != nil { break }
                cells.append(Cell(text: String(decoding: text, as: UTF8.self), line: cellLine, column: cellColumn))
                if index < end, bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    column += 1
                    continue
                }
                if index < end, bytes[index] == 0x0D { index += 1 }
                if index < end, bytes[index] == 0x0A { index += 1 }
                line += 1
                column = 1
                rowDone = true
            }
            if let fault {
                // The rest of the record belongs to the broken row: its remaining fields are skipped as a lenient
                // reader would read them (a quote opens a field only at its start, and such a field may hold line
                // breaks), so that no text of this record is taken for the next rows.
                var atFieldStart = false
                while index < end, bytes[index] != 0x0A {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: ",") {
                        atFieldStart = true
                        continue
                    }
                    if atFieldStart, byte == UInt8(ascii: "\"") {
                        let quoteLine = line
                        while true {
                            guard index < end else {
                                throw failure(
                                    .malformed,
                                    quoteLine, 1,
                                    "found a quoted field that never closes after a malformed row; expected a closing \""
                                )
                            }
                            let inner = bytes[index]
                            index += 1
                            if inner == 0x0A { line += 1 }
                            if inner == UInt8(ascii: "\"") {
                                if index < end, bytes[index] == UInt8(ascii: "\"") {
                                    index += 1
                                    continue
                                }
                                break
                            }
                        }
                    }
                    atFieldStart = false
                }
                if index < end { index += 1 }
                line += 1
                column = 1
                rows.append(Row(line: rowLine, cells: cells, fault: fault))
                continue
            }
            if cells.count == 1, cells[0].text.isEmpty, !sawQuote { continue }
            rows.append(Row(line: rowLine, cells: cells))
        }
        guard let first = rows.first else {
            throw failure(.malformed, 1, 1, "found an empty file; expected a header row")
        }
        if let fault = first.fault { throw fault }
        return ReferenceCSVTable(file: file, headerLine: first.line, header: first.cells, rows: Array(rows.dropFirst()))
    }
}

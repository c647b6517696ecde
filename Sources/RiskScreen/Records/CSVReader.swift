internal import Foundation

/// The text encoding of an input file: UTF-8 (with or without a byte order mark), or GB18030 as Excel in China saves it.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8; a leading byte order mark is skipped. Bytes that are not UTF-8 are refused, never guessed.
    case utf8
    /// GB18030, the superset of GBK and GB2312 that Excel and WPS save in Chinese locales.
    case gb18030
}

/// Reads student records from CSV tables joined by student id, as a university's systems export them.
///
/// - `students.csv`: a header row, then one row per student. The id column is `id` (or `student_id`); every other
///   column is a field of the schema. An empty cell is a missing value.
/// - `events.csv`: columns `student_id`, `kind`, `date` and optionally `note`; one row per event.
/// - `scales.csv`: columns `student_id`, `scale`, `date`, then either item answers `item1`…`itemN` (as many as the
///   scale has; later item columns empty), or score columns named as the scale's scores, and optionally `class`.
///
/// Files follow RFC 4180 (fields in double quotes may hold commas, line breaks and `""` for a quote). A bad row
/// rejects the student it belongs to, with file, line, student and field; the other students are still read.
public enum CSVReader {
    /// Reads a students table and, when given, the events and scales tables that belong to it.
    public static func read(
        students: String, events: String?, scales: String?, schema: Schema, encoding: TextEncoding = .utf8
    ) throws(RecordFileError) -> RecordBatch {
        let studentTable = try CSVTable.parse(RecordReader.text(ofFile: students, encoding: encoding), file: students)
        let eventTable = try events.map { path throws(RecordFileError) in
            try CSVTable.parse(RecordReader.text(ofFile: path, encoding: encoding), file: path)
        }
        let scaleTable = try scales.map { path throws(RecordFileError) in
            try CSVTable.parse(RecordReader.text(ofFile: path, encoding: encoding), file: path)
        }
        return try join(students: studentTable, events: eventTable, scales: scaleTable, schema: schema)
    }

    /// Reads the tables from their bytes instead of files, as ``read(students:events:scales:schema:encoding:)`` does
    /// (same checks, same encoding): `students.csv`, `events.csv` and `scales.csv` name them in errors. Fuzz targets and
    /// tests use it without scratch files.
    package static func read(
        studentsText: [UInt8], eventsText: [UInt8]?, scalesText: [UInt8]?, schema: Schema, encoding: TextEncoding = .utf8
    ) throws(RecordFileError) -> RecordBatch {
        func table(_ bytes: [UInt8], _ file: String) throws(RecordFileError) -> CSVTable {
            try CSVTable.parse(RecordReader.utf8Text(bytes, file: file, encoding: encoding), file: file)
        }
        let studentTable = try table(studentsText, "students.csv")
        let eventTable = try eventsText.map { bytes throws(RecordFileError) in try table(bytes, "events.csv") }
        let scaleTable = try scalesText.map { bytes throws(RecordFileError) in try table(bytes, "scales.csv") }
        return try join(students: studentTable, events: eventTable, scales: scaleTable, schema: schema)
    }

    /// The events and scales tables that belong to a students table: `X-students.csv` goes with `X-events.csv` and
    /// `X-scales.csv` in the same directory, when they exist.
    public static func companions(ofStudents path: String) -> (events: String?, scales: String?) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let lower = name.lowercased()
        guard lower.hasSuffix("students.csv") else { return (nil, nil) }
        let prefix = String(name.dropLast("students.csv".count))
        func existing(_ table: String) -> String? {
            let candidate = directory.isEmpty ? prefix + table : directory + "/" + prefix + table
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        return (existing("events.csv"), existing("scales.csv"))
    }

    // MARK: Joining

    static let idColumns = ["id", "student_id"]

    static func join(students: CSVTable, events: CSVTable?, scales: CSVTable?, schema: Schema) throws(RecordFileError)
        -> RecordBatch
    {
        guard let idColumn = students.header.firstIndex(where: { idColumns.contains($0.text) }) else {
            throw RecordFileError(
                at: students.location(line: students.headerLine, column: 1),
                "found no id column in the header; expected a column named id or student_id")
        }
        let fieldNames = Set(schema.fields.map(\.name))
        for (index, cell) in students.header.enumerated() where index != idColumn && !fieldNames.contains(cell.text) {
            throw RecordFileError(
                at: students.location(line: cell.line, column: cell.column),
                "found the column \"\(cell.text)\"; expected id and fields of the schema"
                    + Suggestion.hint(for: cell.text, in: schema.fields.map(\.name)))
        }
        var batch = RecordBatch()
        var extra = ExtraRows()
        if let events { try extra.addEvents(events, schema: schema, batch: &batch) }
        if let scales { try extra.addScales(scales, schema: schema, batch: &batch) }

        let decoder = RecordDecoder(schema: schema)
        var seen: [String: Int] = [:]
        for row in students.rows {
            let id = idColumn < row.cells.count ? row.cells[idColumn].text : ""
            let rowLocation = students.location(line: row.line, column: 1)
            if row.cells.count != students.header.count {
                batch.rejected.append(
                    RecordError(
                        at: rowLocation, studentID: id.isEmpty ? nil : id, field: nil,
                        "found \(row.cells.count) cells; expected \(students.header.count) as in the header"))
                extra.consume(id)
                continue
            }
            if let first = seen[id] {
                batch.rejected.append(
                    RecordError(
                        at: rowLocation, studentID: id, field: "id",
                        "found the id a second time (first at line \(first)); expected each student once"))
                continue
            }
            if !id.isEmpty { seen[id] = row.line }
            if let error = extra.errors[id]?.first {
                batch.rejected.append(error)
                extra.consume(id)
                continue
            }
            var entries: [YAMLNode.Entry] = []
            for (index, cell) in row.cells.enumerated() {
                let key = index == idColumn ? "id" : students.header[index].text
                entries.append(YAMLNode.Entry(key: key, keyLocation: students.location(line: cell.line, column: cell.column), value: students.node(cell)))
            }
            if let eventNodes = extra.events[id] {
                entries.append(YAMLNode.Entry(key: "events", keyLocation: rowLocation, value: YAMLNode(.sequence(eventNodes), at: eventNodes[0].location)))
            }
            if let scaleNodes = extra.scales[id] {
                entries.append(YAMLNode.Entry(key: "scales", keyLocation: rowLocation, value: YAMLNode(.sequence(scaleNodes), at: scaleNodes[0].location)))
            }
            extra.consume(id)
            switch decoder.decode(YAMLNode(.mapping(entries), at: rowLocation)) {
            case .success(let record): batch.records.append(record)
            case .failure(let error): batch.rejected.append(error)
            }
        }
        // Events and scale results of students who are not in the students table: reported, never dropped silently.
        for id in extra.order where !extra.consumed.contains(id) {
            if let error = extra.errors[id]?.first {
                batch.rejected.append(error)
                continue
            }
            let location = extra.events[id]?.first?.location ?? extra.scales[id]?.first?.location
            let table = extra.events[id] != nil ? "events" : "scales"
            batch.rejected.append(
                RecordError(
                    at: location ?? students.location(line: 1, column: 1), studentID: id, field: table,
                    "found \(table) of a student who is not in \((students.file as NSString).lastPathComponent); expected a row for \(id) there"))
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
            _ row: CSVTable.Row, of table: CSVTable, columns: [String: Int], field: String, what: String,
            batch: inout RecordBatch
        ) -> (String, SourceLocation)? {
            let id = columns["student_id"].flatMap { $0 < row.cells.count ? row.cells[$0].text : nil } ?? ""
            let location = table.location(line: row.line, column: 1)
            if row.cells.count != table.header.count {
                fail(
                    id,
                    RecordError(
                        at: location, studentID: id.isEmpty ? nil : id, field: field,
                        "found \(row.cells.count) cells; expected \(table.header.count) as in the header"),
                    batch: &batch)
                return nil
            }
            if id.isEmpty {
                fail(
                    id, RecordError(at: location, studentID: nil, field: "student_id", "found \(what) without student_id; expected the student's id"),
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
        private static func columns(_ table: CSVTable, required: [String], optional: [String], isExtra: (String) -> Bool) throws(RecordFileError)
            -> [String: Int]
        {
            var positions: [String: Int] = [:]
            for (index, cell) in table.header.enumerated() {
                if required.contains(cell.text) || optional.contains(cell.text) || isExtra(cell.text) {
                    if positions[cell.text] != nil {
                        throw RecordFileError(at: table.location(line: cell.line, column: cell.column), "found the column \"\(cell.text)\" twice; expected it once")
                    }
                    positions[cell.text] = index
                } else {
                    throw RecordFileError(
                        at: table.location(line: cell.line, column: cell.column),
                        "found the column \"\(cell.text)\"; expected \((required + optional).joined(separator: ", "))"
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

        mutating func addEvents(_ table: CSVTable, schema: Schema, batch: inout RecordBatch) throws(RecordFileError) {
            let columns = try Self.columns(table, required: ["student_id", "kind", "date"], optional: ["note"], isExtra: { _ in false })
            for row in table.rows {
                guard let (id, location) = checkedRow(row, of: table, columns: columns, field: "events", what: "an event", batch: &batch)
                else { continue }
                var entries: [YAMLNode.Entry] = []
                for name in ["kind", "date", "note"] {
                    guard let index = columns[name] else { continue }
                    let cell = row.cells[index]
                    entries.append(YAMLNode.Entry(key: name, keyLocation: table.location(line: cell.line, column: cell.column), value: table.node(cell)))
                }
                note(id)
                events[id, default: []].append(YAMLNode(.mapping(entries), at: location))
            }
        }

        mutating func addScales(_ table: CSVTable, schema: Schema, batch: inout RecordBatch) throws(RecordFileError) {
            let scoreNames = Set(schema.scales.flatMap { $0.scores.map(\.name) })
            func itemNumber(_ name: String) -> Int? {
                guard name.hasPrefix("item"), let number = Int(name.dropFirst(4)), number >= 1, number <= 10_000 else { return nil }
                return number
            }
            let columns = try Self.columns(
                table, required: ["student_id", "scale", "date"], optional: ["class"],
                isExtra: { itemNumber($0) != nil || scoreNames.contains($0) })
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
                guard let (id, location) = checkedRow(row, of: table, columns: columns, field: "scales", what: "a scale result", batch: &batch)
                else { continue }
                var entries: [YAMLNode.Entry] = []
                for name in ["scale", "date", "class"] {
                    guard let index = columns[name] else { continue }
                    let cell = row.cells[index]
                    if name == "class" && cell.text.isEmpty { continue }
                    entries.append(YAMLNode.Entry(key: name, keyLocation: table.location(line: cell.line, column: cell.column), value: table.node(cell)))
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
                    entries.append(YAMLNode.Entry(key: "items", keyLocation: answers[0].location, value: YAMLNode(.sequence(answers), at: answers[0].location)))
                }
                let scores = scoreColumns.compactMap { name, index -> YAMLNode.Entry? in
                    let cell = row.cells[index]
                    guard !cell.text.isEmpty else { return nil }
                    let at = table.location(line: cell.line, column: cell.column)
                    return YAMLNode.Entry(key: name, keyLocation: at, value: table.node(cell))
                }
                if !scores.isEmpty {
                    entries.append(YAMLNode.Entry(key: "scores", keyLocation: scores[0].keyLocation, value: YAMLNode(.mapping(scores), at: scores[0].keyLocation)))
                }
                note(id)
                scales[id, default: []].append(YAMLNode(.mapping(entries), at: location))
            }
        }
    }
}

/// A parsed CSV file: the header and the rows, each cell with its line and column.
struct CSVTable {
    struct Cell {
        var text: String
        var line: Int
        var column: Int
    }

    struct Row {
        var line: Int
        var cells: [Cell]
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
    static func parse(_ bytes: [UInt8], file: String) throws(RecordFileError) -> CSVTable {
        var rows: [Row] = []
        var index = 0
        var line = 1
        var column = 1
        let end = bytes.count
        func failure(_ line: Int, _ column: Int, _ message: String) -> RecordFileError {
            RecordFileError(at: SourceLocation(file: file, line: line, column: column), message)
        }
        while index < end {
            let rowLine = line
            var cells: [Cell] = []
            var rowDone = false
            var sawQuote = false
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
                            throw failure(cellLine, cellColumn, "found a quoted field that never closes; expected a closing \"")
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
                            throw failure(cellLine, cellColumn, "found a field longer than \(maxCellBytes) bytes; expected a shorter value")
                        }
                    }
                    if index < end, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A, bytes[index] != 0x0D {
                        throw failure(line, column, "found text after a closing quote; expected a comma or the end of the line")
                    }
                } else {
                    while index < end, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A {
                        let byte = bytes[index]
                        if byte == 0x0D, index + 1 == end || bytes[index + 1] == 0x0A { break }
                        if byte == UInt8(ascii: "\"") {
                            throw failure(line, column, "found a quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote")
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        text.append(byte)
                        index += 1
                        if text.count > maxCellBytes {
                            throw failure(cellLine, cellColumn, "found a field longer than \(maxCellBytes) bytes; expected a shorter value")
                        }
                    }
                }
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
            if cells.count == 1, cells[0].text.isEmpty, !sawQuote { continue }
            rows.append(Row(line: rowLine, cells: cells))
        }
        guard let first = rows.first else {
            throw failure(1, 1, "found an empty file; expected a header row")
        }
        return CSVTable(file: file, headerLine: first.line, header: first.cells, rows: Array(rows.dropFirst()))
    }
}

extension RecordReader {
    /// Reads one input by its name: a directory of CSV tables (`students.csv`, `events.csv`, `scales.csv`), a
    /// `…students.csv` file with its companion tables beside it, `.yaml`/`.yml`, or `.jsonl`/`.ndjson`/`.json`.
    ///
    /// Every file is checked to be text in `encoding` first: a file that is not is refused as a whole, never read as
    /// garbage.
    public static func read(contentsOf path: String, schema: Schema, encoding: TextEncoding) throws(RecordFileError) -> RecordBatch {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RecordFileError(at: SourceLocation(file: path, line: 1, column: 1), "found no file or directory \(path); expected a record file")
        }
        if isDirectory.boolValue {
            let students = path + "/students.csv"
            guard FileManager.default.fileExists(atPath: students) else {
                throw RecordFileError(
                    at: SourceLocation(file: path, line: 1, column: 1),
                    "found a directory without students.csv; expected students.csv (with events.csv and scales.csv if any)")
            }
            let companions = CSVReader.companions(ofStudents: students)
            return try CSVReader.read(students: students, events: companions.events, scales: companions.scales, schema: schema, encoding: encoding)
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            guard lower.hasSuffix("students.csv") else {
                throw RecordFileError(
                    at: SourceLocation(file: path, line: 1, column: 1),
                    "found the table \((path as NSString).lastPathComponent); expected students.csv (events.csv and scales.csv beside it are joined to it) or their directory")
            }
            let companions = CSVReader.companions(ofStudents: path)
            return try CSVReader.read(students: path, events: companions.events, scales: companions.scales, schema: schema, encoding: encoding)
        }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            return readJSONLines(try text(ofFile: path, encoding: encoding), file: path, schema: schema)
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try readYAML(try text(ofFile: path, encoding: encoding), file: path, schema: schema)
        }
        throw RecordFileError(
            at: SourceLocation(file: path, line: 1, column: 1),
            "found a file named \((path as NSString).lastPathComponent); expected .yaml, .yml, .jsonl, .ndjson, students.csv or a directory of CSV tables")
    }

    /// The bytes of a file as UTF-8 without a byte order mark, decoded from `encoding`.
    static func text(ofFile path: String, encoding: TextEncoding) throws(RecordFileError) -> [UInt8] {
        guard let bytes = contents(ofFile: path) else {
            throw RecordFileError(at: SourceLocation(file: path, line: 1, column: 1), "could not read \(path); expected a readable file")
        }
        return try utf8Text(bytes, file: path, encoding: encoding)
    }

    /// A file's bytes, read straight into the array (a regular file's size is known, so there is no intermediate
    /// copy); nil when it cannot be read (missing, a directory, unreadable).
    static func contents(ofFile path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else { return nil }
        let size = (status.st_mode & S_IFMT) == S_IFREG ? max(0, Int(status.st_size)) : 0
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < buffer.count {
                let count = readFile(descriptor, base + initialized, buffer.count - initialized)
                if count < 0, errno == EINTR { continue }
                failed = count < 0
                guard count > 0 else { break }
                initialized += count
            }
        }
        if failed { return nil }
        // The rest of a file that is not regular (a pipe) or grew since fstat.
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { readFile(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? bytes : nil }
            bytes += chunk[..<count]
        }
    }

    /// `bytes` as UTF-8 without a byte order mark; a file that is not valid text in `encoding` is refused.
    static func utf8Text(_ bytes: [UInt8], file: String, encoding: TextEncoding) throws(RecordFileError) -> [UInt8] {
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        // A UTF-8 byte order mark is unambiguous: such a file is UTF-8 whatever encoding was asked for.
        if encoding == .utf8 || hasBOM {
            let body = hasBOM ? Array(bytes[3...]) : bytes
            if let (line, column) = firstInvalidUTF8(body) {
                throw RecordFileError(
                    at: SourceLocation(file: file, line: line, column: column),
                    "found bytes that are not UTF-8; expected UTF-8 text (a file saved by Excel in China is usually GB18030: pass --encoding gb18030)")
            }
            return body
        }
        // 0x80000632 is NSStringEncoding for kCFStringEncodingGB_18030_2000.
        guard let text = String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632)) else {
            throw RecordFileError(
                at: SourceLocation(file: file, line: 1, column: 1),
                "found bytes that are not GB18030; expected GB18030 text as --encoding gb18030 says (or UTF-8 without that option)")
        }
        return Array(text.utf8)
    }

    /// The line and column of the first byte that is not part of valid UTF-8, or nil when all of it is.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int)? {
        // Fast path: the common case is valid; checked in place, without making a string of the whole file.
        if isValidUTF8(bytes) { return nil }
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                if scalar.count == 1 && scalar.first == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return nil
            case .error:
                return (line, column)
            }
        }
    }

    /// True when `bytes` are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            guard let base = buffer.baseAddress else { return true }
            var index = 0
            while index < count {
                // Eight ASCII bytes at a time.
                if index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        index += 8
                        continue
                    }
                }
                let lead = base[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var low: UInt8 = 0x80
                var high: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return false
                }
                guard index + length <= count else { return false }
                let second = base[index + 1]
                guard second >= low, second <= high else { return false }
                for offset in 2..<max(2, length) where base[index + offset] & 0xC0 != 0x80 { return false }
                index += length
            }
            return true
        }
    }
}

/// `read(2)`, named apart from ``RecordReader``'s own `read` methods.
private func readFile(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

internal import Foundation
internal import RiskScreenSupport
internal import RiskScreenYAML

/// A parsed CSV file (RFC 4180): its text, its header, and where each row lies.
///
/// Parsing reads the text once to find the rows (and the rows that are malformed) but keeps no string per cell:
/// a row's cells are read again from the text when the row is decoded (``CSVCellCursor``), and a cell's line and
/// column are worked out only for a message.
struct CSVTable: Sendable {
    /// A cell with its text and place: a record value whose empty text is a missing value.
    struct Cell: RecordValue {
        var text: String
        var location: SourceLocation
        var line: Int { location.line }
        var column: Int { location.column }

        var scalar: String? { text }
        var isQuotedScalar: Bool { !text.isEmpty }
        var isNull: Bool { text.isEmpty }
        var kindDescription: String { YAMLNode.kindDescription(scalar: text, quoted: isQuotedScalar) }
    }

    /// Where a row lies in the text.
    struct Span: Sendable, Equatable {
        /// The offset of its first byte.
        var start: Int
        /// The offset just past its last cell (before its line break; for a malformed row, where the fault is).
        var end: Int
        var line: Int
        /// How many cells it has (for a malformed row, those before the fault).
        var cellCount: Int
        /// The index of its fault in ``CSVTable/faults``, or -1.
        var fault: Int
    }

    /// A row: its line, its cells and, for a malformed row, why it could not be read.
    struct Row {
        fileprivate let table: CSVTable
        fileprivate let span: Span

        var line: Int { span.line }
        /// The cells read; for a malformed row, those before the fault.
        var cells: [Cell] { table.cells(of: span) }
        /// Why the row could not be read (a stray quote, text after a closing quote, a cell too long): the row is
        /// rejected and reading goes on at the next line.
        var fault: RecordFileError? { span.fault < 0 ? nil : table.faults[span.fault] }
    }

    /// The rows after the header, in order.
    struct Rows: RandomAccessCollection {
        fileprivate let table: CSVTable
        var startIndex: Int { 0 }
        var endIndex: Int { table.spans.count - 1 }
        subscript(position: Int) -> Row { Row(table: table, span: table.spans[position + 1]) }
    }

    var file: String
    /// The file's text, UTF-8.
    let text: [UInt8]
    /// The header row first, then every other row; blank lines are left out.
    let spans: [Span]
    /// The faults of malformed rows.
    let faults: [RecordFileError]
    let header: [Cell]

    var headerLine: Int { spans[0].line }
    var rows: Rows { Rows(table: self) }
    /// The spans of the rows after the header.
    var rowSpans: ArraySlice<Span> { spans[1...] }

    func location(line: Int, column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }

    static let maxCellBytes = 64 * 1024

    /// Parses RFC 4180 text (already UTF-8, byte order mark removed). Blank lines are skipped.
    static func parse(_ bytes: [UInt8], file: String) throws(RecordFileError) -> CSVTable {
        let found = bytes.withUnsafeBufferPointer { text in
            quoteFreeRows(of: text).map { .success(($0, [])) } ?? rows(of: text, file: file)
        }
        let (spans, faults) = try found.get()
        guard let first = spans.first else {
            throw RecordFileError(
                .malformed, at: SourceLocation(file: file, line: 1, column: 1),
                "found an empty file; expected a header row")
        }
        if first.fault >= 0 { throw faults[first.fault] }
        let header = bytes.withUnsafeBufferPointer { cells(of: first, in: $0, file: file) }
        return CSVTable(file: file, text: bytes, spans: spans, faults: faults, header: header)
    }

    private init(file: String, text: [UInt8], spans: [Span], faults: [RecordFileError], header: [Cell]) {
        self.file = file
        self.text = text
        self.spans = spans
        self.faults = faults
        self.header = header
    }

    /// The rows of text with no quote and no line longer than a cell may be, as ``rows(of:file:)`` finds them but
    /// faster: each line is a row, its cells are its commas plus one, a line break is LF or CR LF (and a CR at the end
    /// of the text ends its last line), and an empty line is blank. Nil for any other text.
    static func quoteFreeRows(of bytes: UnsafeBufferPointer<UInt8>) -> [Span]? {
        guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "\"")), bytes.count) == nil else {
            return nil
        }
        var spans: [Span] = []
        var start = 0
        var line = 1
        let end = bytes.count
        while start < end {
            let lineEnd =
                memchr(base + start, 0x0A, end - start).map {
                    base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                } ?? end
            var contentEnd = lineEnd
            if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            guard contentEnd - start <= maxCellBytes else { return nil }
            if contentEnd > start {
                var commas = 0
                for index in start..<contentEnd where bytes[index] == UInt8(ascii: ",") { commas += 1 }
                spans.append(Span(start: start, end: contentEnd, line: line, cellCount: commas + 1, fault: -1))
            }
            start = lineEnd + 1
            line += 1
        }
        return spans
    }

    /// The rows of `bytes`, with the faults of malformed ones; or why the text cannot be read at all.
    static func rows(
        of bytes: UnsafeBufferPointer<UInt8>, file: String
    ) -> Result<([Span], [RecordFileError]), RecordFileError> {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var spans: [Span] = []
        var faults: [RecordFileError] = []
        var index = 0
        var line = 1
        let end = bytes.count
        func failure(_ code: RecordError.Code, _ line: Int, _ column: Int, _ message: String) -> RecordFileError {
            RecordFileError(code, at: SourceLocation(file: file, line: line, column: column), message)
        }
        func failure(_ code: RecordError.Code, at offset: Int, rowStart: Int, rowLine: Int, _ message: String)
            -> RecordFileError
        {
            let place = CSVTable.position(of: offset, in: bytes, rowStart: rowStart, rowLine: rowLine)
            return failure(code, place.line, place.column, message)
        }
        while index < end {
            let rowStart = index
            let rowLine = line
            var cellCount = 0
            var sawQuote = false
            var contentEnd = index
            var fault: RecordFileError?
            while true {
                let cellStart = index
                if index < end, bytes[index] == quote {
                    sawQuote = true
                    index += 1
                    var length = 0
                    while true {
                        guard index < end else {
                            return .failure(
                                failure(
                                    .malformed, at: cellStart, rowStart: rowStart, rowLine: rowLine,
                                    "found a quoted field that never closes; expected a closing \""))
                        }
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < end, bytes[index + 1] == quote {
                                length += 1
                                index += 2
                                continue
                            }
                            index += 1
                            break
                        }
                        if byte == 0x0A { line += 1 }
                        length += 1
                        index += 1
                        if length > maxCellBytes {
                            return .failure(
                                failure(
                                    .tooLarge, at: cellStart, rowStart: rowStart, rowLine: rowLine,
                                    "found a field longer than \(maxCellBytes) bytes; expected a shorter value"))
                        }
                    }
                    if index < end, bytes[index] != comma, bytes[index] != 0x0A, bytes[index] != 0x0D {
                        // Recoverable: the field closed, so the row ends at the next line break.
                        fault = failure(
                            .malformed, at: index, rowStart: rowStart, rowLine: rowLine,
                            "found text after a closing quote; expected a comma or the end of the line")
                        break
                    }
                } else {
                    while index < end {
                        let byte = bytes[index]
                        if byte == comma || byte == 0x0A { break }
                        if byte == 0x0D, index + 1 == end || bytes[index + 1] == 0x0A { break }
                        if byte == quote {
                            fault = failure(
                                .malformed, at: index, rowStart: rowStart, rowLine: rowLine,
                                "found a quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote"
                            )
                            break
                        }
                        index += 1
                        if index - cellStart > maxCellBytes {
                            fault = failure(
                                .tooLarge, at: cellStart, rowStart: rowStart, rowLine: rowLine,
                                "found a field longer than \(maxCellBytes) bytes; expected a shorter value")
                            break
                        }
                    }
                }
                if fault != nil { break }
                cellCount += 1
                if index < end, bytes[index] == comma {
                    index += 1
                    continue
                }
                contentEnd = index
                if index < end, bytes[index] == 0x0D { index += 1 }
                if index < end, bytes[index] == 0x0A { index += 1 }
                line += 1
                break
            }
            if let fault {
                // The rest of the record belongs to the broken row: its remaining fields are skipped as a lenient
                // reader would read them (a quote opens a field only at its start, and such a field may hold line
                // breaks), so that no text of this record is taken for the next rows.
                let faultAt = index
                var atFieldStart = false
                while index < end, bytes[index] != 0x0A {
                    let byte = bytes[index]
                    index += 1
                    if byte == comma {
                        atFieldStart = true
                        continue
                    }
                    if atFieldStart, byte == quote {
                        let quoteLine = line
                        while true {
                            guard index < end else {
                                return .failure(
                                    failure(
                                        .malformed, quoteLine, 1,
                                        "found a quoted field that never closes after a malformed row; expected a closing \""
                                    ))
                            }
                            let inner = bytes[index]
                            index += 1
                            if inner == 0x0A { line += 1 }
                            if inner == quote {
                                if index < end, bytes[index] == quote {
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
                spans.append(
                    Span(start: rowStart, end: faultAt, line: rowLine, cellCount: cellCount, fault: faults.count))
                faults.append(fault)
                continue
            }
            // A blank line: one empty unquoted cell.
            if cellCount == 1, !sawQuote, contentEnd == rowStart { continue }
            spans.append(Span(start: rowStart, end: contentEnd, line: rowLine, cellCount: cellCount, fault: -1))
        }
        return .success((spans, faults))
    }

    /// The line and column of byte `offset` of a row that starts at `rowStart` on `rowLine`: a line break (inside a
    /// quoted field) starts a new line, and every character counts one column, as the parser counts them.
    static func position(
        of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, rowStart: Int, rowLine: Int
    ) -> (line: Int, column: Int) {
        var line = rowLine
        var column = 1
        for index in rowStart..<offset {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Where byte `offset` of the row `span` of `bytes` (the text of `file`) is.
    static func location(ofOffset offset: Int, in span: Span, of bytes: UnsafeBufferPointer<UInt8>, file: String)
        -> SourceLocation
    {
        let place = position(of: offset, in: bytes, rowStart: span.start, rowLine: span.line)
        return SourceLocation(file: file, line: place.line, column: place.column)
    }

    /// The cells of a row of `bytes` (the text of `file`), each with its text and place (counted on from the cell
    /// before, so a wide row costs one pass).
    static func cells(of span: Span, in bytes: UnsafeBufferPointer<UInt8>, file: String) -> [Cell] {
        var cursor = CSVCellCursor(bytes, span: span)
        var cells: [Cell] = []
        var counted = (offset: span.start, line: span.line, column: 1)
        while let cell = cursor.next() {
            let place = position(of: cell.rawStart, in: bytes, rowStart: counted.offset, rowLine: counted.line)
            counted = (
                cell.rawStart, place.line, place.line == counted.line ? counted.column + place.column - 1 : place.column
            )
            cells.append(
                Cell(
                    text: cell.text(in: bytes),
                    location: SourceLocation(file: file, line: counted.line, column: counted.column)))
        }
        return cells
    }

    /// The cells of a row, each with its text and place.
    func cells(of span: Span) -> [Cell] {
        text.withUnsafeBufferPointer { Self.cells(of: span, in: $0, file: file) }
    }
}

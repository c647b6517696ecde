/// Reads the cells of one row of a parsed ``CSVTable`` in order, straight from the text, without making strings.
///
/// The parser has already checked the row: a quoted cell closes and is followed by a comma or the row's end, and an
/// unquoted one holds no quote. (A malformed row yields the cells before its fault.)
struct CSVCellCursor {
    /// Where one cell's text lies.
    struct Cell {
        /// Where the cell starts: its opening quote, if it is quoted.
        var rawStart: Int
        /// The text's bytes: between the quotes of a quoted cell, where `""` still stands for one quote.
        var start: Int
        var end: Int
        /// True when the text holds a `""`: its bytes are then not its text.
        var hasEscapedQuotes: Bool

        /// True for an empty cell (a missing value), quoted or not.
        var isEmpty: Bool { start == end }

        /// The text's bytes as they stand (with `""` doubled: read them only when ``hasEscapedQuotes`` is false).
        func bytes(in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: text[start..<end])
        }

        /// The cell's text, each `""` read as one quote.
        func text(in text: UnsafeBufferPointer<UInt8>) -> String {
            guard hasEscapedQuotes else { return String(decoding: bytes(in: text), as: UTF8.self) }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(end - start)
            var index = start
            while index < end {
                unescaped.append(text[index])
                index += text[index] == UInt8(ascii: "\"") ? 2 : 1
            }
            return String(decoding: unescaped, as: UTF8.self)
        }
    }

    private let text: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let rowEnd: Int
    private var remaining: Int

    /// A cursor at the first cell of the row `span` of `text`.
    init(_ text: UnsafeBufferPointer<UInt8>, span: CSVTable.Span) {
        self.text = text
        index = span.start
        rowEnd = span.end
        remaining = span.cellCount
    }

    /// The next cell, or nil after the last.
    mutating func next() -> Cell? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let rawStart = index
        if index < rowEnd, text[index] == quote {
            let start = index + 1
            var position = start
            var escaped = false
            while true {
                if text[position] == quote {
                    if position + 1 < text.count, text[position + 1] == quote {
                        escaped = true
                        position += 2
                        continue
                    }
                    break
                }
                position += 1
            }
            // Past the closing quote, then past the comma that follows it (if any).
            index = position + 2
            return Cell(rawStart: rawStart, start: start, end: position, hasEscapedQuotes: escaped)
        }
        var position = index
        while position < rowEnd, text[position] != comma { position += 1 }
        index = position + 1
        return Cell(rawStart: rawStart, start: rawStart, end: position, hasEscapedQuotes: false)
    }

    /// Skips the next `count` cells.
    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = next() }
    }
}

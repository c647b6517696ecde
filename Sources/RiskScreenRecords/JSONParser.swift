internal import RiskScreenSupport
internal import RiskScreenYAML

/// A strict JSON parser that yields ``YAMLNode``s with line and column, so JSON Lines records share the YAML decoder.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let end: Int
    private let file: String
    private let line: Int
    private var column = 1
    private var depth = 0
    /// The record's key whose value is being read, for messages.
    private var field: String?
    private static let maxDepth = 64

    struct Failure: Error {
        var location: SourceLocation
        var message: String
        var code: RecordError.Code
        /// The record's key being read when the line broke off, if it got that far.
        var field: String?
        /// The student's id, when the line names one that can be read.
        var studentID: String?
    }

    /// Parses one JSON value that fills `range` of `bytes` (one line of a JSON Lines file).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String, line: Int) throws(Failure)
        -> YAMLNode
    {
        var parser = JSONParser(bytes: bytes, index: range.lowerBound, end: range.upperBound, file: file, line: line)
        do throws(Failure) {
            parser.skipSpace()
            let value = try parser.parseValue()
            parser.skipSpace()
            if parser.index < parser.end {
                parser.field = nil
                throw parser.failure(.malformed, "found more text after the record; expected one JSON object per line")
            }
            return value
        } catch {
            var named = error
            named.field = parser.field
            named.studentID = studentID(in: bytes, range: range)
            throw named
        }
    }

    /// The string value of the record's own `"id"` key (at the top level of the object) on a line that may not
    /// parse, for naming the student in a message; nil when there is none or it has escapes.
    static func studentID(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> String? {
        var index = range.lowerBound
        var depth = 0
        var lastString: Range<Int>?
        var lastStringDepth = -1
        var afterColon = false
        while index < range.upperBound {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                var stop = start
                var escaped = false
                while stop < range.upperBound, bytes[stop] != UInt8(ascii: "\"") {
                    if bytes[stop] == UInt8(ascii: "\\") {
                        escaped = true
                        stop += 1
                    }
                    stop += 1
                }
                guard stop < range.upperBound else { return nil }
                if afterColon, depth == 1, let key = lastString, lastStringDepth == 1,
                    bytes[key].elementsEqual("id".utf8)
                {
                    guard !escaped, stop > start, stop - start <= 4 * RecordCoercion.maxIDLength else { return nil }
                    return RecordReader.string(validatingUTF8: UnsafeBufferPointer(rebasing: bytes[start..<stop]))
                }
                lastString = afterColon ? nil : start..<stop
                lastStringDepth = depth
                afterColon = false
                index = stop + 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                lastString = nil
                afterColon = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                lastString = nil
                afterColon = false
            case UInt8(ascii: ":"):
                afterColon = lastString != nil
            case 0x20, 0x09, 0x0D:
                break
            default:
                lastString = nil
                afterColon = false
            }
            index += 1
        }
        return nil
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, index: Int, end: Int, file: String, line: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
        self.file = file
        self.line = line
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func failure(_ code: RecordError.Code, _ message: String) -> Failure {
        Failure(location: location, message: message, code: code)
    }

    private mutating func advance() {
        // Columns count characters: continuation bytes do not move the column.
        if index < end, bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    private mutating func skipSpace() {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { advance() }
    }

    private mutating func parseValue() throws(Failure) -> YAMLNode {
        guard index < end else { throw failure(.malformed, "found the end of the line; expected a JSON value") }
        let at = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(at)
        case UInt8(ascii: "["):
            return try parseArray(at)
        case UInt8(ascii: "\""):
            return YAMLNode(.scalar(try parseString(), quoted: true), at: at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < end, Self.isNumberByte(bytes[index]) { index += 1 }
            column += index - start
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard RecordCoercion.decimal(text.utf8) != nil else {
                throw Failure(
                    location: at,
                    message: "found \"\(text)\"; expected a JSON number written in decimal (such as 3 or 2.5)",
                    code: .malformed)
            }
            return YAMLNode(.scalar(text, quoted: false), at: at)
        default:
            for word in [Self.trueWord, Self.falseWord, Self.nullWord] where matches(word) {
                index += word.utf8CodeUnitCount
                column += word.utf8CodeUnitCount
                return YAMLNode(.scalar(word.description, quoted: false), at: at)
            }
            throw failure(.malformed, "found \(describeCurrent()); expected a JSON value")
        }
    }

    private static let trueWord: StaticString = "true"
    private static let falseWord: StaticString = "false"
    private static let nullWord: StaticString = "null"

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"),
            UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= end else { return false }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        return true
    }

    private func describeCurrent() -> String {
        guard index < end else { return "the end of the line" }
        let byte = bytes[index]
        return byte >= 0x20 && byte < 0x7F
            ? "\"\(Character(Unicode.Scalar(byte)))\"" : "the byte 0x\(String(byte, radix: 16))"
    }

    private mutating func enter(_ at: SourceLocation) throws(Failure) {
        depth += 1
        if depth > Self.maxDepth {
            throw Failure(
                location: at, message: "found nesting deeper than \(Self.maxDepth) levels; expected a flat record",
                code: .tooLarge)
        }
    }

    private mutating func parseObject(_ at: SourceLocation) throws(Failure) -> YAMLNode {
        try enter(at)
        defer { depth -= 1 }
        advance()
        var entries: [YAMLNode.Entry] = []
        var seen: Set<String> = []
        skipSpace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            advance()
            return YAMLNode(.mapping(entries), at: at)
        }
        while true {
            skipSpace()
            let keyAt = location
            guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                throw failure(.malformed, "found \(describeCurrent()); expected a key in quotes")
            }
            let key = try parseString()
            if depth == 1 { field = key }
            if !seen.insert(key).inserted {
                throw Failure(
                    location: keyAt, message: "found the key \"\(key)\" a second time; expected each key once",
                    code: .duplicateKey)
            }
            skipSpace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else {
                throw failure(.malformed, "found \(describeCurrent()); expected \":\"")
            }
            advance()
            skipSpace()
            let value = try parseValue()
            entries.append(YAMLNode.Entry(key: key, keyLocation: keyAt, value: value))
            if depth == 1 { field = nil }
            skipSpace()
            guard index < end else { throw failure(.malformed, "found the end of the line; expected \",\" or \"}\"") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                advance()
                return YAMLNode(.mapping(entries), at: at)
            }
            throw failure(.malformed, "found \(describeCurrent()); expected \",\" or \"}\"")
        }
    }

    private mutating func parseArray(_ at: SourceLocation) throws(Failure) -> YAMLNode {
        try enter(at)
        defer { depth -= 1 }
        advance()
        var items: [YAMLNode] = []
        skipSpace()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            advance()
            return YAMLNode(.sequence(items), at: at)
        }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard index < end else { throw failure(.malformed, "found the end of the line; expected \",\" or \"]\"") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                advance()
                return YAMLNode(.sequence(items), at: at)
            }
            throw failure(.malformed, "found \(describeCurrent()); expected \",\" or \"]\"")
        }
    }

    private mutating func hexDigit() throws(Failure) -> UInt32 {
        guard index < end else { throw failure(.malformed, "found the end of the line; expected a hex digit") }
        let byte = bytes[index]
        advance()
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: throw failure(.malformed, "found a bad \\u escape; expected four hex digits")
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        advance()  // opening quote
        // Fast path: no escapes before the closing quote; the bytes are taken whole.
        var scan = index
        var characters = 0
        while scan < end {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte & 0xC0 != 0x80 { characters += 1 }
            scan += 1
        }
        if scan < end, bytes[scan] == UInt8(ascii: "\"") {
            guard scan - index <= RecordCoercion.maxTextBytes * 4 else {
                throw failure(.tooLarge, "found a string longer than the limit; expected a shorter value")
            }
            guard let text = RecordReader.string(validatingUTF8: UnsafeBufferPointer(rebasing: bytes[index..<scan]))
            else {
                throw failure(.encoding, "found bytes that are not UTF-8 in a string; expected UTF-8 text")
            }
            index = scan + 1
            column += characters + 1
            return text
        }
        var utf8: [UInt8] = []
        while true {
            guard index < end else {
                throw failure(.malformed, "found the end of the line inside a string; expected a closing quote")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                advance()
                break
            }
            if byte < 0x20 {
                throw failure(.malformed, "found a control character inside a string; expected it escaped")
            }
            if byte == UInt8(ascii: "\\") {
                advance()
                guard index < end else {
                    throw failure(.malformed, "found the end of the line after \\; expected an escape")
                }
                let escape = bytes[index]
                advance()
                switch escape {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try (hexDigit() << 12) | (hexDigit() << 8) | (hexDigit() << 4) | hexDigit()
                    if code >= 0xD800 && code < 0xDC00 {
                        guard matches("\\u") else {
                            throw failure(.malformed, "found a lone surrogate; expected a pair")
                        }
                        advance()
                        advance()
                        let low = try (hexDigit() << 12) | (hexDigit() << 8) | (hexDigit() << 4) | hexDigit()
                        guard low >= 0xDC00 && low < 0xE000 else {
                            throw failure(.malformed, "found a bad surrogate pair; expected a low surrogate")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        throw failure(.malformed, "found an invalid \\u escape; expected a character")
                    }
                    utf8 += Array(String(Character(scalar)).utf8)
                default:
                    throw failure(
                        .malformed,
                        "found an unknown escape \\\(Character(Unicode.Scalar(escape))); expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u"
                    )
                }
                continue
            }
            utf8.append(byte)
            advance()
            if utf8.count > RecordCoercion.maxTextBytes * 4 {
                throw failure(.tooLarge, "found a string longer than the limit; expected a shorter value")
            }
        }
        guard let text = RecordReader.string(validatingUTF8: utf8) else {
            throw failure(.encoding, "found bytes that are not UTF-8 in a string; expected UTF-8 text")
        }
        return text
    }
}

internal import Foundation
internal import RiskScreenSupport

/// The text encoding of an input file: UTF-8 (with or without a byte order mark), or GB18030 as Excel in China saves it.
/// A set of named values that may grow: compare with `==` or switch with a `default`.
public struct TextEncoding: Sendable, Hashable, RawRepresentable, CustomStringConvertible, CaseIterable {
    /// The values this version knows, for exhaustive switches inside the package.
    package enum Value: String, Sendable, CaseIterable {
        case utf8
        case gb18030
    }

    /// Which one it is.
    package let value: Value

    package init(_ value: Value) { self.value = value }

    /// The value named by its word.
    public init?(rawValue: String) {
        guard let value = Value(rawValue: rawValue) else { return nil }
        self.value = value
    }

    /// Its word.
    public var rawValue: String { value.rawValue }
    /// Its word.
    public var description: String { value.rawValue }

    /// UTF-8; a leading byte order mark is skipped. Bytes that are not UTF-8 are refused, never guessed.
    public static let utf8 = TextEncoding(.utf8)
    /// GB18030, the superset of GBK and GB2312 that Excel and WPS save in Chinese locales.
    public static let gb18030 = TextEncoding(.gb18030)

    /// Every value this version knows, in order.
    public static let allCases: [TextEncoding] = Value.allCases.map(TextEncoding.init)
}

extension RecordReader {
    /// `bytes` as UTF-8 without a byte order mark; a file that is not valid text in `encoding` is refused.
    static func utf8Text(_ bytes: [UInt8], file: String, encoding: TextEncoding) throws(RecordFileError) -> [UInt8] {
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        // A UTF-8 byte order mark is unambiguous: such a file is UTF-8 whatever encoding was asked for.
        if encoding == .utf8 || hasBOM {
            let body = hasBOM ? Array(bytes[3...]) : bytes
            if let (line, column) = firstInvalidUTF8(body) {
                throw RecordFileError(
                    .encoding, at: SourceLocation(file: file, line: line, column: column),
                    "found bytes that are not UTF-8; expected UTF-8 text (a file saved by Excel in China is usually GB18030: pass --encoding gb18030)"
                )
            }
            return body
        }
        return try gb18030Text(bytes, file: file)
    }

    /// GB18030 bytes as UTF-8, refused unless every character is GB18030 written as GB18030 writes it: the
    /// decoded text must encode back to exactly the same bytes (a lone `80` is not read as €, nor `A3 A0` as an
    /// ideographic space). A file that is valid UTF-8 and holds a character of three or more UTF-8 bytes (as every
    /// Chinese character is) is taken for UTF-8 read with the wrong option rather than decoded into nonsense; a short
    /// GB18030 text whose two-byte characters happen to be valid UTF-8 too (女 is `C5 AE`) is read as GB18030.
    static func gb18030Text(_ bytes: [UInt8], file: String) throws(RecordFileError) -> [UInt8] {
        func failure(_ position: (line: Int, column: Int), _ message: String) -> RecordFileError {
            RecordFileError(
                .encoding, at: SourceLocation(file: file, line: position.line, column: position.column), message)
        }
        if let firstLong = bytes.firstIndex(where: { $0 >= 0xE0 }), isValidUTF8(bytes) {
            throw failure(
                position(of: firstLong, in: bytes, utf8: true),
                "found UTF-8 text; expected GB18030 text as --encoding gb18030 says (leave the option out for a UTF-8 file)"
            )
        }
        func notGB18030(_ index: Int, _ length: Int) -> RecordFileError {
            let shown = bytes[index..<min(bytes.count, index + length)].map { String($0, radix: 16, uppercase: true) }
            return failure(
                position(of: index, in: bytes, utf8: false),
                "found the bytes \(shown.joined(separator: " ")), which are not a GB18030 character; expected GB18030 text as --encoding gb18030 says"
            )
        }
        // Bytes that cannot form a character at all are found by their structure, in one pass.
        var index = 0
        while index < bytes.count {
            guard let length = gb18030Length(bytes, at: index) else { throw notGB18030(index, 1) }
            index += length
        }
        if let text = roundTrip(bytes[...]) { return Array(text.utf8) }
        // A well-formed character that does not stand for itself: halve the text at line breaks to find its line
        // (each half is converted whole), then look at that line's characters one by one.
        var range = 0..<bytes.count
        while true {
            let middle = range.lowerBound + range.count / 2
            let after = bytes[middle..<range.upperBound].firstIndex(of: 0x0A).map { $0 + 1 }.flatMap {
                $0 < range.upperBound ? $0 : nil
            }
            let before = bytes[range.lowerBound..<middle].lastIndex(of: 0x0A).map { $0 + 1 }.flatMap {
                $0 > range.lowerBound ? $0 : nil
            }
            guard let cut = after ?? before else { break }
            range = roundTrip(bytes[range.lowerBound..<cut]) == nil ? range.lowerBound..<cut : cut..<range.upperBound
        }
        index = range.lowerBound
        while index < range.upperBound {
            let length = gb18030Length(bytes, at: index) ?? 1
            if roundTrip(bytes[index..<index + length]) == nil { throw notGB18030(index, length) }
            index += length
        }
        throw failure(
            position(of: range.lowerBound, in: bytes, utf8: false),
            "found text that GB18030 cannot read back unchanged; expected GB18030 text as --encoding gb18030 says")
    }

    /// The text of GB18030 bytes when it encodes back to exactly the same bytes, or nil.
    private static func roundTrip(_ bytes: ArraySlice<UInt8>) -> String? {
        let encoding = String.Encoding(rawValue: 0x8000_0632)  // NSStringEncoding of kCFStringEncodingGB_18030_2000
        guard let text = String(data: Data(bytes), encoding: encoding), let back = text.data(using: encoding),
            back.elementsEqual(bytes)
        else { return nil }
        return text
    }

    /// The length of the GB18030 character at `index` from its structure (1, 2 or 4 bytes), or nil when the bytes
    /// there cannot start one.
    private static func gb18030Length(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        guard lead >= 0x81, lead <= 0xFE, index + 1 < bytes.count else { return nil }
        let second = bytes[index + 1]
        if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) { return 2 }
        guard (0x30...0x39).contains(second), index + 3 < bytes.count, (0x81...0xFE).contains(bytes[index + 2]),
            (0x30...0x39).contains(bytes[index + 3])
        else { return nil }
        return 4
    }

    /// The line and column of byte `offset`, counting characters as UTF-8 or GB18030 lays them out.
    private static func position(of offset: Int, in bytes: [UInt8], utf8: Bool) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
                index += 1
                continue
            }
            column += 1
            if utf8 {
                index += 1
                while index < offset, bytes[index] & 0xC0 == 0x80 { index += 1 }
            } else {
                index += gb18030Length(bytes, at: index) ?? 1
            }
        }
        return (line, column)
    }

    /// The line and column of the first byte that is not part of valid UTF-8, or nil when all of it is.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int)? {
        bytes.withUnsafeBufferPointer(firstInvalidUTF8)
    }

    /// The line and column of the first byte of `bytes` that is not part of valid UTF-8, or nil when all of it is.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
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

    /// `bytes` as a string when they are well-formed UTF-8, otherwise nil: what `String(validating:as:)` gives, without
    /// its generic path, which looked type metadata up on every call (about 1,100 instructions for a name of a few
    /// characters: a twentieth of decoding a whole record).
    static func string(validatingUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isValidUTF8(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``string(validatingUTF8:)-(UnsafeBufferPointer<UInt8>)`` of an array.
    static func string(validatingUTF8 bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { string(validatingUTF8: $0) }
    }

    /// True when `bytes` are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer(isValidUTF8)
    }

    /// True when `buffer` is well-formed UTF-8 (see ``isValidUTF8(_:)-([UInt8])``).
    static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            let count = buffer.count
            guard let base = buffer.baseAddress else { return true }
            var index = 0
            while index < count {
                // Thirty-two ASCII bytes at a time (a JSON line is mostly ASCII), then eight.
                if index + 32 <= count {
                    let block = UnsafeRawPointer(base + index)
                    let word =
                        block.loadUnaligned(as: UInt64.self) | block.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        | block.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                        | block.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        index += 32
                        continue
                    }
                }
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
                case 0xE0:
                    length = 3
                    low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED:
                    length = 3
                    high = 0x9F
                case 0xF0:
                    length = 4
                    low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4:
                    length = 4
                    high = 0x8F
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

internal import RiskScreenRules
internal import RiskScreenSupport
internal import RiskScreenYAML

/// The one policy by which every reader — the JSON Lines fast path, the careful JSON path, YAML record files and
/// CSV tables — turns a written value into a record's value, and the limits that go with it.
///
/// - Numbers are decimal as JSON writes them: an optional minus, no leading zeros, digits on both sides of a point,
///   an optional exponent. No hex, no `+`, no `.5` or `5.`, no `inf`; within ±``maxMagnitude``.
/// - In JSON a value's type is in its syntax: a number is a bare JSON number (`"3"` is text, not 3) and a boolean
///   is bare `true` or `false` (not `1`, not `"yes"`).
/// - In text cells (YAML, CSV) every value is text: a number is the same decimal with spaces around it allowed, and a
///   boolean is one of the schema's spellings (``Schema/trueSpellings``, ``Schema/falseSpellings``; by default
///   `true`, `是`, `1` and `false`, `否`, `0`), Latin letters in any case (``spells(_:_:)``). A date is `YYYY-MM-DD`,
///   or `YYYY/M/D` or `YYYY-M-D` with one- or two-digit month and day (``CivilDate/init(textUTF8:)``).
/// - A scale answer is a whole number within the scale's answer range; a score given without items lies within what
///   the items allow (``ScaleDefinition/range(ofScore:)``).
package enum RecordCoercion {
    /// How a reader's values are written.
    package enum Syntax: Sendable {
        /// JSON: a value's type is in its syntax.
        case json
        /// YAML and CSV: every value is text.
        case text
    }

    /// The longest text value, in UTF-8 bytes.
    static let maxTextBytes = 4096
    /// The most events of one kind, or results of one scale, in one record.
    static let maxListLength = 100_000
    /// The longest student id, in characters.
    static let maxIDLength = 128
    /// The largest magnitude of a numeric field.
    static let maxMagnitude = 1e9
    /// The most answers a scale result may list.
    static let maxItems = 1000

    /// The value of a decimal number in JSON's grammar, or nil for anything else.
    static func decimal(_ bytes: some Collection<UInt8>) -> Double? {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func digits() -> Int {
            var count = 0
            while index != end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                count += 1
                index = bytes.index(after: index)
            }
            return count
        }
        if index != end, bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { return nil }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { return nil }
        if index != end, bytes[index] == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            guard digits() > 0 else { return nil }
        }
        if index != end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if index != end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index = bytes.index(after: index)
            }
            guard digits() > 0 else { return nil }
        }
        guard index == end, bytes.count <= 64 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// A number written plainly — an optional minus, up to 15 digits and an optional fraction — read from
    /// `bytes[index..<end]`, stopping at the first byte that is not part of it (`index` then points there): exactly
    /// the value ``decimal(_:)`` gives, since both the digits and the power of ten are exact doubles and one division
    /// rounds correctly. Anything longer, with an exponent, or outside JSON's grammar (a leading zero, `.5`, `5.`)
    /// gives nil, for a reader's careful path to read by ``number(_:syntax:integer:)``.
    static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int, end: Int) -> Double? {
        var position = index
        var negative = false
        if position < end, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let integerStart = position
        var mantissa: Int64 = 0
        var digits = 0
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        while position < end {
            let byte = bytes[position]
            if byte >= 48, byte <= 57 {
                // More than 15 digits is the careful reader's: stop before the mantissa could overflow.
                guard digits < 15 else { return nil }
                mantissa = mantissa * 10 + Int64(byte - 48)
                digits += 1
                if seenPoint { fractionDigits += 1 } else { integerDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            position += 1
        }
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        if seenPoint, fractionDigits == 0 { return nil }
        if position < end {
            let next = bytes[position]
            if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") || next == UInt8(ascii: "+")
                || next == UInt8(ascii: "-")
            {
                return nil
            }
        }
        index = position
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ]

    /// A plainly written value (``plainDecimal(_:at:end:)``, the whole of `bytes`) of a numeric field, when it is
    /// within ``maxMagnitude``, whole if `integer`, and within `minimum…maximum`; nil for anything else, which the
    /// careful path reads and explains.
    static func plainNumber(
        _ bytes: UnsafeBufferPointer<UInt8>, integer: Bool, minimum: Double = -.infinity, maximum: Double = .infinity
    ) -> Double? {
        var index = 0
        guard let value = plainDecimal(bytes, at: &index, end: bytes.count), index == bytes.count,
            abs(value) <= maxMagnitude,
            !integer || value == value.rounded(), value >= minimum, value <= maximum
        else { return nil }
        return value
    }

    /// A student id of 1 to ``maxIDLength`` printable ASCII characters, checked by its bytes: true when it is one,
    /// nil when the bytes alone do not tell (any other byte: the id is checked as text by ``isValidID(_:)``).
    static func isPlainASCIIID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !bytes.isEmpty, bytes.count <= maxIDLength, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return nil
        }
        return true
    }

    /// A student id is 1 to ``maxIDLength`` characters with no control or bidirectional characters.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= maxIDLength && !PrintableText.needsEscape(id)
    }

    /// A numeric field's value from a node, or a message saying what was found and expected.
    static func number(_ node: some RecordValue, syntax: Syntax, integer: Bool) -> Result<Double, Message> {
        let what = integer ? "an integer" : "a number"
        guard let text = node.scalar else {
            return .failure(Message(.typeMismatch, "found \(node.kindDescription); expected \(what)"))
        }
        if syntax == .json, node.isQuotedScalar {
            return .failure(
                Message(
                    .typeMismatch, "found the text \(node.kindDescription); expected \(what) written without quotes"))
        }
        let written = syntax == .text ? String(Substring(text).trimmingCharacters()) : text
        guard let value = decimal(written.utf8) else {
            return .failure(
                Message(
                    .typeMismatch,
                    "found \(node.kindDescription); expected \(what) written in decimal (such as \(integer ? "3 or -2" : "3 or 2.5"))"
                ))
        }
        guard value.isFinite, abs(value) <= maxMagnitude else {
            return .failure(Message(.outOfRange, "found \(node.kindDescription); expected \(what) within ±1e9"))
        }
        if integer, value != value.rounded() {
            return .failure(Message(.invalidValue, "found \(node.kindDescription); expected an integer"))
        }
        return .success(value)
    }

    /// A boolean field's value from a node (1 or 0), or a message saying what was found and expected.
    static func boolean(_ node: some RecordValue, syntax: Syntax, schema: Schema) -> Result<Double, Message> {
        guard let text = node.scalar else {
            return .failure(Message(.typeMismatch, "found \(node.kindDescription); expected true or false"))
        }
        let quoted = node.isQuotedScalar
        switch syntax {
        case .json:
            if !quoted, text == "true" { return .success(1) }
            if !quoted, text == "false" { return .success(0) }
            return .failure(
                Message(
                    .typeMismatch,
                    "found \(quoted ? "the text " : "")\(node.kindDescription); expected true or false written without quotes"
                ))
        case .text:
            let written = Substring(text).trimmingCharacters().utf8
            if schema.trueSpellings.contains(where: { spells(written, $0.utf8) }) { return .success(1) }
            if schema.falseSpellings.contains(where: { spells(written, $0.utf8) }) { return .success(0) }
            let spellings = (schema.trueSpellings + schema.falseSpellings).joined(separator: ", ")
            return .failure(Message(.invalidValue, "found \(node.kindDescription); expected one of: \(spellings)"))
        }
    }

    /// True when the bytes `written` are the boolean spelling `spelling`, Latin letters compared without regard to
    /// case (`TRUE`, `True` and `true` are one spelling); every reader of text cells compares spellings so.
    @inline(__always)
    static func spells(_ written: some Collection<UInt8>, _ spelling: some Collection<UInt8>) -> Bool {
        guard written.count == spelling.count else { return false }
        for (byte, expected) in zip(written, spelling) where byte != expected {
            guard byte | 0x20 == expected | 0x20, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z")
            else { return false }
        }
        return true
    }

    /// True when `value` is a whole number within the scale's answer range.
    @inline(__always)
    static func isValidAnswer(_ value: Double, of scale: ScaleDefinition) -> Bool {
        isValidAnswer(value, minimum: scale.minimumAnswer, maximum: scale.maximumAnswer)
    }

    /// Whether `value` is a whole answer from `minimum` to `maximum` (a scale's bounds).
    @inline(__always)
    static func isValidAnswer(_ value: Double, minimum: Double, maximum: Double) -> Bool {
        // Within the range (whole-number bounds of at most ±1e9, checked at load), so the conversion cannot trap.
        value >= minimum && value <= maximum && Double(Int64(value)) == value
    }

    /// A message for a value that was refused: what was found and what was expected.
    struct Message: Error, Sendable {
        var code: RecordError.Code
        var text: String
        init(_ code: RecordError.Code, _ text: String) {
            self.code = code
            self.text = text
        }
    }
}

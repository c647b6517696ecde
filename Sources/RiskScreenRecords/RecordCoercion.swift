internal import RiskScreenRules
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
///   `true` and `false`).
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
            if index != end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
            guard digits() > 0 else { return nil }
        }
        guard index == end, bytes.count <= 64 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// A numeric field's value from a node, or a message saying what was found and expected.
    static func number(_ node: YAMLNode, syntax: Syntax, integer: Bool) -> Result<Double, Message> {
        let what = integer ? "an integer" : "a number"
        guard case .scalar(let text, let quoted) = node.content else {
            return .failure(Message("found \(node.kindDescription); expected \(what)"))
        }
        if syntax == .json, quoted {
            return .failure(Message("found the text \(node.kindDescription); expected \(what) written without quotes"))
        }
        let written = syntax == .text ? String(Substring(text).trimmingCharacters()) : text
        guard let value = decimal(written.utf8) else {
            return .failure(Message("found \(node.kindDescription); expected \(what) written in decimal (such as 3 or 2.5)"))
        }
        guard value.isFinite, abs(value) <= maxMagnitude else {
            return .failure(Message("found \(node.kindDescription); expected \(what) within ±1e9"))
        }
        if integer, value != value.rounded() {
            return .failure(Message("found \(node.kindDescription); expected an integer"))
        }
        return .success(value)
    }

    /// A boolean field's value from a node (1 or 0), or a message saying what was found and expected.
    static func boolean(_ node: YAMLNode, syntax: Syntax, schema: Schema) -> Result<Double, Message> {
        guard case .scalar(let text, let quoted) = node.content else {
            return .failure(Message("found \(node.kindDescription); expected true or false"))
        }
        switch syntax {
        case .json:
            if !quoted, text == "true" { return .success(1) }
            if !quoted, text == "false" { return .success(0) }
            return .failure(Message("found \(quoted ? "the text " : "")\(node.kindDescription); expected true or false written without quotes"))
        case .text:
            let written = String(Substring(text).trimmingCharacters())
            if schema.trueSpellings.contains(written) { return .success(1) }
            if schema.falseSpellings.contains(written) { return .success(0) }
            let spellings = (schema.trueSpellings + schema.falseSpellings).joined(separator: ", ")
            return .failure(Message("found \(node.kindDescription); expected one of: \(spellings)"))
        }
    }

    /// True when `value` is a whole number within the scale's answer range.
    @inline(__always)
    static func isValidAnswer(_ value: Double, of scale: ScaleDefinition) -> Bool {
        // Within the range (whole-number bounds of at most ±1e9, checked at load), so the conversion cannot trap.
        value >= scale.minimumAnswer && value <= scale.maximumAnswer && Double(Int64(value)) == value
    }

    /// A message for a value that was refused: what was found and what was expected.
    struct Message: Error, Sendable {
        var text: String
        init(_ text: String) { self.text = text }
    }
}

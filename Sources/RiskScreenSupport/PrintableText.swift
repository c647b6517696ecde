/// Texts from records and rule files made safe to print on a terminal or put in a spreadsheet cell.
///
/// A student id, a label or a dormitory name is data, not a command to the terminal: control characters (C0 with
/// newline, carriage return and escape, DEL, C1), bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069) and the Unicode line separators (U+2028, U+2029) are shown as visible escapes such as `\u{1B}`, so
/// a record cannot forge a row, move the cursor or reverse the text around it. JSON output escapes on its own terms
/// (``AssessmentJSON``) and is left to it.
package enum PrintableText {
    /// Whether a scalar is shown as an escape.
    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return true }
        if value < 0x61C { return false }
        return value == 0x61C || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
    }

    /// Whether a text holds a character ``escaped(_:)`` would change.
    package static func needsEscape(_ text: String) -> Bool {
        if let fromBytes = text.utf8.withContiguousStorageIfAvailable(needsEscape(utf8:)) { return fromBytes }
        return text.unicodeScalars.contains(where: needsEscape)
    }

    /// ``needsEscape(_:)-(String)`` read from well-formed UTF-8 a character at a time: every scalar escaped is a
    /// byte below 0x20 or 0x7F, or led by 0xC2 (C1: C2 80–C2 9F), 0xD8 (U+061C: D8 9C) or 0xE2 (U+200E, U+200F and
    /// U+2028–U+202E: E2 80 then 8E, 8F or A8–AE; U+2066–U+2069: E2 81 A6–A9). The arrow of a route (U+2192, E2 86
    /// 92) and the dash of an empty one (U+2014, E2 80 94) are not, and are answered here without decoding the text.
    private static func needsEscape(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == 0x7F { return true }
                index += 1
            } else if byte < 0xE0 {
                if (byte == 0xC2 || byte == 0xD8) && index + 1 < count {
                    let second = bytes[index + 1]
                    if byte == 0xC2 ? second < 0xA0 : second == 0x9C { return true }
                }
                index += 2
            } else if byte < 0xF0 {
                if byte == 0xE2 && index + 2 < count {
                    let (second, third) = (bytes[index + 1], bytes[index + 2])
                    if second == 0x80 && (third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third)) {
                        return true
                    }
                    if second == 0x81 && (0xA6...0xA9).contains(third) { return true }
                }
                index += 3
            } else {
                index += 4
            }
        }
        return false
    }

    /// The text with every control, bidirectional control and line separator written as `\u{XX}` (upper-case hex);
    /// any other text comes back unchanged.
    package static func escaped(_ text: String) -> String {
        guard needsEscape(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

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
        // Every scalar escaped is below 0x20, 0x7F, or led in UTF-8 by 0xC2 (C1), 0xD8 (U+061C) or 0xE2 (U+2000–U+2FFF):
        // a text without those bytes (nearly every one) is answered from its bytes.
        let mayNeed = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
        }
        if mayNeed == false { return false }
        return text.unicodeScalars.contains(where: needsEscape)
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

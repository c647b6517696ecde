import Foundation
import RiskScreen

/// Writes a line to standard error, where messages go; results alone go to standard output.
/// Writes to standard error; every line's control and bidi characters are shown as escapes, so that a record's
/// text in a message cannot forge lines or send terminal codes.
func printError(_ text: String, terminator: String = "\n") {
    var shown = text
    if text.unicodeScalars.contains(where: { $0 != "\n" && PrintableText.needsEscape($0) }) {
        shown = text.split(separator: "\n", omittingEmptySubsequences: false).map { PrintableText.escaped(String($0)) }
            .joined(separator: "\n")
    }
    FileHandle.standardError.write(Data((shown + terminator).utf8))
}

public import RiskScreenSupport

/// One problem found while loading rules or reading records: where, what was found, what was expected.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    /// Frozen: a closed set (error or warning); a new case comes only with a new major version of the library.
    public enum Severity: String, Sendable, Hashable {
        /// The rule set or record cannot be used.
        case error
        /// Usable, but probably not what the author meant.
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// What kind of problem it is, as a stable name to test instead of the message (which may be reworded).
    public let code: Code
    /// Where the problem is.
    public var location: SourceLocation
    /// What was found and what was expected, as one sentence.
    public var message: String
    /// The text of the source line, when known, shown under the message with a caret.
    public var sourceLine: String?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, _ code: Code, at location: SourceLocation, _ message: String, sourceLine: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:column: error: message`, then the source line and a caret under the column (the code is not shown:
    /// people read the message, programs read ``code``).
    public var description: String {
        // Control and bidi characters from the file are shown as escapes (tabs kept, for alignment); the caret is
        // placed under the text as shown.
        var text = PrintableText.escaped("\(location): \(severity.rawValue): \(message)")
        if let sourceLine {
            var shown = String.UnicodeScalarView()
            var padding = String.UnicodeScalarView()
            for (position, scalar) in sourceLine.unicodeScalars.enumerated() {
                let before = position < location.column - 1
                if scalar == "\t" {
                    shown.append(scalar)
                    if before { padding.append(scalar) }
                } else if PrintableText.needsEscape(scalar) {
                    let escape = PrintableText.escaped(String(scalar)).unicodeScalars
                    shown.append(contentsOf: escape)
                    if before { padding.append(contentsOf: repeatElement(" ", count: escape.count)) }
                } else {
                    shown.append(scalar)
                    if before { padding.append(" ") }
                }
            }
            text += "\n    \(String(shown))\n    \(String(padding))^"
        }
        return text
    }
}

/// Collects diagnostics while a whole rule set is checked, so that every error is reported at once.
struct DiagnosticBag: Sendable {
    private(set) var items: [Diagnostic] = []
    var sources: SourceTexts

    init(sources: SourceTexts = SourceTexts()) {
        self.sources = sources
    }

    var hasErrors: Bool { items.contains { $0.severity == .error } }

    mutating func error(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation) {
        items.append(Diagnostic(.error, code, at: location, message, sourceLine: sources.line(location)))
    }

    mutating func warning(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation) {
        items.append(Diagnostic(.warning, code, at: location, message, sourceLine: sources.line(location)))
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        items.append(contentsOf: other)
    }
}

/// The text of every file read so far, to quote the line a diagnostic points at.
struct SourceTexts: Sendable {
    private var lines: [String: [Substring]] = [:]

    mutating func add(file: String, text: String) {
        lines[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func line(_ location: SourceLocation) -> String? {
        guard let fileLines = lines[location.file], location.line >= 1, location.line <= fileLines.count else {
            return nil
        }
        var line = fileLines[location.line - 1]
        if line.hasSuffix("\r") { line = line.dropLast() }
        return String(line)
    }
}

/// Loading a rule set failed: every error found, in file order, with the warnings beside them.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    /// All errors and warnings, sorted by file, line and column.
    public var diagnostics: [Diagnostic]

    /// Creates the error from the diagnostics of one load.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Every diagnostic on its own lines, then a count.
    public var description: String {
        let errorCount = errors.count
        let warningCount = diagnostics.count - errorCount
        let body = diagnostics.map(\.description).joined(separator: "\n")
        return body
            + "\n\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")"
    }
}

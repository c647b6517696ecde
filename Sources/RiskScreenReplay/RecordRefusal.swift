public import RiskScreenRecords

/// Why `--record` refused to rewrite a fixture file: one located error per student it could not rewrite safely.
///
/// When this is thrown nothing was rewritten: the file stays as it was.
public struct RecordRefusal: Error, Sendable, CustomStringConvertible {
    /// The problems, each at the place it is written.
    public let errors: [RecordFileError]

    /// Creates a refusal.
    public init(_ errors: [RecordFileError]) {
        self.errors = errors
    }

    /// One `file:line:column: error: message` line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

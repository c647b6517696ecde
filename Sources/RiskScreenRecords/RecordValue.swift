internal import RiskScreenSupport
internal import RiskScreenYAML

/// A value as a reader found it, for the checks every reader shares (``RecordDecoder``, ``RecordCoercion``): a
/// scalar's text or a collection, whether the scalar was quoted, where it was written and how a message names it.
///
/// A node of a YAML or JSON record is one; so is a cell of a CSV table (``CSVTable/Cell``), read without building nodes.
protocol RecordValue {
    /// The text of a scalar; nil for a list or a mapping.
    var scalar: String? { get }
    /// True for a scalar written in quotes (in JSON: a string).
    var isQuotedScalar: Bool { get }
    /// True for a missing value: a plain empty scalar, `~` or `null` (an empty CSV cell).
    var isNull: Bool { get }
    /// How a message names the value: `nothing`, `"text"`, `a list`, `a mapping`.
    var kindDescription: String { get }
    /// Where the value was written.
    var location: SourceLocation { get }
}

extension YAMLNode: RecordValue {
    var isQuotedScalar: Bool {
        if case .scalar(_, quoted: true) = content { return true }
        return false
    }
}

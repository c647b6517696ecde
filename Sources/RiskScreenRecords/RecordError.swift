public import RiskScreenRules
public import RiskScreenSupport

/// A record that was rejected: the file, line, student and field, what was found and what was expected — for its
/// first error, with the record's other errors, each with its own place, field and message, in ``further``.
///
/// However many errors it lists, a record rejected is one rejection.
public struct RecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public let location: SourceLocation
    /// The student's id, when it could be read.
    public let studentID: String?
    /// The field (or `events`, `scales`) at fault, if one.
    public let field: String?
    /// What was found and what was expected.
    public let message: String
    /// What kind of problem it is, as a stable name to test instead of the message (which may be reworded).
    public let code: Code
    /// True when the message quotes or names a sensitive fact (a value of a sensitive field, an event of a sensitive
    /// kind, a result of a sensitive scale): ``visible(to:)`` hides it from an audience that may not see
    /// sensitive facts.
    public let revealsSensitive: Bool
    /// The record's other errors, in the order they were found (empty when it has one); none of them has further
    /// errors of its own.
    public let further: [RecordError]

    /// The most errors one record lists; past them a last error says how many more were found.
    package static let maxListed = 100

    /// Creates a record error.
    public init(_ code: Code, at location: SourceLocation, studentID: String?, field: String?, _ message: String) {
        self.init(code, at: location, studentID: studentID, field: field, message, revealsSensitive: false)
    }

    /// Creates a record error that may reveal a sensitive fact.
    package init(
        _ code: Code, at location: SourceLocation, studentID: String?, field: String?, _ message: String,
        revealsSensitive: Bool
    ) {
        self.code = code
        self.location = location
        self.studentID = studentID
        self.field = field
        self.message = message
        self.revealsSensitive = revealsSensitive
        further = []
    }

    /// One rejection of a record listing every error in `errors` (at least one), the first as its own: errors that
    /// list further errors are flattened into the list, in order. Past ``maxListed`` errors (or with `omitted` errors
    /// found and not kept) a last error says how many more there are.
    package init(listing errors: [RecordError], omitted: Int = 0) {
        var all = errors.flatMap(\.all)
        precondition(!all.isEmpty, "a rejection lists at least one error")
        let more = omitted + max(0, all.count - Self.maxListed)
        if more > 0 {
            all.removeLast(max(0, all.count - Self.maxListed))
            let last = all[all.count - 1]
            all.append(
                RecordError(
                    .moreErrors, at: last.location, studentID: last.studentID, field: nil,
                    "found \(more) more error\(more == 1 ? "" : "s") in this record, not listed; expected at most \(Self.maxListed) listed per record"
                ))
        }
        let first = all.removeFirst()
        location = first.location
        studentID = first.studentID
        field = first.field
        message = first.message
        code = first.code
        revealsSensitive = first.revealsSensitive
        further = all
    }

    /// Every error of the record: this one (without its further errors), then the further ones.
    public var all: [RecordError] {
        if further.isEmpty { return [self] }
        return [
            RecordError(
                code, at: location, studentID: studentID, field: field, message, revealsSensitive: revealsSensitive)
        ]
            + further
    }

    /// `file:line:column: error: student S1, field year: message`, one line per error of the record: control and
    /// bidi characters from the record (a newline in a value, an escape code) are shown as escapes, so a message
    /// cannot forge another line.
    public var description: String {
        ([line] + further.map(\.line)).joined(separator: "\n")
    }

    /// This error alone, on one line.
    private var line: String {
        var subject: [String] = []
        if let studentID { subject.append("student \(studentID)") }
        if let field { subject.append("field \(field)") }
        let prefix = subject.isEmpty ? "" : subject.joined(separator: ", ") + ": "
        return PrintableText.escaped("\(location): error: \(prefix)\(message)")
    }
}

extension RecordError {
    /// The error as `role` may read it (``visible(to:)``).
    package func visible(to role: Role) -> RecordError { visible(to: .role(role)) }

    /// The error as `audience` may read it: what to show anyone but the centre, since a reader's errors are given in
    /// full. A rejection in a sensitive field, of an event of a sensitive kind or of a result of a sensitive scale
    /// quotes a value the audience may not see (a PHQ-9 item-9 answer out of range says the student answered it):
    /// for an audience that does not see sensitive facts, it keeps its place and student and says only that a
    /// sensitive value could not be read. Each error of the record is judged by its own sensitivity.
    public func visible(to audience: Audience) -> RecordError {
        if audience.seesSensitive { return self }
        guard revealsSensitive || further.contains(where: \.revealsSensitive) else { return self }
        return RecordError(
            listing: all.map { error in
                guard error.revealsSensitive else { return error }
                return RecordError(
                    .withheld, at: error.location, studentID: error.studentID, field: nil,
                    "found a sensitive value that could not be read; the reason is shown to roles that see sensitive facts"
                )
            })
    }
}

/// Records read from files: the ones accepted, in file order, and every one rejected with its reason.
public struct RecordBatch: Sendable {
    /// Accepted records, in the order read.
    public var records: [StudentRecord]
    /// Rejected records, each with its reason.
    public var rejected: [RecordError]
    /// The names the accepted records carried that the schema does not know, left out when they were read with
    /// ``UnknownNames/ignore`` (always empty with ``UnknownNames/refuse``, which rejects such records instead).
    public var ignored: IgnoredNames

    /// Creates a batch.
    public init(records: [StudentRecord] = [], rejected: [RecordError] = [], ignored: IgnoredNames = IgnoredNames()) {
        self.records = records
        self.rejected = rejected
        self.ignored = ignored
    }

    /// Appends another batch.
    public mutating func append(_ other: RecordBatch) {
        records += other.records
        rejected += other.rejected
        ignored.merge(other.ignored)
    }
}

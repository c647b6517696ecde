/// A record that was rejected: the file, line, student and field, what was found and what was expected.
public struct RecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public let location: SourceLocation
    /// The student's id, when it could be read.
    public let studentID: String?
    /// The field (or `events`, `scales`) at fault, if one.
    public let field: String?
    /// What was found and what was expected.
    public let message: String

    /// Creates a record error.
    public init(at location: SourceLocation, studentID: String?, field: String?, _ message: String) {
        self.location = location
        self.studentID = studentID
        self.field = field
        self.message = message
    }

    /// `file:line:column: error: student S1, field year: message`, on one line: control and bidi characters from
    /// the record (a newline in a value, an escape code) are shown as escapes, so a message cannot forge another.
    public var description: String {
        var subject: [String] = []
        if let studentID { subject.append("student \(studentID)") }
        if let field { subject.append("field \(field)") }
        let prefix = subject.isEmpty ? "" : subject.joined(separator: ", ") + ": "
        return PrintableText.escaped("\(location): error: \(prefix)\(message)")
    }
}

/// Records read from files: the ones accepted, in file order, and every one rejected with its reason.
public struct RecordBatch: Sendable {
    /// Accepted records, in the order read.
    public var records: [StudentRecord]
    /// Rejected records, each with its reason.
    public var rejected: [RecordError]

    /// Creates a batch.
    public init(records: [StudentRecord] = [], rejected: [RecordError] = []) {
        self.records = records
        self.rejected = rejected
    }

    /// Appends another batch.
    public mutating func append(_ other: RecordBatch) {
        records += other.records
        rejected += other.rejected
    }
}

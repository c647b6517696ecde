package import RiskScreenSupport

/// The students already read into a batch, so that every reader rejects an id read a second time the same way: the
/// first record with an id is kept, each later one is rejected with where the first was.
package struct StudentIDRegister: Sendable {
    /// Where each id was first read, as the message says it: "at line 12", "in students.jsonl".
    private var firstPlace: [String: String] = [:]

    /// An empty register with room for `capacity` ids.
    package init(capacity: Int = 0) {
        firstPlace.reserveCapacity(capacity)
    }

    /// Registers `id`, read at `location`: nil the first time; every later time, the rejection of this record.
    /// `place` is where this record is, as a later rejection will name it (by default its line).
    package mutating func register(_ id: String, at location: SourceLocation, place: @autoclosure () -> String? = nil)
        -> RecordError?
    {
        if let first = firstPlace[id] {
            return RecordError(
                .duplicateID, at: location, studentID: id, field: "id",
                "found the id a second time (first \(first)); expected each student once")
        }
        firstPlace[id] = place() ?? "at line \(location.line)"
        return nil
    }
}

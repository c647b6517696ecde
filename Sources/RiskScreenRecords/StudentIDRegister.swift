package import RiskScreenSupport

/// The students already read into a batch, so that every reader rejects an id read a second time the same way: the
/// first record with an id is kept, each later one is rejected with where the first was.
package struct StudentIDRegister: Sendable {
    /// Where each id was first read: its line (0 or more), or `-1 - n` for `places[n]` (a place named otherwise,
    /// "in students.jsonl"). A number, not a text, per id: a register holds every student of a streamed cohort.
    private var firstPlace: [String: Int32] = [:]
    /// The places named otherwise, each once.
    private var places: [String] = []

    /// An empty register with room for `capacity` ids.
    package init(capacity: Int = 0) {
        firstPlace.reserveCapacity(capacity)
    }

    /// Registers `id`, read at `location`: nil the first time; every later time, the rejection of this record.
    /// `place` is where this record is, as a later rejection will name it (by default its line).
    package mutating func register(_ id: String, at location: SourceLocation, place: String? = nil)
        -> RecordError?
    {
        // One lookup for a new id (nearly every one): its place is entered at once, and put back for a repeat.
        let newPlace =
            place.map { places.last == $0 ? Int32(-places.count) : Int32(-places.count - 1) }
            ?? Int32(clamping: location.line)
        if let first = firstPlace.updateValue(newPlace, forKey: id) {
            firstPlace[id] = first
            let firstWhere = first >= 0 ? "at line \(first)" : places[Int(-1 - first)]
            return RecordError(
                .duplicateID, at: location, studentID: id, field: "id",
                "found the id a second time (first \(firstWhere)); expected each student once")
        }
        if let place, places.last != place { places.append(place) }
        return nil
    }
}

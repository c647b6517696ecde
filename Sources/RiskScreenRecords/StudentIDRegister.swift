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
    package mutating func register(_ id: String, at location: SourceLocation, place: @autoclosure () -> String? = nil)
        -> RecordError?
    {
        // One lookup, not two: a new id is entered as `unset`, then given its place. The closure reads copies of
        // what it needs, not `self`, whose dictionary is being changed.
        let (lastPlace, placeCount) = (places.last, places.count)
        let first = Self.place(of: &firstPlace[id, default: Self.unset]) {
            guard let named = place() else { return (Int32(clamping: location.line), nil) }
            return lastPlace == named ? (Int32(-placeCount), nil) : (Int32(-placeCount - 1), named)
        }
        switch first {
        case .new(let named):
            if let named { places.append(named) }
            return nil
        case .seen(let first):
            let place = first >= 0 ? "at line \(first)" : places[Int(-1 - first)]
            return RecordError(
                .duplicateID, at: location, studentID: id, field: "id",
                "found the id a second time (first \(place)); expected each student once")
        }
    }

    /// What a register found of an id.
    private enum Found {
        /// Not registered before; `named` is a place to add to ``places``.
        case new(named: String?)
        /// Registered before, at this place.
        case seen(Int32)
    }

    /// Never a place: lines are clamped to 0 or more, and `-1 - n` for the place `n` stays above it.
    private static let unset = Int32.min

    /// Sets a new id's `slot` to its place (the place's number and a new name for ``places``, if any).
    private static func place(of slot: inout Int32, _ newPlace: () -> (Int32, String?)) -> Found {
        guard slot == unset else { return .seen(slot) }
        let (place, named) = newPlace()
        slot = place
        return .new(named: named)
    }
}

@_spi(RiskScreenStorage) package import RiskScreenSupport

/// The students already read into a batch, so that every reader rejects an id read a second time the same way: the
/// first record with an id is kept, each later one is rejected with where the first was.
///
/// A register holds every student of a streamed cohort, so it keeps each id compactly (about 17 bytes for student
/// numbers read in order, against about 60 for a dictionary of strings while it grows): the ids' UTF-8 bytes, each
/// as what it adds to the one before (``FrontCodedTexts``), and an open-addressing table of numbers. Ids are the
/// same when their texts compare equal (`==`, canonical equivalence), as in a dictionary of strings: the table is
/// found by the text's own hash.
package struct StudentIDRegister: Sendable {
    /// Linear probing over a power of two of slots, at most half of them used: 0 for an empty slot, otherwise 1 + the
    /// number of the id in it.
    private var slots: [UInt32] = []
    /// Each id's hash (``hash(_:)``), kept so that growing the table hashes nothing again.
    private var hashes = BlockColumn<UInt32>()
    /// Every id's UTF-8 bytes, each as what it adds to the one before.
    private var ids = FrontCodedTexts()
    /// Where each id was first read: its line (0 or more; mostly the line after the one before), or `-1 - n` for
    /// `places[n]` (a place named otherwise, "in students.jsonl").
    private var firstPlaces = StepColumn<UInt8>()
    /// The places named otherwise, each once.
    private var places: [String] = []

    /// An empty register with room for `capacity` ids.
    package init(capacity: Int = 0) {
        if capacity > 0 { growTable(toHold: capacity) }
    }

    /// Ids registered so far.
    package var count: Int { ids.count }

    /// Registers `id`, read at `location`: nil the first time; every later time, the rejection of this record.
    /// `place` is where this record is, as a later rejection will name it (by default its line).
    package mutating func register(_ id: String, at location: SourceLocation, place: String? = nil)
        -> RecordError?
    {
        if (count + 1) * 2 > slots.count { growTable(toHold: count + 1) }
        let hash = Self.hash(id)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 {
            let number = Int(slots[slot] - 1)
            if hashes[number] == hash && self.id(number) == id {
                let first = firstPlaces[number]
                let firstWhere = first >= 0 ? "at line \(first)" : places[Int(-1 - first)]
                return RecordError(
                    .duplicateID, at: location, studentID: id, field: "id",
                    "found the id a second time (first \(firstWhere)); expected each student once")
            }
            slot = (slot + 1) & mask
        }
        // At most 2^32 - 1 ids (a table of 2^33 slots): an input of four billion lines (terabytes) at least.
        precondition(count < Int(UInt32.max), "a register holds at most 4,294,967,295 ids")
        slots[slot] = UInt32(count + 1)
        hashes.append(hash)
        ids.append(id.utf8)
        if let place {
            if places.last != place { places.append(place) }
            firstPlaces.append(-places.count)
        } else {
            firstPlaces.append(location.line)
        }
        return nil
    }

    /// The id numbered `number`, as registered (read only for an id whose hash is the same: nearly always a repeat).
    private func id(_ number: Int) -> String {
        String(decoding: ids.text(number), as: UTF8.self)
    }

    /// The hash of an id's text: `String`'s own, the same for texts that compare equal.
    private static func hash(_ id: String) -> UInt32 {
        UInt32(truncatingIfNeeded: id.hashValue)
    }

    /// Makes the table big enough for `ids` at most half full, and enters every id again.
    private mutating func growTable(toHold ids: Int) {
        var size = max(slots.count, 16)
        while size < ids * 2 { size *= 2 }
        slots = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for number in hashes.indices {
            var slot = Int(hashes[number]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(number + 1)
        }
    }
}

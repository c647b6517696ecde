internal import RiskScreenSupport

extension BatchSummary {
    /// An attention entry's place in the order of ``BatchSummary/isMoreUrgent(_:_:)`` as numbers, so that sorting
    /// the list of a whole cohort compares numbers, not entries: the level's rank, the score as a number that sorts
    /// like it (``scoreOrder(_:)``), and the id's first eight UTF-8 bytes. Only when all three are equal are the whole
    /// ids compared (``BatchSummary/precedes(_:_:)``).
    struct UrgencyKey: Sendable {
        var score: UInt64
        var idPrefix: UInt64
        var rank: Int32
        /// Where the entry is, as the builder numbers it (24 bytes a key: a list of four billion is past any memory).
        var position: UInt32

        init(rank: Int32, score: Double, studentID: String, position: Int) {
            self.rank = rank
            precondition(position < Int(UInt32.max), "an attention list holds at most 4,294,967,295 entries")
            self.score = Self.scoreOrder(score)
            self.position = UInt32(position)
            var prefix: UInt64 = 0
            var bytes = 0
            for byte in studentID.utf8.prefix(8) {
                prefix = prefix << 8 | UInt64(byte)
                bytes += 1
            }
            // Left-aligned, zeros after a shorter id: a shorter id with the same bytes ties, and the whole ids decide.
            idPrefix = prefix << (8 * (8 - bytes))
        }

        /// A score as an unsigned number in the same order, higher first: 0 for a withheld score (NaN, after every
        /// shown one), and 0 and -0 alike (``BatchSummary/scoreComesFirst(_:_:)`` ties them).
        static func scoreOrder(_ score: Double) -> UInt64 {
            if score.isNaN { return 0 }
            let bits = (score == 0 ? 0 : score).bitPattern
            // Negative numbers have every bit turned (the larger the magnitude, the smaller), positive ones the sign
            // bit: no number comes out 0 (-infinity gives 0x000F_FFFF_FFFF_FFFF).
            return bits >> 63 == 1 ? ~bits : bits | 1 << 63
        }

        /// Whether `a` comes before `b`; `studentID` gives the id of an entry by its position, read on a tie. Two
        /// entries with the same id (a batch given twice the same student) are in the order of their positions.
        static func precedes(_ a: UrgencyKey, _ b: UrgencyKey, studentID: (Int) -> String) -> Bool {
            if a.rank != b.rank { return a.rank > b.rank }
            if a.score != b.score { return a.score > b.score }
            if a.idPrefix != b.idPrefix { return a.idPrefix < b.idPrefix }
            let (first, second) = (studentID(Int(a.position)), studentID(Int(b.position)))
            if BatchSummary.precedes(first, second) { return true }
            if BatchSummary.precedes(second, first) { return false }
            return a.position < b.position
        }

        /// The positions of `keys` in order, most urgent first. A long list is sorted in parts on all cores, each in
        /// place (`keys` is left so, sorted part by part), then the parts are merged into the positions.
        static func sortedPositions(_ keys: inout [UrgencyKey], studentID: @Sendable (Int) -> String)
            -> [Int]
        {
            let parts = Parallel.workerCount(items: keys.count, minimumPerWorker: 32_768)
            let ranges = (0..<parts).map { Parallel.range(ofPart: $0, parts: parts, items: keys.count) }
            keys.withUnsafeMutableBufferPointer { buffer in
                let shared = UnsafeSendableBuffer(base: buffer.baseAddress)
                Parallel.forEach(parts: parts) { part in
                    guard let base = shared.base else { return }
                    let range = ranges[part]
                    var run = UnsafeMutableBufferPointer(start: base + range.lowerBound, count: range.count)
                    run.sort { precedes($0, $1, studentID: studentID) }
                }
            }
            // The parts merged: each time, the first of their next keys (a few parts: one per core).
            var next = ranges.map(\.lowerBound)
            let keys = keys
            return [Int](unsafeUninitializedCapacity: keys.count) { positions, initialized in
                for slot in 0..<keys.count {
                    var best = -1
                    for part in ranges.indices where next[part] < ranges[part].upperBound {
                        if best < 0 || precedes(keys[next[part]], keys[next[best]], studentID: studentID) {
                            best = part
                        }
                    }
                    positions[slot] = Int(keys[next[best]].position)
                    next[best] += 1
                }
                initialized = keys.count
            }
        }
    }
}

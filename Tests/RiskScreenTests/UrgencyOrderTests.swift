import Testing

@testable import RiskScreenScoring

/// The attention list is sorted as numbers (rank, score, the id's first eight bytes) and on all cores; the order is
/// that of comparing the entries themselves.
@Suite struct UrgencyOrderTests {
    /// What isMoreUrgent compares, and the position last (two entries of one id keep their order).
    struct Entry {
        var rank: Int32
        var score: Double
        var id: String
        var position: Int

        static func comesFirst(_ a: Entry, _ b: Entry) -> Bool {
            if a.rank != b.rank { return a.rank > b.rank }
            if let before = BatchSummary.scoreComesFirst(a.score, b.score) { return before }
            if BatchSummary.precedes(a.id, b.id) { return true }
            if BatchSummary.precedes(b.id, a.id) { return false }
            return a.position < b.position
        }
    }

    /// Entries that tie in every way but one: few ranks and scores (a withheld score, 0 and -0, infinities), ids that
    /// share eight bytes or are shorter, with a NUL byte, or not ASCII, and ids given twice.
    static func entries(count: Int, seed: UInt64) -> [Entry] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let scores: [Double] = [.nan, 0, -0.0, 1, 2.5, -1, .infinity, -.infinity, 1e300, -1e-300, 3]
        let ids = ["S0000001", "S00000011", "S000000", "S0000001\u{0}", "S0000001\u{0}a", "学号12", "学号1", "", "S"]
        return (0..<count).map { position in
            let base = ids[next(ids.count)]
            let id = next(3) == 0 ? base : base + String(next(count))
            return Entry(rank: Int32(next(4)), score: scores[next(scores.count)], id: id, position: position)
        }
    }

    @Test(arguments: [0, 1, 2, 7, 1_000, 70_000, 140_001])
    func numbersSortLikeTheEntries(count: Int) {
        let entries = Self.entries(count: count, seed: UInt64(count) + 17)
        var keys = entries.map {
            BatchSummary.UrgencyKey(rank: $0.rank, score: $0.score, studentID: $0.id, position: $0.position)
        }
        let ids = entries.map(\.id)
        let sorted = BatchSummary.UrgencyKey.sortedPositions(&keys) { ids[$0] }
        let expected = entries.sorted(by: Entry.comesFirst).map(\.position)
        #expect(sorted == expected)
    }

    @Test func scoresSortAsNumbersWithAWithheldScoreLastAndBothZerosAlike() {
        let order: [Double] = [
            .infinity, 1e300, 3, 1, .leastNonzeroMagnitude, 0, -.leastNonzeroMagnitude, -1, -1e300, -.infinity,
        ]
        let keys = order.map(BatchSummary.UrgencyKey.scoreOrder)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 > $1 })
        #expect(BatchSummary.UrgencyKey.scoreOrder(-0.0) == BatchSummary.UrgencyKey.scoreOrder(0))
        #expect(BatchSummary.UrgencyKey.scoreOrder(.nan) == 0)
        #expect(keys.allSatisfy { $0 > 0 })
    }
}

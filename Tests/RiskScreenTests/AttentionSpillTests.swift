import Foundation
import Testing

@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// The summary's attention list kept out of memory while a long stream is gathered (``BatchSummary/Builder``'s
/// `takeAttention` and `restoreAttention`) comes back as it was.
@Suite("attention list spilled")
struct AttentionSpillTests {
    /// The bytes of `taken`, handed back a piece of `size` bytes at a time.
    static func pieces(_ taken: [[UInt8]], size: Int) -> () -> [UInt8]? {
        var rest = taken.flatMap { $0 }
        return {
            guard !rest.isEmpty else { return nil }
            let piece = Array(rest.prefix(size))
            rest.removeFirst(piece.count)
            return piece
        }
    }

    @Test(arguments: [1, 7, 4096])
    func aListTakenInPartsAndMendedComesBackAsTheWholeBatchsList(pieceSize: Int) throws {
        let (rules, records, role, before, final, raised) = try StreamingTests.cohortBeforeAndAfterItsRules()
        #expect(!raised.isEmpty)
        // Parts merged as the command merges them, the list taken every other part (the last parts' entries stay
        // held), then the raised students mended, which replaces entries already taken.
        var builder = BatchSummary.Builder(rules: rules, for: .role(role))
        var taken: [[UInt8]] = []
        for (number, start) in stride(from: 0, to: records.count, by: 250).enumerated() {
            let range = start..<min(records.count, start + 250)
            var part = BatchSummary.Builder(rules: rules, for: .role(role))
            part.add(Array(records[range]), Array(before[range]), firstIndex: 0)
            builder.merge(part, indexOffset: start)
            if number % 2 == 1 && start + 500 < records.count {
                taken.append(builder.takeAttention())
                #expect(builder.heldAttentionCount == 0)
            }
        }
        #expect(taken.count > 3)
        #expect(builder.heldAttentionCount > 0)
        // A raised student already on the list before, among the entries taken: its entry is replaced by the mend.
        #expect(raised.contains { $0 < 3_000 && before[$0].levelRank >= 1 })
        var mends = BatchSummary.Builder(rules: rules, for: .role(role))
        for index in raised { mends.replace(index, record: records[index], was: before[index], now: final[index]) }
        builder.merge(mends)
        let restored = builder.restoreAttention(Self.pieces(taken, size: pieceSize))
        #expect(restored)
        let whole = BatchSummary(rules: rules, records: records, assessments: final, for: .role(role))
        let built = builder.summary()
        #expect(built.attention.count > 100)
        #expect(built.attention == whole.attention)
        #expect(AssessmentFormatting.summaryText(built) == AssessmentFormatting.summaryText(whole))
    }

    @Test func everyFieldOfAnEntryComesBackThroughItsBytes() {
        typealias Entry = BatchSummary.Builder.PendingEntry
        let entries = [
            Entry(index: 0, score: 12.5, studentID: "S0000001", group: 0, levelRank: 1, reason: 0, route: 0),
            // A withheld score, an id longer than a short string and not ASCII, the largest numbers.
            Entry(
                index: Int(Int64.max), score: .nan, studentID: "学生-2024-0000000000001-é", group: .max,
                levelRank: 4, reason: .max, route: .max),
            Entry(index: 7, score: -0.0, studentID: "", group: 3, levelRank: 2, reason: 5, route: 1),
            Entry(index: 8, score: -.infinity, studentID: "e\u{301}", group: 1, levelRank: 3, reason: 2, route: 9),
        ]
        var bytes: [UInt8] = []
        for entry in entries { entry.append(to: &bytes) }
        var offset = 0
        var read: [Entry] = []
        while let entry = Entry(bytes, at: &offset) { read.append(entry) }
        #expect(offset == bytes.count)
        #expect(read.count == entries.count)
        for (got, wanted) in zip(read, entries) {
            #expect(got.index == wanted.index)
            #expect(got.score.bitPattern == wanted.score.bitPattern)
            #expect(Array(got.studentID.utf8) == Array(wanted.studentID.utf8))
            #expect(
                [got.group, got.levelRank, got.reason, got.route]
                    == [wanted.group, wanted.levelRank, wanted.reason, wanted.route])
        }
    }

    @Test func bytesThatEndInsideAnEntryAreRefusedAndTheListIsLeftAsItWas() throws {
        let (rules, lines) = try StreamingTests.cohort()
        let engine = try ScoringEngine(rules: rules)
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let assessments = engine.assessChunk(records, asOf: StreamingTests.asOf).assessments
        var builder = BatchSummary.Builder(rules: rules, for: .fullView)
        builder.add(Array(records[0..<1_000]), Array(assessments[0..<1_000]), firstIndex: 0)
        var taken = builder.takeAttention()
        #expect(!taken.isEmpty)
        builder.add(Array(records[1_000...]), Array(assessments[1_000...]), firstIndex: 1_000)
        let held = builder.heldAttentionCount
        taken.removeLast()
        let restored = builder.restoreAttention(Self.pieces([taken], size: 512))
        #expect(!restored)
        #expect(builder.heldAttentionCount == held)
    }
}

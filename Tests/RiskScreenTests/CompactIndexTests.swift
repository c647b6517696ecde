import Foundation
import Testing

@testable import RiskScreenCommand
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// The streamed run's cohort-rule index, kept in a scratch file while the cohort is read, gives back each student's
/// line, result and input, in order, for the students whose keys a rule's triggers match.
@Suite("compact index")
struct CompactIndexTests {
    @Test(arguments: [1, 100, 1 << 20])
    func theStudentsWhoseKeysMatchComeBackWithTheirLinesResultsAndInputs(bufferBytes: Int) throws {
        let (rules, lines) = try StreamingTests.cohort()
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        #expect(records.count > 3_000)
        let directory = try TestSupport.directory([:])
        // Two cohort rules; the first 1,500 students from input 0, the rest from input 1, added in parts of 333 (and
        // an empty part of input 2 just before input 1's first).
        var index = CompactIndex(
            rules: 2, resultStart: 17, near: directory + "/result.json", bufferBytes: bufferBytes)
        func key(_ rule: Int, _ student: Int) -> UInt64 {
            student % (rule + 3) == 0 ? 0 : UInt64(student) &* 0x9E37_79B9_7F4A_7C15 | UInt64(rule)
        }
        // Chosen: the students whose short key of rule 1 ends in 3 (in hexadecimal), or of rule 0 in 5.
        func chosen(_ rule: Int, _ shortKey: UInt32) -> Bool {
            shortKey % 16 == (rule == 1 ? 3 : 5)
        }
        var expected: [CompactIndex.Entry] = []
        var end = 17
        var readers: [Int] = []
        for start in stride(from: 0, to: records.count, by: 333) {
            let range = start..<min(records.count, start + 333)
            let reader = start < 1_500 ? 0 : 1
            if reader == 1 && readers.last == 0 {
                try index.add(
                    [], lineStarts: [], resultLengths: [], reader: 2, raiseKeys: [[], []])
            }
            readers.append(reader)
            let lengths = range.map { 10 + $0 % 7 }
            let lineStarts = range.map { $0 * 1_531 }
            for student in range {
                let result = end..<(end + 10 + student % 7)
                end = result.upperBound
                if chosen(1, CohortExposure.shortKey(key(1, student)))
                    || chosen(0, CohortExposure.shortKey(key(0, student)))
                {
                    expected.append(
                        CompactIndex.Entry(
                            student: student, reader: reader, lineStart: student * 1_531,
                            line: records[student].location?.line ?? 0, result: result))
                }
            }
            try index.add(
                Array(records[range]), lineStarts: lineStarts, resultLengths: lengths, reader: reader,
                raiseKeys: [range.map { key(0, $0) }, range.map { key(1, $0) }])
        }
        try index.finishWrites()
        #expect(index.count == records.count)
        #expect(index.resultEnd == end)
        var found: [CompactIndex.Entry] = []
        try index.forEachCandidate(matching: chosen, each: { found.append($0) })
        #expect(expected.count > 200)
        // Some students are chosen by rule 0 alone, some by rule 1 alone.
        #expect(expected.contains { !chosen(1, CohortExposure.shortKey(key(1, $0.student))) })
        #expect(expected.contains { !chosen(0, CohortExposure.shortKey(key(0, $0.student))) })
        #expect(found.map(\.student) == expected.map(\.student))
        #expect(found.map(\.reader) == expected.map(\.reader))
        #expect(found.map(\.lineStart) == expected.map(\.lineStart))
        #expect(found.map(\.line) == expected.map(\.line))
        #expect(found.map(\.result) == expected.map(\.result))
        #expect(Set(found.map(\.reader)) == [0, 1])
        // A key of 0 (no group: every third student's for rule 0) is never offered.
        var offeredZero = false
        try index.forEachCandidate(
            matching: { _, shortKey in
                if shortKey == 0 { offeredZero = true }
                return false
            }, each: { _ in })
        #expect(!offeredZero)
        // The scratch file has no name: nothing is left beside the result.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func withoutCohortRulesOnlyTheCountIsKept() throws {
        let (rules, lines) = try StreamingTests.cohort()
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let directory = try TestSupport.directory([:])
        var index = CompactIndex(rules: 0, near: directory + "/result.json", bufferBytes: 1)
        try index.add(records, lineStarts: [], resultLengths: [], reader: 0, raiseKeys: [])
        try index.finishWrites()
        #expect(index.count == records.count)
        var offered = 0
        try index.forEachCandidate(
            matching: { _, _ in
                offered += 1
                return true
            }, each: { _ in offered += 1 })
        #expect(offered == 0)
        #expect(index.resultEnd == 0)
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// The fast JSON Lines path gives exactly the record the careful reader gives, and leaves every unusual line to it.
@Suite struct JSONFastPathTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Both paths on one line: the fast path's record (or nil) and the careful path's result.
    func both(_ line: String, schema: Schema) throws -> (
        fast: StudentRecord?, careful: Result<StudentRecord, RecordError>
    ) {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            let fast = JSONRecordFastPath(schema: schema).decode(
                buffer, range: 0..<buffer.count, file: "f.jsonl", line: 1)
            let node = try JSONParser.parse(buffer, range: 0..<buffer.count, file: "f.jsonl", line: 1)
            return (fast, RecordDecoder(schema: schema, syntax: .json).decode(node))
        }
    }

    func same(_ a: StudentRecord, _ b: StudentRecord, schema: Schema) -> Bool {
        guard a.id == b.id, a.location == b.location, a.texts == b.texts else { return false }
        for slot in 0..<schema.valueSlotCount {
            let x = a.value(slot: slot)
            let y = b.value(slot: slot)
            if x.bitPattern != y.bitPattern { return false }
        }
        for kind in schema.eventKinds.indices
        where Array(a.eventDays(kindIndex: kind)) != Array(b.eventDays(kindIndex: kind)) {
            return false
        }
        for scale in schema.scales.indices {
            let left = a.scaleEntries(scaleIndex: scale)
            let right = b.scaleEntries(scaleIndex: scale)
            guard left.count == right.count else { return false }
            for (l, r) in zip(left, right) {
                guard l.day == r.day, l.classIndex == r.classIndex, l.itemCount == r.itemCount else { return false }
                let count = schema.scales[scale].scores.count
                for index in 0..<count
                where a.storage.scaleScores[Int(l.scoresOffset) + index].bitPattern
                    != b.storage.scaleScores[Int(r.scoresOffset) + index].bitPattern
                {
                    return false
                }
                for index in 0..<Int(l.itemCount)
                where a.storage.scaleItems[Int(l.itemsOffset) + index]
                    != b.storage.scaleItems[Int(r.itemsOffset) + index]
                {
                    return false
                }
            }
        }
        return true
    }

    @Test func generatedCohortTakesTheFastPathToTheSameRecords() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let cohort = SyntheticCohort(rules: rules, seed: 11, asOf: TestSupport.date("2026-11-23"))
        var fastCount = 0
        for index in 0..<2000 {
            let (fast, careful) = try both(cohort.jsonLine(index), schema: rules.schema)
            let expected = try careful.get()
            if let fast {
                fastCount += 1
                #expect(same(fast, expected, schema: rules.schema), "student \(expected.id)")
            }
        }
        #expect(fastCount == 2000)
    }

    @Test(arguments: [
        #"{"id": "A", "gpa": 3.25, "family_structure": "single_parent", "events": {"night_absence": ["2026-11-01"]}}"#,
        #"{"id": "A", "scales": [{"scale": "mini", "date": "2026-11-01", "items": [5, 5, 1, 1]}], "seeks_help": false}"#,
        #"  {"id":"A","failed_courses":0,"enrolled_on":"2024-09-01","college":"文学院"}  "#,
        // Keys out of the schema's order, events out of date order, one scale given three times (two on one day).
        #"{"scales": [{"items": [5, 1, 1, 2], "scale": "mini", "date": "2026-11-02"}, {"scale": "mini", "date": "2026-10-01", "items": [1, 1, 1, 1]}, {"scale": "mini", "date": "2026-11-02", "items": [2, 2, 2, 2]}, {"scale": "phq9", "date": "2026-10-01", "items": [3, 3, 3, 3, 3, 3, 3, 0, 0]}], "events": {"night_absence": ["2026-11-05", "2026-10-01"], "family_change": ["2026-09-01"], "mood_swing_report": ["2026-11-01", "2026-08-01", "2026-09-01"]}, "family_structure": "reconstituted", "id": "A", "gpa": 4.5, "college": "文学院"}"#,
    ])
    func plainLinesTakeTheFastPath(line: String) throws {
        let rules = try TestSupport.loadCampus()
        let (fast, careful) = try both(line, schema: rules.schema)
        let record = try #require(fast)
        #expect(same(record, try careful.get(), schema: rules.schema))
    }

    @Test(arguments: [
        #"{"id": "A", "gpa": 3e0}"#,
        #"{"id": "A", "college": "\u6587"}"#,
        #"{"id": "A", "gpa": null, "gpa": 3}"#,
        #"{"id": 7}"#,
        #"{"id": "A", "gpa": 9}"#,
        #"{"id": "A", "college": 3}"#,
        #"{"id": "A", "events": {"night_absence": "2026-11-01"}}"#,
        #"{"id": "A", "scales": [{"scale": "phq9", "date": "2026-11-01", "scores": {"total": 12}}]}"#,
        #"{"id": "A", "shoe": 1}"#,
    ])
    func unusualLinesAreLeftToTheCarefulReader(line: String) throws {
        let rules = try TestSupport.loadCampus()
        let bytes = Array(line.utf8)
        let fast = bytes.withUnsafeBufferPointer {
            JSONRecordFastPath(schema: rules.schema).decode($0, range: 0..<$0.count, file: "f.jsonl", line: 1)
        }
        #expect(fast == nil)
    }

    /// A scale's answers as the fast path reads them, a single digit before a comma or the bracket apart from other
    /// numbers: each list gives the careful reader's record, or is left to it.
    @Test(arguments: [
        ("[3,3,3,3,3,3,3,0,0]", true),
        ("[ 3 , 3,3 ,3,\t3,3,3,0 ,0 ]", true),
        ("[3.0, 2.50, 1, 0, 0, 0, 0, 0, 3]", false),
        ("[3.0, 2, 1, 0, 0, 0, 0, 0, 3]", true),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 10]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 01]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 1e0]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1, -1]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", false),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 1,]", false),
        ("[]", false),
        ("[" + Array(repeating: "1", count: 1_001).joined(separator: ",") + "]", false),
    ])
    func answersAreReadAsTheCarefulReaderReadsThem(items: String, fast expected: Bool) throws {
        let rules = try TestSupport.loadCampus()
        let line = #"{"id": "A", "scales": [{"scale": "phq9", "date": "2026-10-01", "items": "# + items + "}]}"
        let bytes = Array(line.utf8)
        let fast = bytes.withUnsafeBufferPointer {
            JSONRecordFastPath(schema: rules.schema).decode($0, range: 0..<$0.count, file: "f.jsonl", line: 1)
        }
        #expect((fast != nil) == expected)
        if let fast {
            let careful = try #require(try? both(line, schema: rules.schema).careful.get())
            #expect(same(fast, careful, schema: rules.schema))
        }
    }

    @Test func largeInputsAreReadInSlicesWithLineNumbersAndOrderKept() throws {
        let rules = try TestSupport.loadCampus()
        var text = ""
        for index in 0..<40_000 {
            text +=
                index == 25_000
                ? "{\"id\": \"BAD\", \"gpa\": 99}\n" : "{\"id\": \"S\(index)\", \"gpa\": 2.5, \"college\": \"理学院\"}\n"
        }
        text += "{\"id\": \"S3\"}\n"
        let batch = RecordReader.readJSONLines(Array(text.utf8), file: "big.jsonl", schema: rules.schema)
        #expect(batch.records.count == 39_999)
        #expect(batch.records.first?.id == "S0")
        #expect(batch.records.last?.id == "S39999")
        #expect(batch.records[30_000].location?.line == 30_002)
        #expect(
            batch.rejected.map(\.description) == [
                "big.jsonl:25001:22: error: student BAD, field gpa: found 99, above the largest value 5; expected 5 or less",
                "big.jsonl:40001:1: error: student S3, field id: found the id a second time (first at line 4); expected each student once",
            ])
    }

    /// Values that probe the coercion policy's edges: JSON's number grammar, overflow, types in quotes.
    static let awkwardValues = [
        "0", "-0", "01", "1.", ".5", "-.5", "1.50", "2.5e0", "1e999", "-1e-999", "99999999999999999999",
        "123456789012345",
        "1234567890123456", "0x10", "\"3\"", "\"0x3\"", "true", "false", "\"true\"", "\"yes\"", "1", "0.5", "-5",
        "null",
        "\"2026-02-30\"", "\"2026-11-01\"", "\"intact\"", "\"文学院\"", "[]", "{}", "3 ", " 3",
    ]

    @Test func bothPathsAgreeOnGeneratedAndMutatedRecords() throws {
        // A differential test: every line the fast path decodes must decode to the same record the careful way; a
        // line it leaves alone is the careful path's to accept or reject.
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let cohort = SyntheticCohort(rules: rules, seed: 5, asOf: TestSupport.date("2026-11-23"))
        var generator = SplitMix64(seed: 2026)
        var fastCount = 0
        var carefulOnly = 0
        for index in 0..<3000 {
            var line = Array(cohort.jsonLine(index % 400).utf8)
            // Replace one value (after a randomly chosen colon or inside a list) with an awkward one, or flip a byte.
            let colons = line.indices.filter { line[$0] == UInt8(ascii: ":") || line[$0] == UInt8(ascii: "[") }
            if index % 3 != 0, !colons.isEmpty {
                let start = colons[Int(generator.next() % UInt64(colons.count))] + 1
                var end = start
                while end < line.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(line[end]) {
                    end += 1
                }
                let value = Self.awkwardValues[Int(generator.next() % UInt64(Self.awkwardValues.count))]
                line.replaceSubrange(start..<end, with: Array(value.utf8))
            } else if !line.isEmpty {
                line[Int(generator.next() % UInt64(line.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let (fast, careful) = line.withUnsafeBufferPointer { buffer in
                let fast = JSONRecordFastPath(schema: rules.schema).decode(
                    buffer, range: 0..<buffer.count, file: "f.jsonl", line: 1)
                let careful = try? JSONParser.parse(buffer, range: 0..<buffer.count, file: "f.jsonl", line: 1)
                return (fast, careful.map { RecordDecoder(schema: rules.schema, syntax: .json).decode($0) })
            }
            guard let fast else {
                carefulOnly += 1
                continue
            }
            fastCount += 1
            guard case .success(let record) = careful else {
                Issue.record(
                    "the fast path took a line the careful path refuses: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            #expect(same(fast, record, schema: rules.schema), "\(String(decoding: line, as: UTF8.self))")
        }
        // Both kinds of line must have been exercised for the test to mean anything.
        #expect(fastCount > 150)
        #expect(carefulOnly > 1000)
    }

    /// A plain string ends at its first quote and is refused at a backslash or a control character before it, wherever
    /// that byte falls among the eight read at a time, and whatever bytes (high, or ones that borrow) surround it.
    @Test func plainStringStopsAtTheFirstQuoteBackslashOrControlByteAtEveryPosition() {
        let stops: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x0A, 0x1F]
        let others: [UInt8] = [0x20, 0x21, 0x23, 0x41, 0x5B, 0x5D, 0x7F, 0x80, 0x9F, 0xA0, 0xE4, 0xFF]
        /// What the string should give: scanned a byte at a time.
        func expected(_ body: [UInt8]) -> [UInt8]? {
            for (position, byte) in body.enumerated() {
                if byte == 0x22 { return Array(body[..<position]) }
                if byte == 0x5C || byte < 0x20 { return nil }
            }
            return nil
        }
        var checked = 0
        var random = SplitMix64(seed: 7)
        for length in 1...26 {
            for position in 0..<length {
                for stop in stops {
                    for _ in 0..<4 {
                        // Any bytes after the stop; only others before it.
                        var body = (0..<length).map { _ in
                            random.below(2) == 0 ? others[random.below(others.count)] : stops[random.below(stops.count)]
                        }
                        for index in 0..<position { body[index] = others[random.below(others.count)] }
                        body[position] = stop
                        let line = [0x22] + body
                        let got = line.withUnsafeBufferPointer { buffer -> [UInt8]? in
                            var cursor = JSONRecordFastPath.Cursor(bytes: buffer, index: 0, end: buffer.count)
                            return cursor.plainString().map(Array.init)
                        }
                        #expect(got == expected(body), "body \(body)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 26 * 27 / 2 * 6 * 4)
        // A string that never ends is refused, however long.
        for length in 0...20 {
            let line = [UInt8(0x22)] + [UInt8](repeating: 0x41, count: length)
            let got = line.withUnsafeBufferPointer { buffer -> [UInt8]? in
                var cursor = JSONRecordFastPath.Cursor(bytes: buffer, index: 0, end: buffer.count)
                return cursor.plainString().map(Array.init)
            }
            #expect(got == nil)
        }
    }
}

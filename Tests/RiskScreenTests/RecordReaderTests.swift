import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// Reading records from YAML and JSON Lines: good records kept, bad ones rejected with file, line, student and field.
@Suite struct RecordReaderTests {
    let rules: RuleSet

    init() throws {
        rules = try TestSupport.loadCampus()
    }

    @Test func jsonLinesAreReadAndBadLinesRejectedWithoutStoppingTheBatch() {
        let text = """
            {"id": "A1", "gpa": 3.2, "family_structure": "intact", "events": {"night_absence": ["2026-11-01"]}}

            {"id": "A2", "gpa": 9}
            {"id": "A3", "family_structure": "orphan"}
            {"id": "A4", "enrolled_on": "2026-02-30"}
            {"id": "A5", "shoe_size": 42}
            {"id": "A6", "scales": [{"scale": "phq9", "date": "2026-11-01", "items": [0, 0, 0]}]}
            not json
            {"id": "A1"}
            {"id": "A7", "name": "\\u5f20\\u4e09"}
            """
        let batch = RecordReader.readJSONLines(Array(text.utf8), file: "in.jsonl", schema: rules.schema)
        #expect(batch.records.map(\.id) == ["A1"])
        #expect(
            batch.rejected.map(\.description) == [
                "in.jsonl:3:21: error: student A2, field gpa: found 9, above the largest value 5; expected 5 or less",
                "in.jsonl:4:34: error: student A3, field family_structure: found \"orphan\"; expected one of: intact, single_parent, reconstituted",
                "in.jsonl:5:29: error: student A4, field enrolled_on: found \"2026-02-30\"; expected a date YYYY-MM-DD between 1900 and 2200",
                "in.jsonl:6:14: error: student A5, field shoe_size: found the unknown field \"shoe_size\"; expected a field of the schema",
                "in.jsonl:7:74: error: student A6, field scales: found 3 answers for phq9; expected 9 answers",
                "in.jsonl:8:1: error: found \"n\"; expected a JSON value",
                "in.jsonl:9:1: error: student A1, field id: found the id a second time (first at line 1); expected each student once",
                "in.jsonl:10:14: error: student A7, field name: found the unknown field \"name\"; expected a field of the schema",
            ])
    }

    /// A register names where each id was first read: its line, or the place given for it (a file read before), the
    /// same place once however many of its ids are registered; a new id is never rejected.
    @Test func registerNamesEachIDsFirstPlace() {
        var register = StudentIDRegister()
        func at(_ file: String, _ line: Int) -> RiskScreenSupport.SourceLocation {
            .init(file: file, line: line, column: 1)
        }
        #expect(register.register("A", at: at("a.jsonl", 1)) == nil)
        #expect(register.register("B", at: at("b.jsonl", 1), place: "in b.jsonl") == nil)
        #expect(register.register("C", at: at("b.jsonl", 2), place: "in b.jsonl") == nil)
        #expect(register.register("D", at: at("c.jsonl", 1), place: "in c.jsonl") == nil)
        #expect(register.register("E", at: at("c.jsonl", 7)) == nil)
        let repeats = ["A", "B", "C", "D", "E", "A"].map { register.register($0, at: at("d.jsonl", 3))?.message }
        #expect(
            repeats
                == [
                    "at line 1", "in b.jsonl", "in b.jsonl", "in c.jsonl", "at line 7", "at line 1",
                ].map { "found the id a second time (first \($0)); expected each student once" })
        #expect(register.register("F", at: at("d.jsonl", 4)) == nil)
    }

    @Test func yamlRecordsAcceptBothEventForms() throws {
        let text = """
            students:
              - id: Y1
                events:
                  - {kind: night_absence, date: 2026-11-01}
                  - {kind: night_absence, date: 2026-10-30}
              - id: Y2
                events: {night_absence: [2026-11-01, 2026-10-30]}
              - id: Y3
                events: [{kind: nap, date: 2026-11-01}]
            """
        let batch = try RecordReader.readYAML(Array(text.utf8), file: "in.yaml", schema: rules.schema)
        #expect(batch.records.map(\.id) == ["Y1", "Y2"])
        #expect(Array(batch.records[0].eventDays(kindIndex: 0)) == Array(batch.records[1].eventDays(kindIndex: 0)))
        #expect(
            batch.rejected.map(\.description) == [
                "in.yaml:9:21: error: student Y3, field events: found the unknown event kind \"nap\"; expected one of: night_absence, family_change, mood_swing_report, counsellor_contact"
            ])
    }

    @Test func aFixtureCohortReadsAsRecordsWithItsExpectationsSkipped() throws {
        let text = """
            as_of: 2026-11-23
            students:
              - {id: F1, gpa: 3, expect: {level: none}, why: "nothing"}
              - {id: F2, expect: attention, shoe: 1}
            """
        let batch = try RecordReader.readYAML(Array(text.utf8), file: "f.yaml", schema: rules.schema)
        #expect(batch.records.map(\.id) == ["F1"])
        #expect(batch.rejected.map(\.field) == ["shoe"])
    }

    @Test func requiredFieldsAndAbsurdValuesAreRejected() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            schema:
              fields:
                age: {type: integer, required: true}
            """
        ])
        let schema = try RuleSet.load(from: path).schema
        let text = "- {id: R1}\n- {id: R2, age: 1e300}\n- {id: R3, age: 2.5}\n- {id: R4, age: 20}\n"
        let batch = try RecordReader.readYAML(Array(text.utf8), file: "r.yaml", schema: schema)
        #expect(batch.records.map(\.id) == ["R4"])
        #expect(
            batch.rejected.map(\.message) == [
                "found no value for the required field age; expected age: integer",
                "found \"1e300\"; expected an integer within ±1e9",
                "found \"2.5\"; expected an integer",
            ])
    }

    @Test func malformedRecordFileIsAnErrorNotASilentEmptyBatch() {
        #expect(throws: RecordFileError.self) {
            try RecordReader.readYAML(Array("students: {a: 1}\n".utf8), file: "x.yaml", schema: rules.schema)
        }
        #expect(throws: RecordFileError.self) {
            try RecordReader.readYAML(Array("people: []\n".utf8), file: "x.yaml", schema: rules.schema)
        }
    }
}

/// The in-place UTF-8 check agrees with the standard library's on well-formed and malformed bytes.
@Suite struct UTF8ValidationTests {
    @Test(arguments: [
        [UInt8]("plain ASCII text, long enough for the eight-byte path".utf8),
        [UInt8]("文学院 汉语言2024-1 — “引号”".utf8),
        [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE6, 0x96], [0x80], [0xF0, 0x9F, 0x98, 0x80],
        [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0xFF],
    ])
    func agreesWithTheStandardLibrary(bytes: [UInt8]) {
        #expect(RecordReader.isValidUTF8(bytes) == (String(validating: bytes, as: UTF8.self) != nil))
    }

    @Test func agreesOnRandomBytes() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let length = Int(generator.next() % 24)
            let bytes = (0..<length).map { _ in
                // Mostly high bytes, so that multi-byte sequences and their errors are common.
                let value = generator.next()
                return value % 4 == 0 ? UInt8(value >> 8 & 0x7F) : UInt8(0x80 | (value >> 8 & 0x7F))
            }
            #expect(RecordReader.isValidUTF8(bytes) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    /// A bad byte, or a good character, at every position of a long ASCII text: where the check reads thirty-two
    /// and eight bytes at a time, and byte by byte at the end.
    @Test func findsABadByteAtEveryPositionOfALongText() {
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 100)
        for position in text.indices {
            for (inserted, valid) in [
                ([UInt8(0x80)], false), ([0xFF], false), ([0xE6, 0x96], false), ([0xE6, 0x96, 0x87], true),
            ] {
                var bytes = text
                bytes.replaceSubrange(position..<position + 1, with: inserted)
                #expect(RecordReader.isValidUTF8(bytes) == valid, "\(inserted) at \(position)")
                #expect(RecordReader.isValidUTF8(bytes) == (String(validating: bytes, as: UTF8.self) != nil))
            }
        }
    }

    /// The readers make their strings with ``RecordReader/string(validatingUTF8:)``: the same string as the standard
    /// library's `String(validating:as:)`, and nil for the same malformed bytes (never a repaired string).
    @Test func makesTheStringsTheStandardLibraryMakes() {
        var generator = SplitMix64(seed: 5)
        var refused = 0
        for _ in 0..<2000 {
            let length = Int(generator.next() % 24)
            let bytes = (0..<length).map { _ in
                let value = generator.next()
                return value % 4 == 0 ? UInt8(value >> 8 & 0x7F) : UInt8(0x80 | (value >> 8 & 0x7F))
            }
            let expected = String(validating: bytes, as: UTF8.self)
            if expected == nil { refused += 1 }
            #expect(RecordReader.string(validatingUTF8: bytes) == expected, "\(bytes)")
        }
        for text in ["", "S0000001", "张娟", "外国2023级1班", "e\u{301}", "😀"] {
            #expect(RecordReader.string(validatingUTF8: Array(text.utf8)) == text)
        }
        // Both kinds were drawn.
        #expect(refused > 100 && refused < 1900)
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// One coercion policy for every reader: what each accepts and refuses, and why.
@Suite struct RecordCoercionTests {
    let rules: RuleSet

    init() throws {
        rules = try TestSupport.loadCampus()
    }

    /// Reads JSON Lines and returns the records' ids and the rejections' messages.
    func readJSON(_ lines: [String]) -> (ids: [String], errors: [String]) {
        let batch = RecordReader.readJSONLines(
            Array(lines.joined(separator: "\n").utf8), file: "r.jsonl", schema: rules.schema)
        return (batch.records.map(\.id), batch.rejected.map(\.description))
    }

    func readYAML(_ text: String) throws -> (records: [StudentRecord], errors: [String]) {
        let batch = try RecordReader.readYAML(Array(text.utf8), file: "r.yaml", schema: rules.schema)
        return (batch.records, batch.rejected.map(\.description))
    }

    @Test func aNumberOfTwentyDigitsIsRejectedAndTheRestOfTheFileIsRead() {
        // The fast path used to trap on arithmetic overflow from 19 digits on: no record of the run was scored.
        let found = readJSON([
            #"{"id": "A", "failed_courses": 99999999999999999999}"#,
            #"{"id": "B", "failed_courses": -1234567890123456789012}"#,
            #"{"id": "C", "failed_courses": 2}"#,
            #"{"id": "D", "gpa": 3.1415926535897932384626}"#,
        ])
        #expect(found.ids == ["C", "D"])
        #expect(
            found.errors == [
                #"r.jsonl:1:31: error: student A, field failed_courses: found "99999999999999999999"; expected an integer within ±1e9"#,
                #"r.jsonl:2:31: error: student B, field failed_courses: found "-1234567890123456789012"; expected an integer within ±1e9"#,
            ])
    }

    @Test(arguments: [
        (#""failed_courses": "0x10""#, #"found the text "0x10"; expected an integer written without quotes"#),
        (#""failed_courses": "3""#, #"found the text "3"; expected an integer written without quotes"#),
        (#""failed_courses": 01"#, #"found "01"; expected a JSON number written in decimal (such as 3 or 2.5)"#),
        (#""failed_courses": 1."#, #"found "1."; expected a JSON number written in decimal (such as 3 or 2.5)"#),
        (#""gpa": .5"#, "found \".\"; expected a JSON value"),
        (#""gpa": -.5"#, #"found "-.5"; expected a JSON number written in decimal (such as 3 or 2.5)"#),
        (#""gpa": 1e999"#, #"found "1e999"; expected a number within ±1e9"#),
        (#""seeks_help": "yes""#, #"found the text "yes"; expected true or false written without quotes"#),
        (#""seeks_help": 1"#, #"found "1"; expected true or false written without quotes"#),
        (#""seeks_help": "true""#, #"found the text "true"; expected true or false written without quotes"#),
        (#""enrolled_on": 20240901"#, "found 20240901 without quotes; expected a date as a JSON string"),
        (#""college": 3"#, "found 3 without quotes; expected text as a JSON string"),
        (#""family_structure": true"#, "found true without quotes; expected one of the values as a JSON string"),
    ])
    func jsonValuesMustHaveTheirFieldsType(member: String, message: String) {
        let found = readJSON(["{\"id\": \"A\", \(member)}"])
        #expect(found.ids.isEmpty)
        #expect(found.errors.count == 1)
        #expect(found.errors.first?.hasSuffix(message) == true, "\(found.errors)")
    }

    @Test func aJSONStudentIDIsAString() {
        let found = readJSON([#"{"id": 2021001, "gpa": 2}"#])
        #expect(
            found.errors == [
                #"r.jsonl:1:8: error: field id: found 2021001 without quotes; expected the student id as a JSON string, such as "2021001""#
            ])
    }

    @Test func jsonTakesItsOwnNumbersAndBooleans() throws {
        let found = readJSON([
            #"{"id": "A", "failed_courses": 0, "gpa": 2.5, "seeks_help": true, "academic_warning": false}"#,
            #"{"id": "B", "failed_courses": -0, "gpa": 25e-1, "seeks_help": false}"#,
            #"{"id": "C", "gpa": 0.0}"#,
        ])
        #expect(found.errors == [])
        #expect(found.ids == ["A", "B", "C"])
    }

    @Test(arguments: [
        ("failed_courses: 0x3", #"found "0x3"; expected an integer written in decimal (such as 3 or -2)"#),
        ("failed_courses: 0x4p0", #"found "0x4p0"; expected an integer written in decimal (such as 3 or -2)"#),
        ("failed_courses: 007", #"found "007"; expected an integer written in decimal (such as 3 or -2)"#),
        ("gpa: inf", #"found "inf"; expected a number written in decimal (such as 3 or 2.5)"#),
        ("gpa: +3", #"found "+3"; expected a number written in decimal (such as 3 or 2.5)"#),
        ("seeks_help: yes", #"found "yes"; expected one of: true, 是, 1, false, 否, 0"#),
        ("seeks_help: 2", #"found "2"; expected one of: true, 是, 1, false, 否, 0"#),
        ("seeks_help: \"FALSE!\"", #"found "FALSE!"; expected one of: true, 是, 1, false, 否, 0"#),
    ])
    func textCellsFollowThePolicyToo(member: String, message: String) throws {
        let found = try readYAML("- {id: A, \(member)}\n")
        #expect(found.records.isEmpty)
        #expect(found.errors.count == 1)
        #expect(found.errors.first?.hasSuffix(message) == true, "\(found.errors)")
    }

    @Test func textCellsTakeQuotedNumbersAndTheDeclaredBooleans() throws {
        let found = try readYAML(
            #"- {id: A, failed_courses: "3", gpa: ' 2.5 ', seeks_help: true, academic_warning: "false"}"# + "\n")
        #expect(found.errors == [])
        let record = try #require(found.records.first)
        let schema = rules.schema
        func value(_ name: String) -> Double? { schema.field(named: name).map { record.value(slot: $0.slot) } }
        #expect(value("failed_courses") == 3)
        #expect(value("gpa") == 2.5)
        #expect(value("seeks_help") == 1)
        #expect(value("academic_warning") == 0)
    }

    @Test(arguments: [
        (
            #"{"scale": "phq9", "date": "2026-11-01", "scores": {"total": 99}}"#,
            "found \"99\" for phq9.total; expected a number from 0 to 27, as its items allow"
        ),
        (
            #"{"scale": "phq9", "date": "2026-11-01", "scores": {"total": -5}}"#,
            "found \"-5\" for phq9.total; expected a number from 0 to 27, as its items allow"
        ),
        (
            #"{"scale": "mini", "date": "2026-11-01", "scores": {"mood": 0.5}}"#,
            "found \"0.5\" for mini.mood; expected a number from 1 to 5, as its items allow"
        ),
        (
            #"{"scale": "mini", "date": "2026-11-01", "scores": {"high_items": 5}}"#,
            "found \"5\" for mini.high_items; expected a number from 0 to 4, as its items allow"
        ),
        (
            #"{"scale": "phq9", "date": "2026-11-01", "items": [0, 0, 0, 0, 0, 0, 0, 0, 0.5]}"#,
            "found \"0.5\" as answer 9 of phq9; expected a whole number from 0 to 3"
        ),
        (
            #"{"scale": "mini", "date": "2026-11-01", "items": [1, 1.5, 1, 1]}"#,
            "found \"1.5\" as answer 2 of mini; expected a whole number from 1 to 5"
        ),
        (
            #"{"scale": "phq9", "date": "2026-11-01", "items": [0, 0, 0, 0, 0, 0, 0, 0, 4]}"#,
            "found \"4\" as answer 9 of phq9; expected a whole number from 0 to 3"
        ),
        (
            #"{"scale": "phq9", "date": "2026-11-01", "items": [0, 0, 0, 0, 0, 0, 0, 0, "3"]}"#,
            "found \"3\" as answer 9 of phq9; expected a whole number from 0 to 3"
        ),
    ])
    func scaleAnswersAreWholeAndScoresWithinWhatTheItemsAllow(result: String, message: String) {
        let found = readJSON(["{\"id\": \"A\", \"scales\": [\(result)]}"])
        #expect(found.ids.isEmpty)
        #expect(found.errors.count == 1)
        #expect(found.errors.first?.hasSuffix(message) == true, "\(found.errors)")
    }

    @Test func jsonLinesWithCarriageReturnsOnlyAreReadLineByLine() {
        // Files saved with classic Mac line ends used to lose every record, with one rejection reported.
        let text =
            #"{"id": "A", "gpa": 2}"# + "\r" + #"{"id": "B", "gpa": 1}"# + "\r\r" + #"{"id": "C", "gpa": 9}"# + "\r"
            + #"{"id": "D"}"# + "\r"
        let batch = RecordReader.readJSONLines(Array(text.utf8), file: "mac.jsonl", schema: rules.schema)
        #expect(batch.records.map(\.id) == ["A", "B", "D"])
        #expect(batch.records.map { $0.location?.line } == [1, 2, 5])
        #expect(
            batch.rejected.map(\.description) == [
                "mac.jsonl:4:20: error: student C, field gpa: found 9, above the largest value 5; expected 5 or less"
            ])
    }

    @Test func aCarriageReturnBetweenTokensIsSpaceWhereLinesEndInLineFeeds() {
        // JSON allows it; found by review: it was taken for a line end once lone CRs became line ends.
        let text = "{\"id\": \"A\",\r\"gpa\": 2}\r\n{\"id\": \"B\"}\n"
        let batch = RecordReader.readJSONLines(Array(text.utf8), file: "r.jsonl", schema: rules.schema)
        #expect(batch.rejected.map(\.description) == [])
        #expect(batch.records.map(\.id) == ["A", "B"])
    }

    static func rules(booleans: String) -> String {
        """
        schema:
          booleans: \(booleans)
          fields:
            warned: boolean
        levels:
          - id: none
          - id: attention
            from: 1
        indicators:
          - {id: was_warned, label: Warned, dimension: checkable, when: warned, points: 1}

        """
    }

    @Test func textCellsTakeTheSpellingsTheRuleSetDeclares() throws {
        let path = try TestSupport.directory([
            "rules.yaml": Self.rules(booleans: "{true: [true, 是, TRUE], false: [false, 否, FALSE]}")
        ])
        let rules = try RuleSet.load(from: path)
        let yaml = try RecordReader.readYAML(
            Array("- {id: A, warned: 是}\n- {id: B, warned: FALSE}\n- {id: C, warned: yes}\n".utf8), file: "r.yaml",
            schema: rules.schema)
        #expect(yaml.records.map { $0.value(slot: 0) } == [1, 0])
        #expect(
            yaml.rejected.map(\.description) == [
                #"r.yaml:3:19: error: student C, field warned: found "yes"; expected one of: true, 是, TRUE, false, 否, FALSE"#
            ])
        let table = try CSVTable.parse(Array("id,warned\nA,否\nB,TRUE\n".utf8), file: "students.csv")
        let csv = try CSVReader.join(students: table, events: nil, scales: nil, schema: rules.schema)
        #expect(csv.records.map { $0.value(slot: 0) } == [0, 1])
        // JSON keeps its own booleans whatever the rule set declares.
        let json = RecordReader.readJSONLines(
            Array(#"{"id": "A", "warned": "是"}"#.utf8), file: "r.jsonl", schema: rules.schema)
        #expect(
            json.rejected.map(\.description) == [
                #"r.jsonl:1:23: error: student A, field warned: found the text "是"; expected true or false written without quotes"#
            ])
    }

    @Test(arguments: [
        (
            "{true: [是, 否], false: [否]}",
            "2:36: error: found \"否\" as a spelling of both true and false; expected each spelling once"
        ),
        (
            "{true: [\" 是\"], false: [否]}",
            "2:21: error: found \" 是\" as a spelling of true; expected a word such as 是 or TRUE, without spaces around it"
        ),
        ("{true: [是]}", "2:13: error: found no false in booleans; expected false: …"),
        (
            "{true: [], false: [否]}",
            "2:20: error: found no spelling of true in booleans; expected at least one, such as true"
        ),
    ])
    func badSpellingsAreRefusedWhereWritten(booleans: String, message: String) throws {
        let path = try TestSupport.directory(["rules.yaml": Self.rules(booleans: booleans)])
        do {
            _ = try RuleSet.load(from: path)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.map {
                    "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)"
                } == [message])
        }
    }
}

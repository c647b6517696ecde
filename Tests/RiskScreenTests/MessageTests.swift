import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Messages for hostile or mistaken input read as sentences: where, what was found, what was expected.
@Suite struct MessageTests {
    static let ruleBase = """
        parameters:
          w: 1
        schema:
          fields:
            failed: integer
          scales:
            mini:
              items: 2
              answers: [0, 3]
              scores:
                total: {sum: all}
              classes:
                - {class: high, when: "total >= 4"}
              otherwise: low
        levels:
          - id: none
          - id: attention
            from: 1
        indicators:
          - {id: failing, label: Failing, dimension: checkable, when: "failed >= 1", points: w}

        """

    func messages(_ text: String) throws -> [String] { try TestSupport.ruleErrors(text) }

    @Test func aMergeKeyIsRefusedAsSuch() throws {
        // `<<` used to be read as a parameter named "<<" ("found no value in parameter").
        let text = Self.ruleBase.replacingOccurrences(
            of: "parameters:\n  w: 1\n", with: "parameters:\n  w: 1\n  <<: {v: 2}\n")
        #expect(
            try messages(text) == [
                "3:3: found the merge key <<; expected the values written out (RiskScreen files use no merge keys or aliases; a college file extends a rule set and overrides what differs)"
            ])
    }

    @Test func aClassRuleNamingWhatItCannotReadSaysWhatClassRulesRead() throws {
        // A field may be read (a count of auxiliary answers kept as a field); an indicator may not.
        let field = Self.ruleBase.replacingOccurrences(of: "when: \"total >= 4\"", with: "when: \"failed >= 4\"")
        #expect(try messages(field).isEmpty)
        let text = Self.ruleBase.replacingOccurrences(of: "when: \"total >= 4\"", with: "when: \"failing >= 4\"")
        #expect(
            try messages(text) == [
                "13:32: in class high: found the unknown name \"failing\"; expected one of mini's scores (total), item(n), "
                    + "a parameter or a field (failed): a class rule reads nothing else of the record"
            ])
    }

    @Test func aDateOutsideTheSupportedYearsNamesTheRange() throws {
        let rules = try TestSupport.loadCampus()
        let batch = RecordReader.readJSONLines(
            Array(#"{"id": "A", "events": {"night_absence": ["2301-01-01"]}}"#.utf8), file: "r.jsonl",
            schema: rules.schema)
        #expect(
            batch.rejected.map(\.description) == [
                #"r.jsonl:1:42: error: student A, field events: found "2301-01-01" for a night_absence event; expected a date YYYY-MM-DD between 1900 and 2200"#
            ])
    }

    @Test(arguments: [
        (
            #"{"id": "S7", "gpa": 3,, "college": "x"}"#,
            #"r.jsonl:1:23: error: student S7: found ","; expected a key in quotes"#
        ),
        (#"{"gpa": tru, "id": "S8"}"#, #"r.jsonl:1:9: error: student S8, field gpa: found "t"; expected a JSON value"#),
        (
            #"{"id": "S9", "scales": [{"scale": "phq9", "items": [1, 2}]}"#,
            #"r.jsonl:1:57: error: student S9, field scales: found "}"; expected "," or "]""#
        ),
        (#"{"id": "S\"1", "gpa": }"#, #"r.jsonl:1:23: error: field gpa: found "}"; expected a JSON value"#),
        // The record's own id, not one inside a nested value (found by review).
        (
            #"{"scales": [{"id": "X"}], "id": "S10", "gpa": }"#,
            #"r.jsonl:1:47: error: student S10, field gpa: found "}"; expected a JSON value"#
        ),
        (
            #"{"college": "id", "x": "y", "id": "S11", "gpa": ]"#,
            #"r.jsonl:1:49: error: student S11, field gpa: found "]"; expected a JSON value"#
        ),
    ])
    func aJSONSyntaxErrorNamesTheStudentAndField(line: String, message: String) throws {
        // It used to name only the line.
        let rules = try TestSupport.loadCampus()
        let batch = RecordReader.readJSONLines(Array(line.utf8), file: "r.jsonl", schema: rules.schema)
        #expect(batch.rejected.map(\.description) == [message])
    }

    @Test func aStudentIDWithControlOrBidiCharactersIsRefusedAndCannotForgeAMessage() throws {
        // Found by review: a newline in an id forged a line on standard error.
        let rules = try TestSupport.loadCampus()
        let lines = [
            #"{"id": "S1\n/r.jsonl:9:1: error: student S2: all clear", "failed_courses": "3"}"#,
            #"{"id": "S\u202E3", "gpa": 2}"#,
            "{\"id\": \"S\u{7F}4\", \"gpa\": 2}",
            #"{"id": "S5", "college": "a\nb", "gpa": 9}"#,
        ]
        let batch = RecordReader.readJSONLines(
            Array(lines.joined(separator: "\n").utf8), file: "r.jsonl", schema: rules.schema)
        #expect(batch.records.isEmpty)
        let messages = batch.rejected.map(\.description)
        #expect(messages.count == 4)
        #expect(messages.allSatisfy { !$0.contains("\n") && !PrintableText.needsEscape($0) })
        #expect(
            messages[0].hasSuffix(
                #"field id: found "S1\u{A}/r.jsonl:9:1: error: student S2: all …"; expected a student id of 1 to 128 characters, with no control or bidi characters"#
            ))
        #expect(
            messages[1].hasSuffix(
                #"found "S\u{202E}3"; expected a student id of 1 to 128 characters, with no control or bidi characters"#
            ))
        #expect(
            messages[2].hasSuffix(
                #"found "S\u{7F}4"; expected a student id of 1 to 128 characters, with no control or bidi characters"#))
        #expect(messages[3].hasSuffix("student S5, field gpa: found 9, above the largest value 5; expected 5 or less"))
    }

    @Test func theCaretStaysUnderTheColumnWhenTheLineHoldsEscapes() {
        let diagnostic = Diagnostic(
            .error, .invalidValue, at: SourceLocation(file: "r.yaml", line: 3, column: 8), "found x",
            sourceLine: "a\u{1B}\tb\u{202E}c x")
        #expect(
            diagnostic.description == "r.yaml:3:8: error: found x\n    a\\u{1B}\tb\\u{202E}c x\n    "
                + String(repeating: " ", count: 7) + "\t" + String(repeating: " ", count: 11) + "^")
    }

    @Test(arguments: ["[1, five, 5]", "[0, \"3\", 9]", "[0, 1, 3]", "[0.5, 3]"])
    func answersAreExactlyTwoWholeNumbers(answers: String) throws {
        // Found by review: entries that were not numbers were dropped, so [1, five, 5] read as 1 to 5.
        let text = Self.ruleBase.replacingOccurrences(of: "answers: [0, 3]", with: "answers: \(answers)")
        #expect(
            try messages(text).first
                == "9:16: found \(answers.contains("\"") ? "a list" : "a list") for answers of mini; expected [lowest, highest] in whole numbers, such as [0, 3]"
        )
    }
}

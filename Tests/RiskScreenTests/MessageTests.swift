import Foundation
import Testing
@testable import RiskScreen

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

    func messages(_ text: String) throws -> [String] {
        let path = try TestSupport.directory(["rules.yaml": text])
        do {
            _ = try RuleSet.load(from: path)
            return []
        } catch {
            return error.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    @Test func aMergeKeyIsRefusedAsSuch() throws {
        // `<<` used to be read as a parameter named "<<" ("found no value in parameter").
        let text = Self.ruleBase.replacingOccurrences(of: "parameters:\n  w: 1\n", with: "parameters:\n  w: 1\n  <<: {v: 2}\n")
        #expect(
            try messages(text) == [
                "3:3: found the merge key <<; expected the values written out (RiskScreen files use no merge keys or aliases; a college file extends a rule set and overrides what differs)"
            ])
    }

    @Test func aClassRuleNamingARecordFieldSaysWhatClassRulesRead() throws {
        let text = Self.ruleBase.replacingOccurrences(of: "when: \"total >= 4\"", with: "when: \"failed >= 4\"")
        #expect(
            try messages(text) == [
                "13:32: in class high: found the record field \"failed\"; expected one of mini's scores (total), item(n) or a parameter: class rules read only the scale's own answers"
            ])
    }

    @Test func aDateOutsideTheSupportedYearsNamesTheRange() throws {
        let rules = try TestSupport.loadCampus()
        let batch = RecordReader.readJSONLines(
            Array(#"{"id": "A", "events": {"night_absence": ["2301-01-01"]}}"#.utf8), file: "r.jsonl", schema: rules.schema)
        #expect(
            batch.rejected.map(\.description) == [
                #"r.jsonl:1:42: error: student A, field events: found "2301-01-01" for a night_absence event; expected a date YYYY-MM-DD between 1900 and 2200"#
            ])
    }

    @Test(arguments: [
        (#"{"id": "S7", "gpa": 3,, "college": "x"}"#, #"r.jsonl:1:23: error: student S7: found ","; expected a key in quotes"#),
        (#"{"gpa": tru, "id": "S8"}"#, #"r.jsonl:1:9: error: student S8, field gpa: found "t"; expected a JSON value"#),
        (#"{"id": "S9", "scales": [{"scale": "phq9", "items": [1, 2}]}"#, #"r.jsonl:1:57: error: student S9, field scales: found "}"; expected "," or "]""#),
        (#"{"id": "S\"1", "gpa": }"#, #"r.jsonl:1:23: error: field gpa: found "}"; expected a JSON value"#),
    ])
    func aJSONSyntaxErrorNamesTheStudentAndField(line: String, message: String) throws {
        // It used to name only the line.
        let rules = try TestSupport.loadCampus()
        let batch = RecordReader.readJSONLines(Array(line.utf8), file: "r.jsonl", schema: rules.schema)
        #expect(batch.rejected.map(\.description) == [message])
    }
}

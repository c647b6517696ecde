internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Class rules that read the record's fields (`Rules/test-class-fields`): the class is worked out once every field
/// is read, whatever the order of keys or columns; a missing field leaves the rule unknown and the class missing.
@Suite struct ClassRuleFieldTests {
    let rules: RuleSet

    init() throws {
        rules = try RuleSet.load(from: TestSupport.testsDirectory + "/Rules/test-class-fields")
    }

    /// The class names of the record's screen results, oldest first; "missing" for a result without a class.
    func classes(_ record: StudentRecord) throws -> [String] {
        let scale = try #require(rules.schema.scale(named: "screen"))
        return record.scaleEntries(scaleIndex: scale.index).map {
            $0.classIndex < 0 ? "missing" : scale.classNames[Int($0.classIndex)]
        }
    }

    func yaml(_ text: String) throws -> [String] {
        try classes(try #require(try TestSupport.records("- " + text, schema: rules.schema).first))
    }

    func jsonLines(_ text: String) throws -> [String] {
        let batch = RecordReader.readJSONLines(Array((text + "\n").utf8), file: "t.jsonl", schema: rules.schema)
        #expect(batch.rejected.isEmpty, "\(batch.rejected.map(\.description))")
        return try classes(try #require(batch.records.first))
    }

    func csv(students: String, scales: String) throws -> [String] {
        let batch = try CSVReader.join(
            students: try CSVTable.parse(Array(students.utf8), file: "students.csv"), events: nil,
            scales: try CSVTable.parse(Array(scales.utf8), file: "scales.csv"), schema: rules.schema)
        #expect(batch.rejected.isEmpty, "\(batch.rejected.map(\.description))")
        return try classes(try #require(batch.records.first))
    }

    @Test func fieldsAreReadBeforeTheClassWhateverTheOrder() throws {
        // Total 5 with two positive auxiliary answers is positive; with none it is negative. The field comes before
        // and after the results, in YAML, in JSON Lines (fast path and careful path) and in CSV.
        let items = "{scale: screen, date: 2026-11-01, items: [2, 2, 1, 0]}"
        for (aux, expected) in [(2, "positive"), (0, "negative")] {
            #expect(
                try yaml("{id: A, aux_positive: \(aux), retest_requested: false, scales: [\(items)]}") == [expected])
            #expect(
                try yaml("{id: A, scales: [\(items)], retest_requested: false, aux_positive: \(aux)}") == [expected])
            let result = #"{"scale": "screen", "date": "2026-11-01", "items": [2, 2, 1, 0]}"#
            #expect(
                try jsonLines(
                    #"{"id": "A", "aux_positive": \#(aux), "retest_requested": false, "scales": [\#(result)]}"#)
                    == [expected])
            #expect(
                try jsonLines(
                    #"{"id": "A", "scales": [\#(result)], "retest_requested": false, "aux_positive": \#(aux)}"#)
                    == [expected])
            // An escape in a string sends the line down the careful path.
            #expect(
                try jsonLines(
                    #"{"id": "\u0041", "scales": [\#(result)], "retest_requested": false, "aux_positive": \#(aux)}"#
                ) == [expected])
            #expect(
                try csv(
                    students: "id,retest_requested,aux_positive\nA,false,\(aux)\n",
                    scales: "student_id,scale,date,item1,item2,item3,item4\nA,screen,2026-11-01,2,2,1,0\n")
                    == [expected])
        }
    }

    @Test(arguments: [
        // Total 5 and no auxiliary count: the first rule is unknown, so the class is missing, not `otherwise`.
        (
            "{id: A, retest_requested: false, scales: [{scale: screen, date: 2026-11-01, items: [2, 2, 1, 0]}]}",
            "missing"
        ),
        // Total 9 decides the first rule whatever the count.
        ("{id: A, scales: [{scale: screen, date: 2026-11-01, items: [3, 3, 3, 0]}]}", "positive"),
        // Total 2: the first rule is false whatever the count; the second is unknown without retest_requested.
        ("{id: A, scales: [{scale: screen, date: 2026-11-01, items: [1, 1, 0, 0]}]}", "missing"),
        // Every rule known to be false: the `otherwise` class.
        (
            "{id: A, retest_requested: false, scales: [{scale: screen, date: 2026-11-01, items: [1, 1, 0, 0]}]}",
            "negative"
        ),
        ("{id: A, retest_requested: true, scales: [{scale: screen, date: 2026-11-01, items: [1, 1, 0, 0]}]}", "retest"),
        // A result given as a score, without items or class, is classified from the score and the fields.
        ("{id: A, scales: [{scale: screen, date: 2026-11-01, scores: {total: 6}}], aux_positive: 3}", "positive"),
        // A class given with the result stands.
        ("{id: A, aux_positive: 3, scales: [{scale: screen, date: 2026-11-01, class: negative}]}", "negative"),
    ])
    func aMissingFieldLeavesTheClassMissing(record: String, expected: String) throws {
        #expect(try yaml(record) == [expected])
    }

    @Test func resultsOfOneDayAreCombinedWithTheFields() throws {
        // Two results on one day: the worst answers [3, 2, 1, 0] total 6, positive with two auxiliary answers.
        let found = try yaml(
            "{id: A, scales: [{scale: screen, date: 2026-11-01, items: [3, 0, 1, 0]}, "
                + "{scale: screen, date: 2026-11-01, items: [0, 2, 0, 0]}], aux_positive: 2}")
        #expect(found == ["positive"])
    }

    @Test func aConditionOnOneResultReadsFieldsToo() throws {
        let engine = try ScoringEngine(rules: rules)
        let yaml = { (diagnosed: String) in
            "- {id: A, aux_positive: 2, diagnosed: \(diagnosed), scales: [{scale: screen, date: 2026-11-01, items: [2, 2, 1, 0]}]}"
        }
        for (diagnosed, fires) in [("true", true), ("false", false)] {
            let record = try #require(try TestSupport.records(yaml(diagnosed), schema: rules.schema).first)
            let assessment = engine.assess(record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
            #expect(assessment.fired.map(\.id).contains("screen_positive"))
            #expect(assessment.fired.map(\.id).contains("positive_with_diagnosis") == fires)
        }
        // Without the field, `class == positive and diagnosed` is unknown: it does not fire.
        let record = try #require(
            try TestSupport.records(
                "- {id: A, aux_positive: 2, scales: [{scale: screen, date: 2026-11-01, items: [2, 2, 1, 0]}]}",
                schema: rules.schema
            ).first)
        let assessment = engine.assess(record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        #expect(!assessment.fired.map(\.id).contains("positive_with_diagnosis"))
    }

    /// A schema whose scale's class rule (line 17) is `WHEN`; `SENSITIVE` is the scale's `sensitive:`. A role sees
    /// sensitive facts, so a sensitive scale has someone to be shown to (no warning).
    static let base = """
        roles:
          centre: {label: Centre, sees_sensitive: true}
        schema:
          fields:
            aux: integer
            flag: boolean
            started_on: date
            note: text
            private_flag: {type: boolean, sensitive: true}
          events:
            absence: {}
          scales:
            screen:
              items: 4
              answers: [0, 3]
              sensitive: SENSITIVE
              classes: [{class: positive, when: "WHEN"}]
              scores: {total: {sum: all}}
        levels:
          - id: none

        """

    func errors(_ condition: String, sensitive: Bool = true) throws -> [String] {
        try TestSupport.ruleErrors(
            Self.base.replacingOccurrences(of: "WHEN", with: condition).replacingOccurrences(
                of: "SENSITIVE", with: "\(sensitive)"))
    }

    static let readable =
        "expected one of screen's scores (total), item(n), a parameter or a field (aux, flag, private_flag): a "
        + "class rule reads nothing else of the record"

    @Test(arguments: [
        (
            "totl >= 5",
            "17:42: in class positive: found the unknown name \"totl\"; \(readable) (did you mean \"total\"?)"
        ),
        ("absence >= 1", "17:42: in class positive: found the event kind \"absence\"; \(readable)"),
        (
            "started_on > 2026-01-01",
            "17:42: in class positive: found the date field started_on in a class rule; expected a number, yes/no or "
                + "enumeration field (class rules and conditions on one result read no dates: a class is worked out "
                + "when the record is read, before any as-of date)"
        ),
        (
            "note == 'x'",
            "17:42: in class positive: found a text field (text can be shown but not compared; use an enumeration) == "
                + "the text \"x\"; expected two values of the same type"
        ),
        (
            "count(absence) > 1",
            "17:42: in class positive: found the function count(); expected item(n) or a score of screen in a class rule"
        ),
    ])
    func namesAClassRuleCannotReadAreRefusedWithWhatItCan(condition: String, message: String) throws {
        #expect(try errors(condition) == [message])
    }

    @Test func aSensitiveFieldNeedsASensitiveScale() throws {
        #expect(try errors("total >= 5 and private_flag").isEmpty)
        #expect(
            try errors("total >= 5 and private_flag", sensitive: false) == [
                "17:41: in class positive: found a sensitive field in a class rule of screen, which is not sensitive; "
                    + "expected only fields every role may see (its class would tell them the field), or sensitive: "
                    + "true on screen"
            ])
        #expect(try errors("total >= 5 and flag and aux >= 1", sensitive: false).isEmpty)
    }
}

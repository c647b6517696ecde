import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// What the rule-file guide says of windows, field types, scale scores and answers, held to the code.
@Suite struct RuleGuideStatementTests {
    static let rules = """
        schema:
          fields:
            gpa: {type: number, min: 0, max: 5}
            failed: integer
          events:
            report: {}
          scales:
            s:
              items: 4
              answers: [0, 3]
              reverse: [2]
              scores:
                total: {sum: all, exclude: [4]}
                average: {mean: all}
                positive: {count: all, at_least: 2}
              sensitive: false
        levels:
          - id: none
          - id: attention
            from: 1
        indicators:
          - {id: counted_in_90d, label: a, dimension: knowable, points: 1, when: "count(report, 90d) >= 1"}
          - {id: ninety_days_since, label: b, dimension: knowable, points: 1, when: "days_since(report) == 90"}
          - {id: result_in_90d, label: c, dimension: knowable, points: 1, when: "latest(s, 90d).total is set"}
          - {id: total_7, label: d, dimension: knowable, points: 1, when: "latest(s).total == 7"}
          - {id: average_2_25, label: e, dimension: knowable, points: 1, when: "latest(s).average == 2.25"}
          - {id: positive_3, label: f, dimension: knowable, points: 1, when: "latest(s).positive == 3"}
          - {id: gpa_decimal, label: g, dimension: knowable, points: 1, when: "gpa == 3.25"}

        """

    let engine: ScoringEngine
    let asOf = TestSupport.date("2026-11-23")

    init() throws {
        engine = try ScoringEngine(rules: try RuleSet.load(from: try TestSupport.directory(["r.yaml": Self.rules])))
    }

    func fired(_ yaml: String) throws -> [String] {
        let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
        return engine.assess(record, asOf: asOf, for: .fullView).fired.map(\.id)
    }

    func rejection(_ yaml: String) throws -> String? {
        let batch = try RecordReader.readYAML(Array(("- " + yaml).utf8), file: "t.yaml", schema: engine.rules.schema)
        return batch.rejected.first?.message
    }

    @Test func aWindowIncludesTheAsOfDayAndThe89DaysBeforeIt() throws {
        // 2026-11-23 less 90 days is 2026-08-25; less 89 days, 2026-08-26.
        #expect(try fired("{id: A, events: {report: [2026-08-25]}}") == ["ninety_days_since"])
        #expect(try fired("{id: B, events: {report: [2026-08-26]}}") == ["counted_in_90d"])
        #expect(try fired("{id: C, events: {report: [2026-11-23]}}") == ["counted_in_90d"])
        #expect(try fired("{id: D, scales: [{scale: s, date: 2026-08-25, scores: {total: 1}}]}") == [])
        #expect(try fired("{id: E, scales: [{scale: s, date: 2026-08-26, scores: {total: 1}}]}") == ["result_in_90d"])
    }

    @Test func sumMeanAndCountScoresAfterReversingAndExcluding() throws {
        // Answers 3, 0, 1, 2 with item 2 reversed on [0, 3]: 3, 3, 1, 2. The total leaves item 4 out: 7; the mean of
        // all four is 2.25; three answers are 2 or more.
        #expect(
            try fired("{id: A, scales: [{scale: s, date: 2026-11-01, items: [3, 0, 1, 2]}]}") == [
                "result_in_90d", "total_7", "average_2_25", "positive_3",
            ])
    }

    @Test func answersAreWholeNumbersWithinTheRangeAndGivenScoresMayHaveDecimals() throws {
        #expect(
            try rejection("{id: A, scales: [{scale: s, date: 2026-11-01, items: [3, 0, 1.5, 2]}]}")?.hasSuffix(
                "expected a whole number from 0 to 3") == true)
        #expect(
            try rejection("{id: A, scales: [{scale: s, date: 2026-11-01, items: [3, 0, 4, 2]}]}")?.hasSuffix(
                "expected a whole number from 0 to 3") == true)
        #expect(try rejection("{id: A, scales: [{scale: s, date: 2026-11-01, scores: {average: 1.75}}]}") == nil)
    }

    @Test func numberFieldsTakeDecimalsAndIntegerFieldsRefuseThem() throws {
        #expect(try fired("{id: A, gpa: 3.25}") == ["gpa_decimal"])
        #expect(try rejection("{id: A, failed: 2.5}") != nil)
        #expect(try rejection("{id: A, gpa: 5.5}")?.contains("above the largest value 5") == true)
    }
}

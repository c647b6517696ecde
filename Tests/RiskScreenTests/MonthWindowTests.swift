internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Windows in calendar months (`3m`), on the rule file `Rules/test-months`: as of a date, `n` months cover the days
/// after the same day `n` months earlier (the last day of that month when it is shorter) up to the date.
@Suite struct MonthWindowTests {
    let rules: RuleSet
    let engine: ScoringEngine

    init() throws {
        rules = try RuleSet.load(from: TestSupport.testsDirectory + "/Rules/test-months")
        engine = try ScoringEngine(rules: rules)
    }

    @Test(arguments: [
        // As of the 31st, 3 months back is the last day of February: 28, or 29 in a leap year.
        ("2026-05-31", 3, "2026-02-28", 92),
        ("2024-05-31", 3, "2024-02-29", 92),
        ("2026-05-30", 3, "2026-02-28", 91),
        ("2024-05-29", 3, "2024-02-29", 90),
        ("2026-05-29", 3, "2026-02-28", 90),
        // One month back from the end of a 31-day month, into 28-, 29- and 30-day months.
        ("2026-03-31", 1, "2026-02-28", 31),
        ("2024-03-31", 1, "2024-02-29", 31),
        ("2026-03-28", 1, "2026-02-28", 28),
        ("2026-05-31", 1, "2026-04-30", 31),
        ("2026-07-31", 1, "2026-06-30", 31),
        // From a 30-day month into a 31-day one, from February, and across a year.
        ("2026-04-30", 1, "2026-03-30", 31),
        ("2026-02-28", 1, "2026-01-28", 31),
        ("2024-02-29", 1, "2024-01-29", 31),
        ("2026-01-31", 2, "2025-11-30", 62),
        ("2026-01-15", 12, "2025-01-15", 365),
        ("2024-03-01", 12, "2023-03-01", 366),
        ("2024-02-29", 12, "2023-02-28", 366),
        ("2100-03-31", 1, "2100-02-28", 31),
    ])
    func aMonthWindowCoversTheDaysAfterTheSameDayMonthsEarlier(
        asOf: String, months: Int, earlier: String, days: Int
    ) {
        let date = TestSupport.date(asOf)
        #expect(date.monthsEarlier(months) == TestSupport.date(earlier))
        #expect(date.monthWindowDays(months) == Int32(days))
    }

    func assess(_ yaml: String, asOf: String) throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: rules.schema).first)
        return engine.assess(record, asOf: TestSupport.date(asOf), for: .fullView)
    }

    @Test(arguments: [
        // The day 3 months back is outside the window; the day after it is inside (as days_since 90 is outside 90d).
        ("2026-05-31", "2026-02-28", false),
        ("2026-05-31", "2026-03-01", true),
        ("2024-05-31", "2024-02-29", false),
        ("2024-05-31", "2024-03-01", true),
        ("2024-05-31", "2024-02-28", false),
        ("2026-05-15", "2026-02-15", false),
        ("2026-05-15", "2026-02-16", true),
        // The as-of day itself is inside; a later day is not yet known.
        ("2026-05-31", "2026-05-31", true),
        ("2026-05-31", "2026-06-01", false),
    ])
    func countOverMonthsHoldsOnTheRightDays(asOf: String, event: String, counted: Bool) throws {
        let result = try assess("{id: A, events: {night_absence: [\(event)]}}", asOf: asOf)
        #expect(result.fired.map(\.id).contains("absent_past_3_months") == counted)
        // The engine reads the days from its table; a frame without it works them out, to the same answer.
        let condition = try #require(rules.indicator(named: "absent_past_3_months")?.condition)
        let record = try #require(
            try TestSupport.records("- {id: A, events: {night_absence: [\(event)]}}", schema: rules.schema).first)
        #expect((TestTruth.of(condition, record, asOf: asOf) == .true) == counted)
    }

    @Test func everyWindowTakesMonths() throws {
        // count_days(…, 1m) as of 31 March 2026: 1 to 31 March; 28 February is outside.
        let days = try assess(
            "{id: A, events: {night_absence: [2026-02-28, 2026-03-01, 2026-03-31]}}", asOf: "2026-03-31")
        #expect(days.fired.map(\.id).contains("absent_two_days_past_month"))
        let evidence = try #require(days.fired.first { $0.id == "absent_past_3_months" }?.evidence)
        #expect(evidence.map(\.value) == ["3", "2"])
        let oneDay = try assess("{id: A, events: {night_absence: [2026-02-28, 2026-03-31]}}", asOf: "2026-03-31")
        #expect(!oneDay.fired.map(\.id).contains("absent_two_days_past_month"))
        // any(…, 6m, …) and latest(…, 6months): as of 31 August 2026 the window starts on 1 March.
        let inside = try assess(
            "{id: A, scales: [{scale: mood, date: 2026-03-01, items: [2, 2]}]}", asOf: "2026-08-31")
        #expect(inside.fired.map(\.id).contains("low_mood_past_6_months"))
        let outside = try assess(
            "{id: A, scales: [{scale: mood, date: 2026-02-28, items: [3, 3]}]}", asOf: "2026-08-31")
        #expect(!outside.fired.map(\.id).contains("low_mood_past_6_months"))
        // followed_by's window in months: the first event must lie within the past 12 months.
        let pair = "{id: A, events: {night_absence: [2025-03-01], counsellor_contact: [2025-03-05]}}"
        #expect(try assess(pair, asOf: "2026-02-28").fired.map(\.id).contains("contact_after_absence"))
        #expect(!(try assess(pair, asOf: "2026-03-01").fired.map(\.id).contains("contact_after_absence")))
    }

    @Test func theTableIsBuiltOnlyForRuleSetsThatUseMonths() throws {
        #expect(ScoringEngine.Kernel(rules: rules).longestMonthWindow == 12)
        #expect(ScoringEngine.Kernel(rules: try TestSupport.loadCampus()).longestMonthWindow == 0)
    }

    /// A rule set whose indicator condition (line 11) is `WHEN`.
    static let base = """
        schema:
          events:
            absence: {}
            contact: {}
        levels:
          - id: none
        indicators:
          - id: flagged
            label: Flagged
            dimension: knowable
            when: "WHEN"
            points: 1

        """

    @Test(arguments: [
        (
            "count(absence, 2.5m) >= 1",
            "11:27: in the condition of flagged: found \"2.5m\"; expected a whole number of months from 1 to 1200, such as 3m"
        ),
        (
            "count(absence, 0m) >= 1",
            "11:27: in the condition of flagged: found \"0m\"; expected a whole number of months from 1 to 1200, such as 3m"
        ),
        (
            "count(absence, 1201m) >= 1",
            "11:27: in the condition of flagged: found \"1201m\"; expected a whole number of months from 1 to 1200, such as 3m"
        ),
        (
            "count(absence, 3x) >= 1",
            "11:27: in the condition of flagged: found \"3x\"; expected a number, or a duration such as 30d, 2w or 3m"
        ),
        (
            "days_since(absence) < 3m",
            "11:34: in the condition of flagged: found the duration 3m outside a window; expected it as the window of "
                + "count, count_days, latest, any or followed_by (a number of months has no fixed number of days: use "
                + "days such as 90d, or count(kind, 3m) >= 1 for \"within the past 3 months\")"
        ),
        (
            "followed_by(absence, contact, 1m)",
            "11:42: in the condition of flagged: found the duration 1m as how many days later the second event may "
                + "come; expected a fixed number of days such as 30d (calendar months count back from the as-of date, "
                + "so they serve as windows only)"
        ),
        (
            "count(absence, as_of) >= 1",
            "11:27: in the condition of flagged: found a date; expected a window, a fixed number of days such as 30d "
                + "or of calendar months such as 3m"
        ),
    ])
    func badMonthsAreRefusedWithWhereAndWhat(condition: String, message: String) throws {
        #expect(try TestSupport.ruleErrors(Self.base.replacingOccurrences(of: "WHEN", with: condition)) == [message])
    }

    @Test func aWindowPastTheLongestIsCaughtByTheCheck() throws {
        let verifier = try ExpressionCodeVerifierTests.campusVerifier()
        let ok = ExpressionCode(instructions: [ExpressionCodeVerifierTests.step(.count, b: -1201)], depth: 1)
        #expect(verifier.verify(ok, leaving: .number) == nil)
        let past = ExpressionCode(instructions: [ExpressionCodeVerifierTests.step(.count, b: -1202)], depth: 1)
        #expect(
            verifier.verify(past, leaving: .number)?.message
                == "found the window -1202; expected 0 or more days, -1 for none, or -2 to -1201 for 1 to 1200 months")
    }
}

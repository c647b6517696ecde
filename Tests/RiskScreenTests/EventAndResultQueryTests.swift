internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// The queries a later fact cannot erase: `latest(scale, window, condition)`, `any(scale, window, condition)`,
/// `followed_by(first, then, within[, window])` and `count_days(kind[, window])`; same-day results combined; dated
/// facts after the as-of date not yet known.
@Suite struct EventAndResultQueryTests {
    /// A small rule set whose indicators each use one construct; `INDICATORS` is replaced by a test's own.
    static let base = """
        schema:
          enrolment: enrolled_on
          fields:
            enrolled_on: date
            verified_on: date
            next_review: {type: date, scheduled: true}
            gpa: number
          events:
            change: {}
            mood: {}
            absence: {}
          scales:
            mood4:
              items: 4
              answers: [0, 3]
              reverse: [4]
              scores:
                total: {sum: all}
              classes:
                - {class: severe, when: "total >= 9"}
                - {class: mild, when: "total >= 4"}
              otherwise: minimal
        levels:
          - id: none
          - id: attention
            from: 1
        roles:
          counsellor: {sees_sensitive: true}
        indicators:
        INDICATORS

        """

    /// An indicator line for `base`: `- {id: …, when: …}` with evidence.
    static func indicator(_ id: String, _ condition: String, evidence: [String] = []) -> String {
        let shown = evidence.map { "\"\($0)\"" }.joined(separator: ", ")
        return "  - {id: \(id), label: \(id), dimension: knowable, points: 1, when: \"\(condition)\", "
            + "evidence: [\(shown)]}"
    }

    static func engine(_ indicators: [String]) throws -> ScoringEngine {
        let text = base.replacingOccurrences(of: "INDICATORS", with: indicators.joined(separator: "\n"))
        let path = try TestSupport.directory(["rules.yaml": text])
        return try ScoringEngine(rules: try RuleSet.load(from: path))
    }

    static func assess(_ engine: ScoringEngine, _ yaml: String, asOf: String = "2026-11-30") throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
        return engine.assess(record, asOf: TestSupport.date(asOf), for: .fullView)
    }

    /// The messages of loading `base` with one indicator whose condition is `condition`.
    static func errors(_ condition: String) throws -> [String] {
        try TestSupport.ruleErrors(
            base.replacingOccurrences(of: "INDICATORS", with: indicator("probe", condition)))
    }

    // MARK: - latest(scale, window, condition) and any(scale, window, condition)

    @Test func aFilteredLatestFindsTheNewestResultMeetingItsConditionPastALaterOne() throws {
        let engine = try Self.engine([
            Self.indicator("item_raised", "latest(mood4, 30d, item(1) >= 2).item(1) >= 2"),
            Self.indicator("any_item", "any(mood4, 30d, item(1) >= 2)"),
            Self.indicator("plain_latest", "latest(mood4, 30d).item(1) >= 2"),
            Self.indicator(
                "filtered_date", "latest(mood4, 30d, item(1) >= 2 and total >= 4).date == 2026-11-10",
                evidence: ["latest(mood4, 30d, item(1) >= 2).date", "latest(mood4, 30d, item(1) >= 2).total"]),
            Self.indicator("by_class", "any(mood4, 30d, class == severe)"),
            Self.indicator("class_member", "latest(mood4, 30d, class in [mild, severe]).class == mild"),
        ])
        // 2026-11-10 answers item 1 with 3 (total 3 + 1 + 0 + (3 - 0) = 7, mild); the retest of 2026-11-20 answers 0.
        let result = try Self.assess(
            engine,
            """
            {id: A, scales: [{scale: mood4, date: 2026-11-10, items: [3, 1, 0, 0]},
                             {scale: mood4, date: 2026-11-20, items: [0, 0, 0, 3]}]}
            """)
        #expect(
            result.fired.map(\.id) == ["item_raised", "any_item", "filtered_date", "class_member"],
            "\(result.fired.map(\.id))")
        let evidence = try #require(result.fired.first { $0.id == "filtered_date" }?.evidence)
        #expect(evidence.map(\.value) == ["2026-11-10", "7"])
        // Outside the window, or after the as-of date, the answer is not seen.
        let old = try Self.assess(engine, "{id: B, scales: [{scale: mood4, date: 2026-10-01, items: [3, 1, 0, 0]}]}")
        #expect(old.fired.isEmpty)
        let future = try Self.assess(
            engine, "{id: C, scales: [{scale: mood4, date: 2026-12-01, items: [3, 3, 3, 0]}]}")
        #expect(future.fired.isEmpty)
    }

    @Test func aResultWithoutItemsNeverMeetsAnItemCondition() throws {
        let engine = try Self.engine([
            Self.indicator("any_item", "any(mood4, 30d, item(1) >= 2)"),
            Self.indicator("not_any_item", "not any(mood4, 30d, item(1) >= 2)"),
            Self.indicator("any_total", "any(mood4, 30d, total >= 9)"),
        ])
        // Scores only: item 1 is unknown, so `any` is unknown and neither it nor its negation holds.
        let result = try Self.assess(
            engine, "{id: A, scales: [{scale: mood4, date: 2026-11-10, scores: {total: 10}}]}")
        #expect(result.fired.map(\.id) == ["any_total"])
        // No result at all: no result meets the condition (false), so its negation holds.
        #expect(try Self.assess(engine, "{id: B}").fired.map(\.id) == ["not_any_item"])
    }

    @Test(arguments: [
        // Arity, window and scale.
        ("any(mood4, item(1) >= 2)", "found 2 arguments to any; expected 3"),
        ("latest(mood4, 30d, item(1) >= 2, 1).total > 1", "found 4 arguments to latest; expected 1 to 3"),
        (
            "any(mood4, gpa, item(1) >= 2)",
            "found a number; expected a window, a fixed number of days such as 30d or of calendar months such as 3m"
        ),
        ("any(mood5, 30d, item(1) >= 2)", "found the unknown scale \"mood5\"; expected a scale: mood4"),
        // The condition reads one result: its scores, items and class only, and must be a truth.
        ("any(mood4, 30d, item(5) >= 2)", "found an item that mood4 does not have; expected a number from 1 to 4"),
        ("any(mood4, 30d, total)", "found a number; expected a condition that is true or false"),
        (
            "any(mood4, 30d, absence > 1)",
            "found the event kind \"absence\"; expected one of mood4's scores (total), item(n), class, a parameter or a "
                + "field (gpa): a condition on one result reads nothing else of the record"
        ),
        (
            "any(mood4, 30d, verified_on > 2026-01-01)",
            "found the date field verified_on in a condition on one mood4 result; expected a number, yes/no or "
                + "enumeration field (class rules and conditions on one result read no dates: a class is worked out "
                + "when the record is read, before any as-of date)"
        ),
        (
            "any(mood4, 30d, count(mood) > 1)",
            "found the function count(); expected item(n) or a score of mood4 in a condition on one mood4 result"
        ),
        (
            "any(mood4, 30d, class == worst)",
            "worst\", which is not a value of class; expected one of: severe, mild, minimal"
        ),
        (
            "any(mood4, 30d, class > 1)",
            "found the class of the result (one of: severe, mild, minimal) with \">\"; expected a number"
        ),
        ("any(mood4, 30d, item(1) >= 2).total > 1", "found .total after a condition (true or false)"),
    ])
    func scaleQueriesAreCheckedWhenTheRulesLoad(condition: String, message: String) throws {
        let found = try Self.errors(condition)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    // MARK: - followed_by and count_days

    @Test func followedByFindsAnyPairNotOnlyTheLatestOfEach() throws {
        let engine = try Self.engine([
            Self.indicator("within_7", "followed_by(change, mood, 7d)"),
            Self.indicator("within_7_recent", "followed_by(change, mood, 7d, 30d)"),
            Self.indicator("same_day", "followed_by(change, mood, 0)"),
        ])
        // A first change followed 3 days later by a mood report; a second change after it with no report.
        let pair = try Self.assess(
            engine, "{id: A, events: {change: [2026-11-01, 2026-11-20], mood: [2026-11-04]}}")
        #expect(pair.fired.map(\.id) == ["within_7", "within_7_recent"])
        // The report came 8 days after the change: too late for 7 days.
        let late = try Self.assess(engine, "{id: B, events: {change: [2026-11-01], mood: [2026-11-09]}}")
        #expect(late.fired.isEmpty)
        // A report before the change does not follow it; the same day does.
        let before = try Self.assess(engine, "{id: C, events: {change: [2026-11-05], mood: [2026-11-04]}}")
        #expect(before.fired.isEmpty)
        let sameDay = try Self.assess(engine, "{id: D, events: {change: [2026-11-05], mood: [2026-11-05]}}")
        #expect(sameDay.fired.map(\.id) == ["within_7", "within_7_recent", "same_day"])
        // The first event older than the window; the second after the as-of date.
        let old = try Self.assess(engine, "{id: E, events: {change: [2026-10-20], mood: [2026-10-22]}}")
        #expect(old.fired.map(\.id) == ["within_7"])
        let future = try Self.assess(engine, "{id: F, events: {change: [2026-11-29], mood: [2026-12-01]}}")
        #expect(future.fired.isEmpty)
    }

    @Test(arguments: [
        ("followed_by(change, mood)", "found 2 arguments to followed_by; expected 3 to 4"),
        ("followed_by(change, mood, 7d, 30d, 1)", "found 5 arguments to followed_by; expected 3 to 4"),
        ("followed_by(change, moods, 7d)", "found the unknown event kind \"moods\"; expected one of: change, mood"),
        ("followed_by(change, change, 7d)", "found the event kind change twice in followed_by; expected two"),
        ("followed_by(change, mood, gpa)", "found a number; expected how many days later the second event may come"),
        ("followed_by(change, mood, 7d, gpa)", "found a number; expected a window, a fixed number of days"),
        ("followed_by(change, 1 + 1, 7d)", "found an expression; expected an event kind as the second argument"),
        ("followed_by(change, mood, 7d) > 1", "found a condition (true or false)"),
        ("count_days(mood, gpa) >= 1", "found a number; expected a window, a fixed number of days"),
        ("count_days(moods) >= 1", "found the unknown event kind \"moods\""),
        ("count_days() >= 1", "found 0 arguments to count_days; expected 1 to 2"),
        ("count_day(mood) >= 1", "found the unknown function count_day(); expected one of: count, count_days"),
    ])
    func eventQueriesAreCheckedWhenTheRulesLoad(condition: String, message: String) throws {
        let found = try Self.errors(condition)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    @Test func countDaysCountsDistinctDaysAndCountKeepsCountingReports() throws {
        let engine = try Self.engine([
            Self.indicator("two_days", "count_days(absence, 30d) >= 2", evidence: ["count_days(absence, 30d)"]),
            Self.indicator("two_reports", "count(absence, 30d) >= 2"),
            Self.indicator("ever_two_days", "count_days(absence) >= 2"),
        ])
        let duplicated = try Self.assess(engine, "{id: A, events: {absence: [2026-11-20, 2026-11-20]}}")
        #expect(duplicated.fired.map(\.id) == ["two_reports"])
        let two = try Self.assess(
            engine, "{id: B, events: {absence: [2026-11-20, 2026-11-20, 2026-11-21, 2026-10-01, 2026-12-02]}}")
        #expect(two.fired.map(\.id) == ["two_days", "two_reports", "ever_two_days"])
        #expect(two.fired.first?.evidence.map(\.value) == ["2"])
    }

    // MARK: - Same-day results

    @Test func resultsOfOneDayAreCombinedWorstAnswerPerItemWhateverTheirOrder() throws {
        let engine = try Self.engine([
            Self.indicator(
                "shown", "latest(mood4).total >= 0",
                evidence: [
                    "latest(mood4).total", "latest(mood4).item(1)", "latest(mood4).item(4)", "latest(mood4).class",
                ])
        ])
        // Item 4 is reverse-scored: its worst answer is the lowest. Combined: [3, 2, 1, 0], total 3 + 2 + 1 + 3 = 9,
        // severe, though neither result alone is (totals 0 + 2 + 1 + 0 = 3 and 3 + 0 + 0 + 3 = 6).
        let one = "{scale: mood4, date: 2026-11-10, items: [0, 2, 1, 3]}"
        let other = "{scale: mood4, date: 2026-11-10, items: [3, 0, 0, 0]}"
        for order in [[one, other], [other, one]] {
            let result = try Self.assess(engine, "{id: A, scales: [\(order.joined(separator: ", "))]}")
            #expect(result.fired.first?.evidence.map(\.value) == ["9", "3", "0", "severe"])
        }
        // Without items, the highest of each score, and the class that comes first in the class rules.
        let scores = "{scale: mood4, date: 2026-11-10, scores: {total: 5}}"
        let classed = "{scale: mood4, date: 2026-11-10, class: severe}"
        let items = "{scale: mood4, date: 2026-11-10, items: [1, 1, 0, 3]}"
        for order in [[scores, classed, items], [items, classed, scores], [classed, items, scores]] {
            let result = try Self.assess(engine, "{id: B, scales: [\(order.joined(separator: ", "))]}")
            #expect(result.fired.first?.evidence.map(\.value) == ["5", "1", "3", "severe"])
        }
    }

    @Test func aRecordWithManyResultsCombinesItsSameDayOnesToo() throws {
        let engine = try Self.engine([
            Self.indicator("shown", "latest(mood4).total >= 0", evidence: ["latest(mood4).total"])
        ])
        // Twenty results on twenty days of November, then two more on the last of them.
        var results = (1...20).map { "{scale: mood4, date: 2026-11-\($0 < 10 ? "0" : "")\($0), items: [0, 0, 0, 3]}" }
        results += [
            "{scale: mood4, date: 2026-11-20, items: [3, 0, 0, 3]}",
            "{scale: mood4, date: 2026-11-20, items: [0, 3, 0, 3]}",
        ]
        let result = try Self.assess(engine, "{id: A, scales: [\(results.joined(separator: ", "))]}")
        #expect(result.fired.first?.evidence.map(\.value) == ["6"])
    }

    // MARK: - Dated facts after the as-of date

    @Test func aDateAfterTheAsOfDateIsNotYetKnownUnlessItIsAPlan() throws {
        let engine = try Self.engine([
            Self.indicator("verified", "verified_on is set", evidence: ["verified_on", "days_since(verified_on)"]),
            Self.indicator("verified_recently", "days_since(verified_on) <= 30"),
            Self.indicator("verified_before", "verified_on <= as_of"),
            Self.indicator("review_due", "days_since(next_review) >= -7", evidence: ["next_review"]),
            Self.indicator("first_year", "study_year() == 1"),
            Self.indicator("year_missing", "study_year() is missing"),
        ])
        let before = try Self.assess(
            engine, "{id: A, verified_on: 2026-11-20, next_review: 2026-12-05, enrolled_on: 2026-09-01}")
        #expect(
            before.fired.map(\.id) == ["verified", "verified_recently", "verified_before", "review_due", "first_year"])
        #expect(before.fired.first?.evidence.map(\.value) == ["2026-11-20", "10"])
        // The same dates seen from 2026-11-15: the verification and the enrolment have not happened yet; the
        // review is a plan, read as given (20 days ahead: not yet within a week).
        let earlier = try Self.assess(
            engine, "{id: A, verified_on: 2026-11-20, next_review: 2026-12-05, enrolled_on: 2026-11-16}",
            asOf: "2026-11-15")
        #expect(earlier.fired.map(\.id) == ["year_missing"])
        let plan = try Self.assess(engine, "{id: B, next_review: 2026-11-20}", asOf: "2026-11-15")
        #expect(plan.fired.map(\.id) == ["review_due", "year_missing"])
        #expect(plan.fired.first?.evidence.map(\.value) == ["2026-11-20"])
    }

    @Test func scheduledIsADateFieldsKeyOnly() throws {
        let text = Self.base.replacingOccurrences(
            of: "gpa: number", with: "gpa: {type: number, scheduled: true}"
        ).replacingOccurrences(of: "INDICATORS", with: Self.indicator("probe", "gpa > 1"))
        let found = try TestSupport.ruleErrors(text)
        #expect(
            found.contains { $0.contains("found scheduled: true on the number field gpa; expected it only on a date") },
            "\(found)")
        let enrolment = Self.base.replacingOccurrences(
            of: "enrolled_on: date", with: "enrolled_on: {type: date, scheduled: true}"
        ).replacingOccurrences(of: "INDICATORS", with: Self.indicator("probe", "gpa > 1"))
        let enrolmentErrors = try TestSupport.ruleErrors(enrolment)
        #expect(
            enrolmentErrors.contains { $0.contains("found the scheduled field enrolled_on as the enrolment field") },
            "\(enrolmentErrors)")
        let rules = try RuleSet.load(
            from: try TestSupport.directory([
                "rules.yaml": Self.base.replacingOccurrences(
                    of: "INDICATORS", with: Self.indicator("probe", "gpa > 1"))
            ]))
        #expect(rules.schema.field(named: "next_review")?.scheduled == true)
        #expect(rules.schema.field(named: "verified_on")?.scheduled == false)
    }
}

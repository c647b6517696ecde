import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Fixture expectations of a score, of scales' newest results and of evidence values (issue 17, point 5).
@Suite struct FixtureExpectationTests {
    /// Student S1: a PHQ-9 of total 12 (moderate: `positive_scale` gives 3 points) and two nights away (`night_absence`,
    /// 2 points): score 5. A later PHQ-9, after the as-of date, is not the newest result as of then.
    static let student = """
        id: S1
            events: {night_absence: [2026-11-01, 2026-11-10]}
            scales:
              - {scale: phq9, date: 2026-10-01, items: [2, 2, 2, 2, 2, 1, 1, 0, 0]}
              - {scale: phq9, date: 2026-12-01, items: [3, 3, 3, 3, 3, 3, 3, 3, 0]}
        """

    /// Student S1 in a fixture of the test rules, expecting `expect`, loaded.
    func fixture(expecting expect: String) throws -> Fixture {
        let text = """
            rules: \(TestSupport.campusRules)
            as_of: 2026-11-23
            students:
              - \(Self.student)
                expect: \(expect)

            """
        let directory = try TestSupport.directory(["f.yaml": text])
        return try FixtureLoader.load(directory + "/f.yaml", rules: try TestSupport.loadCampus())
    }

    func replay(expecting expect: String) throws -> (Replay.Report, Fixture, Replay) {
        let rules = try TestSupport.loadCampus()
        let fixture = try fixture(expecting: expect)
        #expect(fixture.rejected.map(\.message) == [])
        let replay = try Replay(rules: rules)
        return (replay.run(fixture), fixture, replay)
    }

    @Test func aScoreTheNewestScaleResultsAndEvidenceValuesAsExpectedMatch() throws {
        let (report, _, _) = try replay(
            expecting: """
                {level: attention, score: 5, scales: {phq9: {total: 12, class: moderate}, mini: null},
                      evidence: {night_absence: {"count(night_absence, 30d)": 2, days since the latest: 13},
                                 positive_scale: {"latest(phq9, 180d).class": moderate, "latest(phq9, 180d).total": 12.0}}}
                """)
        #expect(report.results[0].differences == [])
    }

    @Test func aWrongScoreScaleOrEvidenceIsOneSentenceEachNamingWhatWasFound() throws {
        let (report, _, _) = try replay(
            expecting: """
                {level: attention, score: 4.5, scales: {phq9: {total: 20, class: severe}, mini: {total: 3}},
                      evidence: {night_absence: {"count(night_absence, 30d)": 3}, family_change: {"days_since(family_change)": 1}}}
                """)
        #expect(
            report.results[0].differences == [
                "score: expected 4.5, got 5",
                "scales: phq9.total: expected 20, got 12",
                "scales: phq9.class: expected severe, got moderate",
                "scales: mini: expected a result, found none",
                "evidence of night_absence, count(night_absence, 30d): expected 3, got 2",
                "evidence of family_change: expected it to fire, and it did not",
            ])
    }

    @Test func aScaleExpectedToHaveNoResultIsAMismatchWhenItHasOne() throws {
        let (report, _, _) = try replay(expecting: "{level: attention, scales: {phq9: null}}")
        #expect(report.results[0].differences == ["scales: phq9: expected no result, found one of 2026-10-01"])
    }

    @Test func recordingRewritesTheScoreScalesAndEvidenceTheFixtureExpectedWithTheValuesOfNow() throws {
        let (_, fixture, replay) = try replay(
            expecting: """
                {level: attention, score: 9, scales: {phq9: {class: severe}, mini: {total: 3}},
                      evidence: {night_absence: {"count(night_absence, 30d)": 7}, family_change: {"days_since(family_change)": 1}}}
                """)
        let (text, changes) = try replay.record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        // Only what was expected is written again: phq9's class (not its total), no mini result, the night count.
        #expect(
            written.contains(
                #"expect: {level: attention, fired: [night_absence, positive_scale], score: 5, scales: {phq9: {class: moderate}, mini: null}, evidence: {night_absence: {"count(night_absence, 30d)": 2}}}"#
            ))
        #expect(changes.count == 1)
        // The rewritten file reads back to the recorded expectation, which the engine meets.
        let directory = try TestSupport.directory(["f.yaml": written])
        let reread = try FixtureLoader.load(directory + "/f.yaml", rules: replay.engine.rules)
        #expect(reread.cases[0].expectation == changes[0].after)
        #expect(replay.run(reread).results[0].differences == [])
    }

    @Test func anExpectationWithoutScoreScalesOrEvidenceIsRecordedWithoutThem() throws {
        let (_, fixture, replay) = try replay(expecting: "{level: none}")
        let (text, _) = try replay.record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        #expect(written.contains("expect: {level: attention, fired: [night_absence, positive_scale]}"))
    }

    @Test(arguments: [
        (
            "{level: none, score: high}",
            "found \"high\" for score; expected a number"
        ),
        (
            "{level: none, scales: {phq10: null}}",
            "found the unknown scale \"phq10\" in scales; expected one of: phq9, mini (did you mean \"phq9\"?)"
        ),
        (
            "{level: none, scales: {phq9: {totl: 3}}}",
            "found \"totl\" in scale phq9; expected one of: total, class (did you mean \"total\"?)"
        ),
        (
            "{level: none, scales: {phq9: {class: moderat}}}",
            "found \"moderat\" for the class of phq9; expected one of: severe, moderately_severe, moderate, mild, minimal (did you mean \"moderate\"?)"
        ),
        (
            "{level: none, scales: {phq9: {total: twelve}}}",
            "found \"twelve\" for phq9.total; expected a number"
        ),
        (
            "{level: none, evidence: {night_absense: {x: 1}}}",
            "found the unknown indicator \"night_absense\" in evidence; expected an id of the rule set (did you mean \"night_absence\"?)"
        ),
        (
            "{level: none, evidence: {mood_swing: {x: 1}}}",
            "found evidence expected of mood_swing, which shows none; expected an indicator with evidence:"
        ),
        (
            "{level: none, evidence: {night_absence: {\"count(night_absence, 31d)\": 1}}}",
            "found \"count(night_absence, 31d)\" in the evidence of night_absence; expected one of: \"count(night_absence, 30d)\", \"days since the latest\" (did you mean \"count(night_absence, 30d)\"?)"
        ),
        (
            "{level: none, scor: 3}",
            "found the unknown key \"scor\" in expect; expected level, status, confirmed_level, fired, escalations, caps, actions, route, parents, score, scales, evidence, scores, seen_by (did you mean \"score\"?)"
        ),
    ])
    func aWrongScoreScaleOrEvidenceExpectationIsRefusedWithWhatWasExpected(expect: String, message: String) throws {
        let fixture = try fixture(expecting: expect)
        #expect(fixture.cases.isEmpty)
        #expect(fixture.rejected.map(\.message) == [message])
    }

    @Test func numbersCompareAsWrittenNotToTheLastBitAndAreRecordedSo() {
        // 3 points × 1.1 is 3.3000000000000003 in binary: a tester writes 3.3, and --record writes 3.3.
        let computed = 3 * 1.1
        #expect(computed != 3.3)
        #expect(Expectation.sameNumber(computed, 3.3) && !Expectation.sameNumber(3.31, 3.3))
        #expect(Expectation.recordable(computed) == 3.3)
        #expect(Expectation.sameValue("3.3000000000000003", "3.3"))
    }

    @Test func labelsAndValuesThatAreNotPlainWordsAreQuotedWhenWritten() {
        #expect(Expectation.flowScalar("moderate") == "moderate")
        #expect(Expectation.flowScalar("2026-10-01") == "2026-10-01")
        #expect(Expectation.flowScalar("count(k, 30d)") == "\"count(k, 30d)\"")
        #expect(Expectation.flowScalar("no") == "\"no\"")
        #expect(Expectation.flowScalar("say \"hi\"\\") == #""say \"hi\"\\""#)
    }
}

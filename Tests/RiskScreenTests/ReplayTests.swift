import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Replay: expectations compared with the engine, mismatches explained, coverage counted, expectations re-recorded.
@Suite struct ReplayTests {
    static let fixtureText = """
        name: replay test
        rules: \(TestSupport.campusRules)
        as_of: 2026-11-23
        expectations: recorded
        students:
          - id: OK1
            family_structure: single_parent
            events: {night_absence: [2026-11-01, 2026-11-10]}
            expect:
              level: attention
              fired: [night_absence, incomplete_family]
            why: "000 §四(一)1: two nights away and a single-parent family."
          - id: WRONG1
            events: {family_change: [2026-09-01], mood_swing_report: [2026-11-01]}
            expect: {level: attention, fired: [family_change]}
            why: "deliberately wrong"
          - {id: NEW1, self_harm_risk: true}

        """

    func fixture(_ text: String = fixtureText) throws -> (Fixture, RuleSet, String) {
        let directory = try TestSupport.directory(["f.yaml": text])
        let rules = try TestSupport.loadCampus()
        let path = directory + "/f.yaml"
        return (try FixtureLoader.load(path, rules: rules), rules, path)
    }

    @Test func wrongExpectationIsReportedAsAMismatchWithItsExplanation() throws {
        let (fixture, rules, _) = try fixture()
        let report = try Replay(rules: rules).run(fixture)
        #expect(report.results.map(\.studentID) == ["OK1", "WRONG1", "NEW1"])
        #expect(report.results[0].matches)
        let wrong = report.results[1]
        #expect(
            wrong.differences == [
                "level: expected attention, got focus",
                "fired: present but not expected: mood_swing, family_change_with_mood",
            ])
        #expect(wrong.actual.explanation.contains("+2  family_change_with_mood"))
        #expect(wrong.why == "deliberately wrong")
        #expect(report.results[2].differences == ["no expectation recorded"])
        #expect(report.mismatches.map(\.studentID) == ["WRONG1", "NEW1"])
    }

    @Test func coverageCountsEveryRuleAndListsTheUnexercised() throws {
        let (fixture, rules, _) = try fixture()
        let coverage = try Replay(rules: rules).run(fixture).coverage
        func count(_ kind: Coverage.Kind, _ id: String) -> Int? {
            coverage.entries.first { $0.kind == kind && $0.id == id }?.students
        }
        #expect(count(.indicator, "night_absence") == 1)
        #expect(count(.indicator, "family_change") == 1)
        #expect(count(.escalation, "red_flag") == 1)
        #expect(count(.level, "crisis") == 1)
        #expect(count(.level, "attention") == 1)
        #expect(count(.cap, "scale_alone") == 0)
        #expect(coverage.unexercised.contains { $0.kind == .window && $0.id == "exams" })
        #expect(coverage.unexercised.contains { $0.kind == .scaleClass && $0.id == "phq9.severe" })
    }

    @Test func recordRewritesOnlyWrongOrMissingExpectationsAndKeepsTheRest() throws {
        let (fixture, rules, path) = try fixture()
        let replay = try Replay(rules: rules)
        let (bytes, changes) = try replay.record(fixture)
        #expect(changes.map(\.studentID) == ["WRONG1", "NEW1"])
        #expect(
            changes[0].after
                == Expectation(level: "focus", fired: ["family_change", "mood_swing", "family_change_with_mood"]))
        #expect(changes[1].before == nil)
        #expect(
            changes[1].after == Expectation(level: "crisis", fired: ["suicidal_ideation"], escalations: ["red_flag"]))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("why: \"000 §四(一)1: two nights away and a single-parent family.\""))
        #expect(text.contains("expect: {level: focus, fired: [family_change, mood_swing, family_change_with_mood]}"))
        #expect(
            text.contains(
                "- {id: NEW1, self_harm_risk: true, expect: {level: crisis, fired: [suicidal_ideation], escalations: [red_flag]}}"
            ))
        // The rewritten file replays green.
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let again = try FixtureLoader.load(path, rules: rules)
        #expect(replay.run(again).mismatches.isEmpty)
        #expect(try replay.record(again).changes.isEmpty)
    }

    @Test func blockStudentWithoutExpectationGetsOneAtItsIndentation() throws {
        let text = """
            as_of: 2026-11-23
            students:
              - id: B1
                events: {night_absence: [2026-11-01, 2026-11-10]}
              - id: B2

            """
        let (fixture, rules, _) = try fixture(text)
        let (bytes, _) = try Replay(rules: rules).record(fixture)
        #expect(
            String(decoding: bytes, as: UTF8.self) == """
                as_of: 2026-11-23
                students:
                  - id: B1
                    events: {night_absence: [2026-11-01, 2026-11-10]}
                    expect: {level: none, fired: [night_absence]}
                  - id: B2
                    expect: {level: none, fired: []}

                """)
    }

    @Test func expectationNamingUnknownIdsIsRejected() throws {
        let text = """
            as_of: 2026-11-23
            students:
              - {id: U1, expect: {level: severe}}
              - {id: U2, expect: {level: none, fired: [night_absense]}}
            """
        let (fixture, _, _) = try fixture(text)
        #expect(fixture.cases.isEmpty)
        #expect(
            fixture.rejected.map(\.message) == [
                "found \"severe\" for level; expected one of: none, attention, focus, high, crisis",
                "found \"night_absense\" in fired; expected an id of the rule set (did you mean \"night_absence\"?)",
            ])
    }
}

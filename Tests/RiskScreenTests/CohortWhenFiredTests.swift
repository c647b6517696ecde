import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// A cohort rule's `when_fired:`: only a student at the trigger level who fired one of the named risk indicators
/// exposes the group (003 方案2 §四(一) 第二級別: the roommates of one directly involved in a harmful event, not of one
/// whose crisis is a tendency or a questionnaire answer).
@Suite struct CohortWhenFiredTests {
    static let rules = """
        ruleset: {id: t}
        schema:
          fields: {room: text, tendency: boolean, calm: boolean, shown: boolean}
          events: {act: Act}
        levels:
          - {id: none, label: None}
          - {id: attention, label: Attention, from: 2}
          - {id: crisis, label: Crisis, reached_by: rules}
        indicators:
          - {id: recent_act, label: Act, dimension: red_flag, when: "count(act, 30d) >= 1", points: 5}
          - {id: assessed_risk, label: Risk, dimension: red_flag, when: "tendency", points: 5}
          - {id: display, label: Shown, dimension: observable, when: "shown", display_only: true}
        protective:
          - {id: calmness, label: Calm, when: "calm", points: 1}
        escalations:
          - {id: red_flag, when: "recent_act or assessed_risk", level: crisis}

        """

    static func cohort(_ whenFired: String) -> String {
        "cohort:\n  - {id: exposure, group_by: room, when_level: crisis, level: attention\(whenFired)}\n"
    }

    func engine(_ whenFired: String) throws -> ScoringEngine {
        let path = try TestSupport.directory(["rules.yaml": Self.rules + Self.cohort(whenFired)])
        return try ScoringEngine(rules: try RuleSet.load(from: path))
    }

    func levels(_ engine: ScoringEngine, _ yaml: String) throws -> (assessed: [String], scored: [String]) {
        let records = try TestSupport.records(yaml, schema: engine.rules.schema)
        let asOf = TestSupport.date("2026-07-20")
        let scores = engine.score(records, asOf: asOf, for: .fullView)
        return (
            engine.assess(records, asOf: asOf, for: .fullView).map(\.level.id),
            records.indices.map { scores.level($0).id }
        )
    }

    static let students = """
        - {id: A, room: "1", events: {act: [2026-07-15]}}
        - {id: B, room: "1"}
        - {id: C, room: "2", tendency: true}
        - {id: D, room: "2"}
        """

    @Test func onlyAStudentWhoFiredANamedIndicatorExposesTheGroup() throws {
        let named = try levels(try engine(", when_fired: [recent_act]"), Self.students)
        #expect(named.assessed == ["crisis", "attention", "crisis", "none"])
        #expect(named.scored == named.assessed)
        // Without when_fired, any student at the trigger level exposes the group.
        let any = try levels(try engine(""), Self.students)
        #expect(any.assessed == ["crisis", "attention", "crisis", "attention"])
        #expect(any.scored == any.assessed)
        // A student at the level who fired none of them neither exposes nor is shielded: they may be raised by another.
        let both = try levels(
            try engine(", when_fired: [recent_act]"),
            """
            - {id: A, room: "3", events: {act: [2026-07-15]}}
            - {id: C, room: "3", tendency: true}
            """)
        #expect(both.assessed == ["crisis", "crisis"])
        let rule = try #require(try engine(", when_fired: [assessed_risk, recent_act]").rules.cohortRules.first)
        #expect(rule.whenFired == ["recent_act", "assessed_risk"])
    }

    @Test(arguments: [
        (
            ", when_fired: [recnt_act]",
            #"found the unknown name "recnt_act" in when_fired of cohort rule exposure; expected a risk indicator (did you mean "recent_act"?)"#
        ),
        (
            ", when_fired: [calmness]",
            #"found the protective factor "calmness" in when_fired of cohort rule exposure; expected a risk indicator"#
        ),
        (
            ", when_fired: [display]",
            #"found the display-only indicator "display" in when_fired of cohort rule exposure; expected a risk indicator"#
        ),
        (", when_fired: recent_act", "for when_fired of cohort rule exposure; expected a list of risk indicators"),
        (", when_fired: []", "for when_fired of cohort rule exposure; expected a list of risk indicators"),
    ])
    func whenFiredNamesRiskIndicatorsOnly(whenFired: String, message: String) throws {
        let errors = try TestSupport.ruleErrors(Self.rules + Self.cohort(whenFired))
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }

    /// The engine keeps a bit per cohort rule for `when_fired` in the first 64: a rule past them without `when_fired`
    /// still applies on both paths (assess and score), and `when_fired` past them is refused.
    @Test func cohortRulesPastTheSixtyFourthApplyAndMayNotUseWhenFired() throws {
        // The 65th rule alone raises to crisis: before the fix, assess never applied it while score did.
        let plain =
            (0..<64).map { "  - {id: r\($0), group_by: room, when_level: crisis, level: attention}\n" }
            + ["  - {id: r64, group_by: room, when_level: crisis, level: crisis}\n"]
        let path = try TestSupport.directory(["rules.yaml": Self.rules + "cohort:\n" + plain.joined()])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let result = try levels(engine, Self.students)
        #expect(result.assessed == ["crisis", "crisis", "crisis", "crisis"] && result.scored == result.assessed)
        let late =
            (0..<64).map { "  - {id: r\($0), group_by: room, when_level: crisis, level: attention}\n" }
            + ["  - {id: late, group_by: room, when_level: crisis, level: attention, when_fired: [recent_act]}\n"]
        let errors = try TestSupport.ruleErrors(Self.rules + "cohort:\n" + late.joined())
        #expect(
            errors.contains {
                $0.contains("found when_fired on cohort rule late, the 65th; expected when_fired only on the first 64")
            }, "\(errors)")
    }
}

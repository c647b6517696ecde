import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Levels declared `reached_by: rules`: no score reaches them, an escalation, cohort rule or cap does; checked at load.
@Suite struct RuleOnlyLevelTests {
    static let rulesPath = TestSupport.testsDirectory + "/Rules/rule-only-levels"
    static let fixturePath = rulesPath + "/fixtures/replay.yaml"

    /// Three levels a score reaches around `urgent`, which only rules reach; `extra` is appended.
    static func ruleSet(_ extra: String = "", urgent: String = "    reached_by: rules\n") -> String {
        """
        schema:
          fields:
            gpa: number
            warned: boolean
        levels:
          - id: none
          - id: attention
            from: 2
          - id: urgent

        """ + urgent
            + """
              - id: focus
                from: 4
            indicators:
              - id: low_gpa
                label: Low GPA
                dimension: checkable
                when: "gpa < 2"
                points: 2
              - id: very_low_gpa
                label: Very low GPA
                dimension: checkable
                when: "gpa < 1"
                points: 2
              - id: warning
                label: Warning
                dimension: checkable
                when: "warned"
                points: 1

            """ + extra
    }

    static let escalation = """
        escalations:
          - id: warned_urgent
            when: "warning"
            level: urgent

        """

    @Test func aRuleOnlyLevelLoadsWithoutAThresholdAndTheOthersStillRise() throws {
        let rules = try RuleSet.load(from: Self.rulesPath)
        #expect(rules.warnings.isEmpty, "\(rules.warnings.map(\.description))")
        #expect(rules.levels.map(\.id) == ["none", "low", "low_medium", "medium", "high"])
        #expect(rules.levels.map(\.isReachedByRulesOnly) == [false, false, true, false, false])
        #expect(rules.levels.map(\.threshold) == [-.infinity, 1, .infinity, 5, 7])
    }

    @Test func noScoreReachesARuleOnlyLevelButAnEscalationRaisesToIt() throws {
        let path = try TestSupport.directory(["rules.yaml": Self.ruleSet(Self.escalation)])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let records = try TestSupport.records(
            """
            - {id: A, gpa: 1.5}
            - {id: B, gpa: 0.5}
            - {id: C, gpa: 1.5, warned: true}
            - {id: D, gpa: 0.5, warned: true}
            - {id: E, gpa: 3, warned: true}
            """, schema: engine.rules.schema)
        let asOf = TestSupport.date("2026-11-23")
        let assessed = engine.assess(records, asOf: asOf, for: .fullView)
        // A: 2 points, attention. B: 4 points reach focus, past urgent. C: 3 points would be attention, and no score
        // reaches urgent, but the escalation does. D: 5 points, focus; the escalation's urgent is below. E: 1 point,
        // none by score, urgent by the escalation.
        #expect(assessed.map(\.scoreLevel?.id) == ["attention", "focus", "attention", "focus", "none"])
        #expect(assessed.map(\.level.id) == ["attention", "focus", "urgent", "focus", "urgent"])
        #expect(assessed[2].escalations.map(\.changedLevel) == [true])
        #expect(assessed[3].escalations.map(\.changedLevel) == [false])
        // The flat scores give the same levels.
        let scores = engine.score(records, asOf: asOf, for: .fullView)
        #expect(records.indices.map { scores.level($0).id } == assessed.map(\.level.id))
        // The explanation names the level the score gives and the escalation, never a threshold.
        #expect(
            assessed[4].explanation.contains(
                "  score gives none\n  escalation warned_urgent: at least urgent (applied)"))
    }

    @Test func aCapLowersToARuleOnlyLevelFromAHigherOne() throws {
        let cap = """
            caps:
              - id: warned_at_most_urgent
                when: "warning"
                level: urgent

            """
        let path = try TestSupport.directory(["rules.yaml": Self.ruleSet(cap)])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let records = try TestSupport.records(
            "- {id: A, gpa: 0.5, warned: true}\n- {id: B, gpa: 1.5, warned: true}\n", schema: engine.rules.schema)
        let assessed = engine.assess(records, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        // A: 5 points, focus, capped to urgent. B: 3 points, attention, below the cap: unchanged.
        #expect(assessed.map(\.level.id) == ["urgent", "attention"])
    }

    @Test func aRuleOnlyLevelNoRuleSetsIsAnErrorNamingIt() throws {
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet()) == [
                "9:5: found level urgent reached only by rules, which no student can reach: no escalation or cohort rule sets it; expected an escalation or cohort rule with level: urgent"
            ])
    }

    @Test func aCapToARuleOnlyLevelWithNoScoreAboveItIsAnError() throws {
        // The rule-only level is the highest: a cap lowers nobody to it.
        let text = Self.ruleSet(
            """
            caps:
              - id: warned_at_most_top
                when: "warning"
                level: top

            """
        ).replacingOccurrences(of: "    reached_by: rules\n", with: "    from: 3\n")
            .replacingOccurrences(of: "  - id: focus\n    from: 4\n", with: "  - id: top\n    reached_by: rules\n")
        #expect(
            try TestSupport.ruleErrors(text) == [
                "11:5: found level top reached only by rules, which no student can reach: no escalation or cohort rule sets it and no score reaches a level above the cap that sets it; expected an escalation or cohort rule with level: top"
            ])
    }

    @Test func aRuleOnlyLevelWithFromIsAnError() throws {
        let text = Self.ruleSet(Self.escalation, urgent: "    reached_by: rules\n    from: 3\n")
        #expect(
            try TestSupport.ruleErrors(text) == [
                "11:11: found from on level urgent, which only rules reach (reached_by: rules); expected no from: no score reaches it"
            ])
    }

    @Test func theFirstLevelCannotBeRuleOnly() throws {
        let text = Self.ruleSet(Self.escalation).replacingOccurrences(
            of: "  - id: none\n", with: "  - id: none\n    reached_by: rules\n")
        #expect(
            try TestSupport.ruleErrors(text) == [
                "7:17: found reached_by: rules on the first level none; expected the lowest level to apply from any score"
            ])
    }

    @Test func thresholdsStillRiseAcrossARuleOnlyLevel() throws {
        let equal = Self.ruleSet(Self.escalation).replacingOccurrences(of: "    from: 4\n", with: "    from: 2\n")
        #expect(
            try TestSupport.ruleErrors(equal) == [
                "12:11: found level focus from 2, not above attention from 2; expected thresholds rising with each level"
            ])
        let rising = Self.ruleSet(Self.escalation).replacingOccurrences(of: "    from: 4\n", with: "    from: 3\n")
        #expect(try TestSupport.ruleErrors(rising) == [])
    }

    @Test func aLevelWithoutFromOrReachedBySaysWhatToWrite() throws {
        let text = Self.ruleSet(Self.escalation, urgent: "")
        #expect(
            try TestSupport.ruleErrors(text) == [
                "9:5: found no from on level urgent; expected from: SCORE (or a parameter), or reached_by: rules for a level only escalations and caps reach"
            ])
    }

    @Test func reachedByTakesRulesOrScore() throws {
        let wrong = Self.ruleSet(Self.escalation, urgent: "    reached_by: escalations\n")
        #expect(
            try TestSupport.ruleErrors(wrong) == [
                "9:5: found no from on level urgent; expected from: SCORE (or a parameter), or reached_by: rules for a level only escalations and caps reach",
                "10:17: found \"escalations\" for reached_by of level urgent; expected rules (only escalations, caps and cohort rules reach it) or score",
            ])
        let score = Self.ruleSet(Self.escalation, urgent: "    reached_by: score\n    from: 3\n")
        #expect(try TestSupport.ruleErrors(score) == [])
    }

    @Test func anOverlayMakesAnInheritedLevelRuleOnly() throws {
        let path = try TestSupport.directory([
            "base/rules.yaml": Self.ruleSet(Self.escalation, urgent: "    from: 3\n"),
            "overlay/rules.yaml": """
            ruleset: {id: overlay, extends: ../base}
            overrides:
              levels:
                urgent: {reached_by: rules, from: null}

            """,
        ])
        let rules = try RuleSet.load(from: path + "/overlay")
        #expect(rules.levels.map(\.isReachedByRulesOnly) == [false, false, true, false])
    }

    @Test func aRuleOnlyLevelScoresLikeTheUnreachableThresholdItReplaces() throws {
        // The workaround of issue 17: a from no whole-number total reaches. Every student gets the same level.
        let text = try String(contentsOfFile: Self.rulesPath + "/rules.yaml", encoding: .utf8)
        let workaround = text.replacingOccurrences(
            of:
                "    reached_by: rules                  # no aggregate reaches it: only the single-parameter escalation below\n",
            with: "    from: 4.5\n")
        #expect(workaround != text)
        let declared = try ScoringEngine(rules: try RuleSet.load(from: Self.rulesPath))
        let replaced = try ScoringEngine(
            rules: try RuleSet.load(from: try TestSupport.directory(["rules.yaml": workaround])))
        let records = try FixtureLoader.load(Self.fixturePath, rules: declared.rules).cases.map(\.record)
        let asOf = TestSupport.date("2026-11-23")
        let before = replaced.score(records, asOf: asOf, for: .fullView)
        let after = declared.score(records, asOf: asOf, for: .fullView)
        #expect(records.indices.map { before.level($0).id } == records.indices.map { after.level($0).id })
        #expect(records.indices.map { after.level($0).id }.contains("low_medium"))
    }

    @Test func theRuleFileFixtureReplaysGreenAndCoversEveryLevel() throws {
        let rulesPath = try #require(try FixtureLoader.rulesPath(of: Self.fixturePath))
        #expect(
            URL(fileURLWithPath: rulesPath).standardized.path == URL(fileURLWithPath: Self.rulesPath).standardized.path)
        let rules = try RuleSet.load(from: rulesPath)
        let fixture = try FixtureLoader.load(Self.fixturePath, rules: rules)
        #expect(fixture.rejected.isEmpty)
        let report = try Replay(rules: rules).run(fixture)
        #expect(report.mismatches.isEmpty, "\(report.mismatches.map { "\($0.studentID): \($0.differences)" })")
        #expect(report.coverage.unexercised.isEmpty, "\(report.coverage.unexercised.map(\.id))")
    }
}

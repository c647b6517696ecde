import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Indicators declared `display_only: true`: fired to be shown and tested, with no points, read by no rule, not counted.
@Suite struct DisplayOnlyIndicatorTests {
    /// Two indicators that score and one display-only; `extra` is appended.
    static func ruleSet(_ extra: String = "", shown: String = "    display_only: true\n") -> String {
        """
        schema:
          fields:
            gpa: number
            warned: boolean
            quiet: boolean
        levels:
          - id: none
          - id: attention
            from: 2
        indicators:
          - id: low_gpa
            label: Low GPA
            dimension: checkable
            when: "gpa < 2"
            points: 2
          - id: warning
            label: Warning
            dimension: checkable
            when: "warned"
            points: 1
          - id: withdrawn
            label: Withdrawn
            dimension: observable
            when: "quiet"

        """ + shown + extra
    }

    @Test func aDisplayOnlyIndicatorLoadsWithoutTheWarningAndWithoutPoints() throws {
        let path = try TestSupport.directory(["rules.yaml": Self.ruleSet()])
        let rules = try RuleSet.load(from: path)
        #expect(rules.warnings.isEmpty, "\(rules.warnings.map(\.description))")
        #expect(rules.indicators.map(\.isDisplayOnly) == [false, false, true])
        #expect(rules.indicators[2].maximumPoints == 0)
    }

    @Test func withoutTheDeclarationAZeroPointIndicatorStillWarns() throws {
        let path = try TestSupport.directory(["rules.yaml": Self.ruleSet(shown: "    points: 0\n")])
        let rules = try RuleSet.load(from: path)
        #expect(
            rules.warnings.map(\.message) == [
                "found the indicator withdrawn with no points that no escalation, cap or indicator names; it can never change an outcome"
            ])
    }

    @Test func zeroPointsMayBeWrittenOtherPointsAreAnError() throws {
        #expect(try TestSupport.ruleErrors(Self.ruleSet("    points: 0\n")) == [])
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet("    points: 1\n")) == [
                "26:13: found points 1 on the display-only indicator withdrawn; expected 0 or no points (a display-only indicator never changes the score)"
            ])
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet("    points: {by: gpa, bands: [{from: 0, points: 1}]}\n")) == [
                "26:13: found points by bands on the display-only indicator withdrawn; expected 0 or no points (a display-only indicator never changes the score)"
            ])
    }

    @Test func displayOnlyTakesTrueOrFalse() throws {
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet(shown: "    display_only: maybe\n    points: 0\n")) == [
                "25:19: found \"maybe\" for display_only; expected true or false"
            ])
    }

    @Test func aRuleOrIndicatorThatReadsItIsAnErrorThatSaysSo() throws {
        let escalation = """
            escalations:
              - id: quiet_and_warned
                when: "warning and withdrawn"
                level: attention

            """
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet(escalation)) == [
                "28:24: in escalation quiet_and_warned: found the display-only indicator \"withdrawn\"; expected an indicator without display_only: true (one that rules read can change an outcome: remove display_only from withdrawn)"
            ])
        let cap = """
            caps:
              - id: quiet_at_most_none
                when: "withdrawn"
                level: none

            """
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet(cap)) == [
                "28:12: in cap quiet_at_most_none: found the display-only indicator \"withdrawn\"; expected an indicator without display_only: true (one that rules read can change an outcome: remove display_only from withdrawn)"
            ])
        let indicator = """
              - id: quiet_and_low
                label: Quiet and low
                dimension: checkable
                when: "withdrawn and low_gpa"
                points: 1

            """
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet(indicator)) == [
                "29:12: in the condition of quiet_and_low: found the display-only indicator \"withdrawn\"; expected an indicator without display_only: true (one that rules read can change an outcome: remove display_only from withdrawn)"
            ])
    }

    @Test func aDutyThatReadsItIsAnError() throws {
        let duty = """
            actions:
              - id: visit
                when: "withdrawn"
                role: counsellor
                within: 7

            """
        let text = "roles:\n  counsellor: {label: Counsellor, sees_sensitive: true}\n" + Self.ruleSet(duty)
        #expect(
            try TestSupport.ruleErrors(text) == [
                "30:12: in action visit: found the display-only indicator \"withdrawn\"; expected an indicator without display_only: true (one that rules read can change an outcome: remove display_only from withdrawn)"
            ])
    }

    @Test func evidenceMayShowIt() throws {
        let indicator = """
              - id: quiet_and_low
                label: Quiet and low
                dimension: checkable
                when: "quiet and low_gpa"
                points: 1
                evidence: ["withdrawn"]

            """
        #expect(try TestSupport.ruleErrors(Self.ruleSet(indicator)) == [])
    }

    @Test func itFiresIsShownAndIsNotCounted() throws {
        let counting = """
            escalations:
              - id: two_signs
                when: "fired_count() >= 2"
                level: attention
              - id: two_observable
                when: "fired_count(observable) >= 1"
                level: attention

            """
        let path = try TestSupport.directory(["rules.yaml": Self.ruleSet(counting)])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let records = try TestSupport.records(
            "- {id: A, warned: true, quiet: true}\n- {id: B, warned: true, gpa: 1.5}\n", schema: engine.rules.schema)
        let assessed = engine.assess(records, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        // A: warning (1 point) and withdrawn (display-only): one sign counts, none observable: none.
        #expect(assessed[0].fired.map(\.id) == ["warning", "withdrawn"])
        #expect(assessed[0].fired.map(\.points) == [1, 0])
        #expect(assessed[0].level.id == "none")
        #expect(assessed[0].escalations.isEmpty)
        #expect(assessed[0].explanation.contains("  +0  withdrawn Withdrawn"))
        // B: warning and low GPA count as two signs.
        #expect(assessed[1].escalations.map(\.id) == ["two_signs"])
        let scores = engine.score(records, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        #expect(scores.firedIndicators(0).map { scores.indicatorIDs[$0] } == ["warning", "withdrawn"])
        #expect([scores.level(0).id, scores.level(1).id] == ["none", "attention"])
        // It is not listed among the indicators closest to firing: it changes no outcome.
        let unknown = try TestSupport.records("- {id: C}\n", schema: engine.rules.schema)[0]
        #expect(
            engine.nearMisses(unknown, asOf: TestSupport.date("2026-11-23"), for: .fullView).map(\.indicatorID) == [
                "low_gpa", "warning",
            ])
    }
}

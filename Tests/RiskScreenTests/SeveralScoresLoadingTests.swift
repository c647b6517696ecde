import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// What loading a rule set of several scores tells its author: a row of `combine: table` that can never apply, a level
/// only such a row would give, and a display-only indicator that needs no `score:`.
@Suite struct SeveralScoresLoadingTests {
    /// Self reaches at most 2 points and others 2; `high` is from 50 for self and not declared for others.
    static func ruleSet(rows: String, shown: String = "") -> String {
        SeveralScoresTests.ruleSet(
            levels: """
                levels:
                  - id: none
                  - id: attention
                    from: {self: 1, others: 1}
                  - id: focus
                    from: {self: 2, others: 2}
                  - id: high
                    from: {self: 50}

                """,
            extra: "combine:\n  table:\n" + rows + shown)
    }

    static func load(_ text: String) throws -> RuleSet {
        try RuleSet.load(from: try TestSupport.directory(["rules.yaml": text]))
    }

    @Test func aRowNamingALevelAScoreCannotReachByPointsWarnsThatItCanNeverApply() throws {
        let rules = try Self.load(
            Self.ruleSet(
                rows: """
                        - {self: focus, others: focus, level: high}
                        - {self: high, others: focus, level: high}

                    """))
        #expect(
            rules.warnings.map { "\($0.location.line):\($0.location.column): \($0.message)" } == [
                "32:14: found self: high in a row of combine: table, a level self cannot be at: "
                    + "self's indicators together give at most 2 and level high is from 50 for self (escalations and "
                    + "caps set the level, never a score's level); this row can never apply"
            ])
    }

    @Test func aRowNamingALevelWithoutAThresholdForTheScoreWarnsThatItCanNeverApply() throws {
        let rules = try Self.load(
            Self.ruleSet(
                rows: """
                        - {self: focus, others: focus, level: high}
                        - {self: none, others: high, level: focus}

                    """))
        #expect(
            rules.warnings.map(\.message) == [
                "found others: high in a row of combine: table, a level others cannot be at: level high has no from: "
                    + "for others, so others never reaches it (escalations and caps set the level, never a score's "
                    + "level); this row can never apply"
            ])
        #expect(rules.warnings.first?.location.line == 32)
        #expect(rules.warnings.first?.location.column == 28)
    }

    @Test func rowsEveryScoreCanReachLoadWithoutWarnings() throws {
        let rules = try Self.load(
            Self.ruleSet(
                rows: "    - {self: focus, others: focus, level: high}\n    - {self: none, others: none, level: none}\n"
            ))
        #expect(rules.warnings.isEmpty, "\(rules.warnings.map(\.description))")
        let twoScores = try RuleSet.load(from: SeveralScoresTests.rulesPath)
        #expect(twoScores.warnings.isEmpty, "\(twoScores.warnings.map(\.description))")
    }

    @Test func aLevelOnlyARowThatCanNeverApplyGivesIsRefused() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(rows: "    - {self: high, others: none, level: high}\n"))
        #expect(
            errors == [
                "14:5: found level high, which no student can reach: its scores' indicators together give at most "
                    + "self 2, others 2 and no escalation sets it; expected a lower threshold or an escalation",
                "31:14: found self: high in a row of combine: table, a level self cannot be at: self's indicators "
                    + "together give at most 2 and level high is from 50 for self (escalations and caps set the "
                    + "level, never a score's level); this row can never apply",
            ])
        // A row every score can reach gives it.
        #expect(
            try TestSupport.ruleErrors(Self.ruleSet(rows: "    - {self: focus, others: focus, level: high}\n")) == [])
    }

    @Test func aSecondRowForTheSameCombinationStaysAnError() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                rows:
                    "    - {self: focus, others: focus, level: high}\n    - {self: focus, others: focus, level: focus}\n"
            )
        )
        #expect(errors.contains { $0.hasPrefix("32:7: found a second row for the same combination in combine: table") })
    }

    /// A display-only indicator after the two that score, without `score:`.
    static let displayOnly = """
          - id: withdrawn
            label: Withdrawn
            dimension: observable
            display_only: true
            when: "sad and threats"

        """

    @Test func aDisplayOnlyIndicatorNeedsNoScore() throws {
        let rules = try Self.load(SeveralScoresTests.ruleSet() + Self.displayOnly)
        #expect(rules.warnings.isEmpty, "\(rules.warnings.map(\.description))")
        #expect(rules.indicators.map(\.id) == ["sadness", "threatening", "withdrawn"])
        #expect(rules.indicators[2].isDisplayOnly)
        // It fires, is shown, and adds to no score.
        let engine = try ScoringEngine(rules: rules)
        let record = try #require(
            try TestSupport.records("- {id: A, sad: true, threats: true}", schema: rules.schema).first)
        let assessment = engine.assess(record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        #expect(assessment.fired.map(\.id) == ["sadness", "threatening", "withdrawn"])
        #expect(assessment.scores.map(\.score) == [2, 2])
    }

    @Test func aDisplayOnlyIndicatorThatNamesAScoreIsCheckedAllTheSame() throws {
        let base = SeveralScoresTests.ruleSet() + Self.displayOnly
        #expect(try TestSupport.ruleErrors(base + "    score: others\n") == [])
        let unknown = try TestSupport.ruleErrors(base + "    score: other\n")
        #expect(
            unknown.contains {
                $0.contains(
                    "found the unknown score \"other\" on the indicator withdrawn; expected one of: self, others (did you mean \"others\"?)"
                )
            })
    }

    @Test func anIndicatorWithPointsStillNeedsItsScore() throws {
        let errors = try TestSupport.ruleErrors(
            SeveralScoresTests.ruleSet()
                + Self.displayOnly.replacingOccurrences(of: "    display_only: true\n", with: "")
                + "    points: 1\n")
        #expect(
            errors.contains {
                $0.contains("found no score on the indicator withdrawn; expected score: one of self, others")
            })
    }
}

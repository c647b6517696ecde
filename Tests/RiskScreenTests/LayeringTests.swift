import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// A college's overlay extends the centre's rule set, changing weights and thresholds without copying it.
@Suite struct LayeringTests {
    @Test func overlayChangesWeightsThresholdsAndSwitchesIndicatorsOff() throws {
        let college = try RuleSet.load(from: TestSupport.collegeRules)
        #expect(college.id == "test-college")
        #expect(college.extends == ["test-campus"])
        #expect(college.parameters.first { $0.name == "w_night" }?.value == 4)
        #expect(college.level(named: "attention")?.threshold == 2)
        #expect(college.indicator(named: "incomplete_family")?.isEnabled == false)
        #expect(college.indicator(named: "internet_addiction") != nil)
        #expect(college.warnings.isEmpty)
    }

    @Test func theSameStudentScoresDifferentlyUnderTheOverlay() throws {
        let campus = try TestSupport.loadCampus()
        let college = try RuleSet.load(from: TestSupport.collegeRules)
        let yaml =
            "- {id: B, family_structure: single_parent, events: {night_absence: [2026-11-01, 2026-11-10], mood_swing_report: [2026-11-15]}}"
        let asOf = TestSupport.date("2026-11-23")
        let campusResult = try ScoringEngine(rules: campus).assess(
            try #require(try TestSupport.records(yaml, schema: campus.schema).first), asOf: asOf, for: .fullView)
        let collegeResult = try ScoringEngine(rules: college).assess(
            try #require(try TestSupport.records(yaml, schema: college.schema).first), asOf: asOf, for: .fullView)
        // Campus: night 2 + incomplete 1 + mood 1 = 4, attention.
        #expect(campusResult.score == 4)
        #expect(campusResult.level.id == "attention")
        // College: night 4 (overridden) + mood 2 (overridden), incomplete_family off = 6, focus.
        #expect(collegeResult.score == 6)
        #expect(collegeResult.fired.map(\.id) == ["night_absence", "mood_swing"])
        #expect(collegeResult.level.id == "focus")
    }

    @Test func redefiningAnInheritedIndicatorPointsToOverrides() throws {
        let path = try TestSupport.directory([
            "college/rules.yaml": """
            ruleset: {id: college, extends: \(TestSupport.campusRules)}
            indicators:
              - id: mood_swing
                label: again
                dimension: observable
                when: "true"
                points: 1

            """
        ])
        do {
            _ = try RuleSet.load(from: path + "/college")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.errors.map(\.message) == [
                    "found \"mood_swing\", which the rule set test-campus already defines in indicators; expected a change under overrides: indicators: mood_swing: …"
                ])
            #expect(error.errors.first?.location.line == 3)
        }
    }
}

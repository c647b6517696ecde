import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenSupport

@Suite struct RuleSetLoadingTests {
    @Test func testCampusRulesLoadWithoutErrorsOrWarnings() throws {
        let rules = try TestSupport.loadCampus()
        #expect(rules.id == "test-campus")
        #expect(rules.warnings.isEmpty)
        #expect(rules.levels.map(\.id) == ["none", "attention", "focus", "high", "crisis"])
        #expect(rules.levels.map(\.threshold).dropFirst() == [3, 6, 10, 15])
        #expect(rules.indicators.count == 14)
        #expect(rules.schema.scales.map(\.name) == ["phq9", "mini"])
        #expect(rules.parameters.first { $0.name == "exam_factor" }?.reason == "000 §四(二)2: before and after exams")
    }
}

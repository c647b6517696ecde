import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Every fixture in `Fixtures/` replays green against the rule set it names, and the scenario cohorts
/// together leave nothing in campus-default unexercised.
@Suite struct FixtureReplayTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures: [String] = {
        let directory = root + "/Fixtures"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }()

    @Test func fixturesExist() {
        #expect(Self.fixtures.count >= 3)
    }

    @Test(arguments: fixtures)
    func fixtureReplaysGreen(path: String) throws {
        let rulesPath = try #require(try FixtureLoader.rulesPath(of: path), "fixture names no rules:")
        let rules = try RuleSet.load(from: rulesPath)
        let fixture = try FixtureLoader.load(path, rules: rules)
        #expect(fixture.rejected.isEmpty, "\(fixture.rejected.map(\.description))")
        #expect(!fixture.cases.isEmpty)
        let report = try Replay(rules: rules).run(fixture)
        for mismatch in report.mismatches {
            Issue.record("\(mismatch.location): \(mismatch.studentID): \(mismatch.differences.joined(separator: "; "))")
        }
    }

    @Test func bundledRuleSetsLoadWithoutErrorsOrWarnings() throws {
        for name in ["scales", "campus-default", "college-arts"] {
            let rules = try RuleSet.load(from: Self.root + "/Rules/" + name)
            #expect(rules.warnings.isEmpty, "\(name): \(rules.warnings.map(\.description))")
        }
    }

    @Test func scenarioCohortsExerciseEveryRuleOfCampusDefault() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let replay = try Replay(rules: rules)
        var coverage = Coverage(rules: rules)
        for path in Self.fixtures where path.contains("/scenarios") {
            coverage.merge(replay.run(try FixtureLoader.load(path, rules: rules)).coverage)
        }
        #expect(coverage.unexercised.isEmpty, "\(coverage.unexercised.map { "\($0.kind.rawValue) \($0.id)" })")
    }
}

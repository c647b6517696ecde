import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// `ScoringEngine.score` (levels without explanations) against `assess` (full assessments) on the bundled rules.
@Suite struct CohortScoresTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let rules: RuleSet
    let engine: ScoringEngine

    init() throws {
        rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        engine = try ScoringEngine(rules: rules)
    }

    /// Term start, exam season, summer and winter: different calendar windows and multipliers hold on each day.
    @Test(arguments: ["2026-09-15", "2026-12-28", "2026-07-20", "2027-01-25"])
    func scoresAgreeWithAssessmentsForEveryStudent(day: String) throws {
        let asOf = TestSupport.date(day)
        // 2,000 students: 62 full batches of 32 and a part batch, on two threads.
        let records = SyntheticCohort(rules: rules, seed: 7, asOf: asOf).records(0..<2_003)
        let assessments = engine.assess(records, asOf: asOf, for: .fullView)
        let scores = engine.score(records, asOf: asOf, for: .fullView)
        #expect(scores.count == records.count)
        var disagreements: [String] = []
        for (student, assessment) in assessments.enumerated() {
            let fired = Set(assessment.fired.map(\.id))
            let scored = Set(scores.firedIndicators(student).map { rules.indicators[$0].id })
            if scores.levelRank(student) != assessment.levelRank || scores.level(student) != assessment.level
                || scores.score(student) != assessment.score
                || scores.scoreLevel(student) != assessment.scoreLevel
                || scored != fired
            {
                disagreements.append(assessment.studentID)
            }
        }
        #expect(disagreements.isEmpty, "score and assess disagree for \(disagreements.prefix(5))")
        // The cohort is varied enough to mean something: several levels occur, and the cohort rule reaches someone.
        #expect(scores.countsByLevel.filter { $0 > 0 }.count >= 3)
        #expect(assessments.contains { $0.escalations.contains { $0.kind == .cohort && $0.changedLevel == true } })
    }

    @Test func oneRecordAloneScoresAsInABatch() throws {
        let asOf = TestSupport.date("2026-09-15")
        let records = SyntheticCohort(rules: rules, seed: 3, asOf: asOf).records(0..<300)
        let batch = engine.assess(records, asOf: asOf, for: .fullView)
        for (record, inBatch) in zip(records, batch) {
            let alone = engine.assess(record, asOf: asOf, for: .fullView)
            // Cohort rules apply to batches only; compare what a record gives on its own.
            let ownEscalations = inBatch.escalations.filter { $0.kind != .cohort }.map(\.id)
            #expect(alone.score == inBatch.score && alone.scoreLevel == inBatch.scoreLevel)
            #expect(alone.fired.map(\.id) == inBatch.fired.map(\.id) && alone.escalations.map(\.id) == ownEscalations)
        }
    }

    @Test func threadCountDoesNotChangeScores() throws {
        let asOf = TestSupport.date("2026-12-28")
        // 3,100 records: `threads: 8` gives three workers (at least 1,024 records each).
        let records = SyntheticCohort(rules: rules, seed: 11, asOf: asOf).records(0..<3_100)
        let one = engine.score(records, asOf: asOf, for: .fullView, threads: 1)
        let many = engine.score(records, asOf: asOf, for: .fullView, threads: 8)
        #expect(
            (0..<records.count).allSatisfy {
                one.levelRank($0) == many.levelRank($0) && one.score($0) == many.score($0)
                    && one.firedIndicators($0) == many.firedIndicators($0)
            })
    }

    @Test func emptyCohortHasNoScores() {
        let scores = engine.score([], asOf: TestSupport.date("2026-09-15"), for: .fullView)
        #expect(scores.count == 0)
        #expect(scores.countsByLevel == [Int](repeating: 0, count: rules.levels.count))
    }
}

internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Issue 11's behaviours 2, 3, 4, 5 and 7 on campus-default: a later fact (a retest, a second stressor, a second
/// result of the day, a duplicate report, a verification not yet made) must not erase or invent a signal.
@Suite struct LaterFactRegressionTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent()
    let engine: ScoringEngine
    let asOf = "2026-11-23"

    init() throws {
        engine = try ScoringEngine(rules: try RuleSet.load(from: Self.root.path + "/Rules/campus-default"))
    }

    func assess(_ yaml: String, asOf date: String? = nil) throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
        return engine.assess(record, asOf: TestSupport.date(date ?? asOf), for: .fullView)
    }

    func fired(_ result: Assessment) -> [String] { result.fired.map(\.id) }

    /// A PHQ-9 answered on `date` with item 9 (death or self-harm) as given and the other items as `others`.
    static func phq9(_ date: String, item9: Int, others: Int = 0) -> String {
        "{scale: phq9, date: \(date), items: [\(Array(repeating: "\(others)", count: 8).joined(separator: ", ")), \(item9)]}"
    }

    /// Behaviour 2: an item-9 answer followed 11 days later by a retest without it, and no interview, gave `none`.
    @Test func aRetestWithoutTheSelfHarmAnswerDoesNotEraseIt() throws {
        let scales = "[\(Self.phq9("2026-11-01", item9: 1)), \(Self.phq9("2026-11-12", item9: 0))]"
        let unverified = try assess("{id: B2, scales: \(scales)}")
        #expect(fired(unverified).contains("scale_self_harm_item"), "\(fired(unverified))")
        // Unverified: 重点关注 held, and the same-day interview owed.
        #expect(unverified.level.id == "focus" && unverified.actions.map(\.id).contains("same_day_interview"))
        let evidence = try #require(unverified.fired.first { $0.id == "scale_self_harm_item" }?.evidence)
        #expect(evidence.map(\.value).prefix(3) == ["1", "missing", "2026-11-01"])
        // A verification before the answer does not clear it; one on or after it does, and the answer keeps the
        // 重点关注 floor as an earlier, verified signal.
        let verifiedBefore = try assess("{id: B2a, risk_verified_on: 2026-10-31, scales: \(scales)}")
        #expect(fired(verifiedBefore).contains("scale_self_harm_item"))
        let verified = try assess("{id: B2b, risk_verified_on: 2026-11-01, scales: \(scales)}")
        #expect(!fired(verified).contains("scale_self_harm_item"))
        #expect(fired(verified).contains("scale_self_harm_earlier"))
        #expect(verified.level.id == "focus" && !verified.actions.map(\.id).contains("same_day_interview"))
    }

    /// Behaviour 3: a second family change erased the first one's "stressor followed by distress" (focus → attention).
    @Test func aSecondFamilyChangeDoesNotEraseTheFirstOnesDistress() throws {
        let result = try assess(
            "{id: B3, events: {family_change: [2026-10-01, 2026-11-15], mood_swing_report: [2026-11-05]}}")
        #expect(fired(result).contains("stressor_with_distress"), "\(fired(result))")
        #expect(result.level.id == "focus")
        // The same for a breakup; and a report before every stressor still does not count.
        let breakup = try assess(
            "{id: B3a, events: {romantic_setback: [2026-10-01, 2026-11-15], mood_swing_report: [2026-11-05]}}")
        #expect(fired(breakup).contains("stressor_with_distress"))
        let before = try assess("{id: B3b, events: {family_change: [2026-11-15], mood_swing_report: [2026-11-05]}}")
        #expect(!fired(before).contains("stressor_with_distress"))
    }

    /// Behaviour 4: two results of one scale on one day were decided by their order in the file.
    @Test func twoResultsOfOneDayGiveTheSameAssessmentInEitherOrder() throws {
        // One answers item 9 (total 1); the other answers 2 to every other item and 0 to item 9 (total 16).
        let mild = Self.phq9("2026-11-10", item9: 1)
        let heavy = Self.phq9("2026-11-10", item9: 0, others: 2)
        let first = try assess("{id: B4, scales: [\(mild), \(heavy)]}")
        let second = try assess("{id: B4, scales: [\(heavy), \(mild)]}")
        #expect(fired(first) == fired(second))
        #expect(first.level == second.level)
        // Combined: the worst answer of each item, [2 × 8, 1], total 17: both the red flag and a severe result.
        #expect(fired(first).contains("scale_self_harm_item") && fired(first).contains("severe_scale"))
        let severe = try #require(first.fired.first { $0.id == "severe_scale" }?.evidence)
        #expect(severe.first?.value == "17")
    }

    /// Behaviour 5: a duplicated same-day night-absence report counted as two nights.
    @Test func aDuplicatedNightAbsenceReportCountsOneNight() throws {
        let duplicated = try assess("{id: B5, events: {night_absence: [2026-11-10, 2026-11-10]}}")
        #expect(!fired(duplicated).contains("night_absence"))
        #expect(duplicated.level.id == "none")
        let twoNights = try assess("{id: B5a, events: {night_absence: [2026-11-10, 2026-11-10, 2026-11-12]}}")
        #expect(fired(twoNights) == ["night_absence"])
        #expect(twoNights.fired.first?.evidence.first?.value == "2")
    }

    /// Behaviour 7: a verification dated after the as-of date counted, though every other later fact is ignored.
    @Test func aVerificationAfterTheAsOfDateIsNotYetKnown() throws {
        let record = "{id: B7, risk_verified_on: 2026-11-25, scales: [\(Self.phq9("2026-11-10", item9: 1))]}"
        let before = try assess(record)
        #expect(fired(before).contains("scale_self_harm_item"), "\(fired(before))")
        let evidence = try #require(before.fired.first { $0.id == "scale_self_harm_item" }?.evidence)
        #expect(evidence.last?.value == "missing")
        // On its day the verification is known.
        let after = try assess(record, asOf: "2026-11-25")
        #expect(!fired(after).contains("scale_self_harm_item"))
        #expect(fired(after).contains("scale_self_harm_earlier"))
    }
}

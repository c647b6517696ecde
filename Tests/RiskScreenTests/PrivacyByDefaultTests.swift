import RiskScreen
import Testing

/// Issue 15 item 3: the library, like the command, gives the least privileged view unless the caller names another.
@Suite struct PrivacyByDefaultTests {
    let rules: RuleSet
    let engine: ScoringEngine
    let records: [StudentRecord]
    let asOf = TestSupport.date("2026-01-10")

    init() throws {
        rules = try TestSupport.loadCampus()
        engine = try ScoringEngine(rules: rules)
        records = try TestSupport.records(
            """
            - {id: R1, dorm: A-101, self_harm_risk: true, events: {family_change: [2026-01-05]}}
            - {id: R2, dorm: A-102, failed_courses: 1, events: {night_absence: [2026-01-04, 2026-01-05]}}
            """, schema: rules.schema)
    }

    /// The ids of the indicators that read sensitive facts.
    var sensitiveIDs: Set<String> { Set(rules.indicators.filter(\.isSensitive).map(\.id)) }

    @Test func anAssessmentWithoutAnAudienceShowsWhatARoleThatSeesNoSensitiveFactsMaySee() throws {
        #expect(sensitiveIDs.contains("suicidal_ideation"))
        let one = engine.assess(records[0], asOf: asOf)
        let batch = engine.assess(records, asOf: asOf)[0]
        for assessment in [one, batch] {
            #expect(assessment.level.id == "crisis")
            #expect(assessment.withheld && assessment.score.isNaN)
            #expect(!assessment.fired.contains { sensitiveIDs.contains($0.id) })
            #expect(!assessment.explanation.contains("suicidal_ideation"))
        }
        // The same as the rule set's least privileged role sees it.
        #expect(
            one.explanation == engine.assess(records[0], asOf: asOf, for: .role(rules.leastPrivilegedRole)).explanation)
    }

    @Test func theFullViewAndARoleThatSeesSensitiveFactsShowTheSensitiveIndicator() throws {
        let counsellor = try #require(rules.role(named: "counsellor"))
        #expect(rules.role(named: "nobody") == nil)
        for audience in [Audience.fullView, .role(counsellor)] {
            let assessment = engine.assess(records, asOf: asOf, for: audience)[0]
            #expect(!assessment.withheld && assessment.fired.map(\.id).contains("suicidal_ideation"), "\(audience)")
        }
        // A view never shows more than the view it was made from.
        #expect(engine.assess(records[0], asOf: asOf).visible(to: .fullView).withheld)
    }

    @Test func cohortScoresWithoutAnAudienceWithholdScoresAndSensitiveIndicators() throws {
        let index = try #require(rules.indicators.firstIndex { $0.id == "suicidal_ideation" })
        let shown = engine.score(records, asOf: asOf)
        let full = engine.score(records, asOf: asOf, for: .fullView)
        #expect(shown.level(0).id == "crisis" && full.level(0).id == "crisis")
        #expect(full.didFire(index, student: 0) && full.firedIndicators(0).contains(index))
        #expect(!shown.didFire(index, student: 0) && !shown.firedIndicators(0).contains(index))
        #expect(!full.score(0).isNaN && full.scoreLevel(0)?.rank != nil)
        #expect(shown.score(0).isNaN && shown.scoreLevel(0)?.rank == nil)
        // What is not sensitive still shows.
        let failed = try #require(rules.indicators.firstIndex { $0.id == "exam_failure" })
        #expect(shown.didFire(failed, student: 1))
    }

    @Test func nearMissesAndTheMonthlyDiffWithoutAnAudienceNameNoSensitiveIndicator() throws {
        let misses = engine.nearMisses(records[1], asOf: asOf)
        #expect(!misses.isEmpty && !misses.contains { sensitiveIDs.contains($0.indicatorID) })
        #expect(
            engine.nearMisses(records[1], asOf: asOf, for: .fullView).contains { sensitiveIDs.contains($0.indicatorID) }
        )
        let changed = try TestSupport.records(
            "[{id: R3, events: {family_change: [2026-01-05], mood_swing_report: [2026-01-06]}}]", schema: rules.schema)
        let month = try AsOfDiff(
            engine: engine, records: records + changed, from: TestSupport.date("2025-12-01"), to: asOf)
        let named = month.students.flatMap { $0.changes.map(\.description) }.joined(separator: "\n")
        #expect(!named.isEmpty && !sensitiveIDs.contains { named.contains($0) })
        let fullMonth = try AsOfDiff(
            engine: engine, records: records + changed, from: TestSupport.date("2025-12-01"), to: asOf, for: .fullView)
        let fullNamed = fullMonth.students.flatMap { $0.changes.map(\.description) }
        #expect(fullNamed.contains { $0.contains("family_change") }, "\(fullNamed) vs \(named)")
    }

    @Test func aReadersErrorShownToTheLeastPrivilegedAudienceQuotesNoSensitiveValue() throws {
        let line =
            #"{"id":"S1","scales":[{"scale":"phq9","date":"2026-11-01","items":[0,0,0,0,0,0,0,0,9]}]}"# + "\n"
        let error = try #require(
            RecordReader.readJSONLines(Array(line.utf8), file: "s.jsonl", schema: rules.schema).rejected.first)
        #expect(error.revealsSensitive && error.description.contains(#"found "9" as answer 9 of phq9"#))
        let shown = error.visible(to: .leastPrivileged)
        #expect(!shown.revealsSensitive && shown.all.allSatisfy { $0.code == .withheld || !$0.revealsSensitive })
        #expect(!shown.description.contains(#"found "9""#) && shown.description.contains("sensitive value"))
        #expect(error.visible(to: .fullView) == error)
    }
}

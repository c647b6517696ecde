import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// What a role that may not see sensitive facts is shown tells it nothing of them: two students who differ only in
/// a sensitive fact, at the same level and both with (or both without) something withheld, look the same to it in
/// every format.
@Suite struct RedactionTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The student changed in one sensitive fact, chosen by `choice`: a sensitive field set otherwise or left out, an
    /// event of a sensitive kind added or all of them removed, or the results of a sensitive scale removed.
    static func twin(of object: [String: Any], choice: Int, schema: Schema, asOf: CivilDate) -> [String: Any] {
        let original = object
        var object = object
        let fields = schema.fields.filter(\.sensitive)
        let events = schema.eventKinds.filter(\.sensitive)
        let scales = schema.scales.filter(\.sensitive)
        let options = fields.count * 2 + events.count * 2 + scales.count
        var pick = choice % options
        if pick < fields.count * 2 {
            let field = fields[pick / 2]
            if pick % 2 == 1 {
                object[field.name] = nil
                return object
            }
            switch field.type {
            case .boolean: object[field.name] = !((object[field.name] as? Bool) ?? false)
            case .enumeration(let values, _):
                let current = values.firstIndex(of: object[field.name] as? String ?? "") ?? -1
                object[field.name] = values[(current + 1 + choice / options % (values.count - 1)) % values.count]
            case .date: object[field.name] = CivilDate(dayNumber: asOf.dayNumber - choice % 200).description
            case .text: object[field.name] = "另一个名字"
            case .integer, .number: object[field.name] = (object[field.name] as? Double ?? 0) + 1
            }
            // A case fact without the fact it needs (a leave's reason without its start) is refused: no twin then.
            let twin = object
            if schema.caseFacts.missingCompanion(given: { twin[schema.fields[$0].name] != nil }) != nil {
                return original
            }
            return object
        }
        pick -= fields.count * 2
        if pick < events.count * 2 {
            let kind = events[pick / 2].name
            var byKind = object["events"] as? [String: Any] ?? [:]
            if pick % 2 == 1 {
                byKind[kind] = nil
            } else {
                byKind[kind] =
                    (byKind[kind] as? [String] ?? []) + [CivilDate(dayNumber: asOf.dayNumber - choice % 40).description]
            }
            object["events"] = byKind
            return object
        }
        pick -= events.count * 2
        let scale = scales[pick].name
        object["scales"] = (object["scales"] as? [[String: Any]] ?? []).filter { $0["scale"] as? String != scale }
        return object
    }

    /// Everything a view shows: its public properties and every format, near misses included.
    static func shown(_ view: Assessment, misses: [NearMiss]) -> String {
        let fired = view.fired.map {
            "\($0.id) \($0.label) \($0.dimension) \($0.points) \($0.basePoints) \($0.multiplier) \($0.evidence)"
        }
        return [
            view.studentID, view.level.id, view.score.isNaN ? "NaN" : "\(view.score)",
            view.scoreLevel?.id ?? "withheld", "\(view.withheld)",
            "\(view.route)", view.response, "\(fired)", "\(view.escalations)", "\(view.caps)",
            "\(view.calendarEffects)",
            AssessmentFormatting.jsonLine(view), AssessmentFormatting.csvRow(view),
            AssessmentFormatting.assessmentTable([view]),
            view.explanation, misses.map(\.description).joined(separator: "\n"),
        ].joined(separator: "\n---\n")
    }

    @Test(arguments: ["2026-09-15", "2026-12-28"])
    func aRoleThatMayNotSeeSensitiveFactsCannotTellTwoStudentsApartByOne(date: String) throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: rules)
        let asOf = TestSupport.date(date)
        let cohort = SyntheticCohort(rules: rules, seed: 29, asOf: asOf)
        let reader = rules.leastPrivilegedRole
        #expect(!reader.seesSensitive)
        var compared = 0
        var differentInFullView = 0
        var bothWithheld = 0
        for index in 0..<800 {
            let line = cohort.jsonLine(index)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let twin = Self.twin(of: object, choice: index, schema: rules.schema, asOf: asOf)
            let twinLine = String(
                decoding: try JSONSerialization.data(withJSONObject: twin, options: [.sortedKeys]), as: UTF8.self)
            let first = try #require(
                RecordReader.readJSONLines(Array((line + "\n").utf8), file: "a.jsonl", schema: rules.schema).records
                    .first)
            let second = try #require(
                RecordReader.readJSONLines(Array((twinLine + "\n").utf8), file: "b.jsonl", schema: rules.schema).records
                    .first)
            let a = engine.assess(first, asOf: asOf, for: .fullView)
            let b = engine.assess(second, asOf: asOf, for: .fullView)
            let viewA = a.visible(to: reader)
            let viewB = b.visible(to: reader)
            guard a.level == b.level, viewA.withheld == viewB.withheld else { continue }
            compared += 1
            if AssessmentFormatting.jsonLine(a) != AssessmentFormatting.jsonLine(b) { differentInFullView += 1 }
            if viewA.withheld { bothWithheld += 1 }
            let summaryA = BatchSummary(
                rules: rules, records: [first], assessments: [a], attentionFrom: 0, for: .role(reader))
            let summaryB = BatchSummary(
                rules: rules, records: [second], assessments: [b], attentionFrom: 0, for: .role(reader))
            let shownA =
                Self.shown(viewA, misses: engine.nearMisses(first, asOf: asOf, for: .role(reader)))
                + AssessmentFormatting.summaryText(summaryA)
            let shownB =
                Self.shown(viewB, misses: engine.nearMisses(second, asOf: asOf, for: .role(reader)))
                + AssessmentFormatting.summaryText(summaryB)
            #expect(shownA == shownB, "student \(a.studentID): \(line)\nvs\n\(twinLine)")
            if shownA != shownB { break }
        }
        // The property means something only if the sensitive change often shows to a role that may see it.
        #expect(compared > 400)
        #expect(differentInFullView > 80)
        #expect(bothWithheld > 300)
    }

    @Test func aCohortRuleTellsARoleThatMayNotSeeSensitiveFactsNothingOfAnotherStudent() throws {
        let rules = try TestSupport.loadCampus()
        let engine = try ScoringEngine(rules: rules)
        let records = try TestSupport.records(
            """
            - {id: R1, dorm: A-101, self_harm_risk: true}
            - {id: R2, dorm: A-101}
            """, schema: rules.schema)
        let raised = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView)[1]
        #expect(raised.level.id == "attention" && raised.escalations.map(\.id) == ["roommate_exposure"])
        let reader = rules.leastPrivilegedRole
        let view = raised.visible(to: reader)
        // The level stays; that a roommate is in crisis does not show, only that something is withheld.
        #expect(view.level.id == "attention" && view.withheld && view.escalations.isEmpty)
        let shown = Self.shown(view, misses: [])
        #expect(!shown.contains("roommate") && !shown.contains("Roommate") && !shown.contains("crisis"))
        #expect(shown.contains(Assessment.withheldLabel.description))
        // A role that may see sensitive facts sees the rule and its reason.
        let counsellor = try #require(rules.role(named: "counsellor"))
        #expect(
            raised.visible(to: counsellor).explanation.contains(
                "cohort rule roommate_exposure: at least attention (applied)"))
    }

    @Test func theAttentionListShowsNoScoreWithheldFromTheRoleNorOrdersByIt() throws {
        let rules = try TestSupport.loadCampus()
        let engine = try ScoringEngine(rules: rules)
        // W1 and W2: attention by a sensitive indicator (family change), with different scores; V1: attention by what
        // everyone may see.
        let records = try TestSupport.records(
            """
            - {id: W2, events: {family_change: [2026-01-02]}}
            - {id: W1, events: {family_change: [2026-01-02], night_absence: [2026-01-02, 2026-01-05]}}
            - {id: V1, events: {night_absence: [2026-01-02, 2026-01-05], mood_swing_report: [2026-01-03]}}
            """, schema: rules.schema)
        let assessments = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView)
        #expect(assessments.map(\.level.id) == ["attention", "attention", "attention"])
        #expect(assessments[0].score != assessments[1].score)
        let summary = BatchSummary(
            rules: rules, records: records, assessments: assessments, for: .role(rules.leastPrivilegedRole))
        // The shown score first; then the withheld ones by id, not by their scores.
        #expect(summary.attention.map(\.studentID) == ["V1", "W1", "W2"])
        #expect(summary.attention.map { $0.score.isNaN } == [false, true, true])
        let text = AssessmentFormatting.summaryText(summary)
        let w2 = try #require(text.split(separator: "\n").first { $0.contains("W2") })
        #expect(w2.split(separator: " ").contains("withheld"))
        // The full view orders by score and shows it.
        #expect(
            BatchSummary(rules: rules, records: records, assessments: assessments, for: .fullView).attention.allSatisfy
            {
                !$0.score.isNaN
            })
    }
}

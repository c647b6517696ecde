import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Change over time (issue 11, point 5): the same records and rules on two as-of dates.
enum AsOfDiffFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let rules = root + "/Rules/campus-default"
    static let from = TestSupport.date("2026-06-01")
    static let to = TestSupport.date("2026-07-01")

    /// A: a mood swing after the earlier date (joins; the psych counsellor's first interview falls due 2026-06-27 and
    /// is newly overdue, a duty every role sees). B: a confirmed focus whose follow-up falls due 2026-06-09
    /// (newly overdue, a duty every role sees). C: a diagnosed student whose half-month contact falls due 2026-06-09
    /// (newly overdue, a duty only roles that see sensitive facts see). D: a self-harm answer after the earlier date
    /// (重点关注 and a same-day interview, by sensitive facts). E: a case closed between the dates (leaves). H: a mood swing that ages out
    /// (moves down, leaves). I: new on the earlier date, confirmed before the later (status new → confirmed).
    static let yaml = """
        students:
          - {id: A, college: 文学院, class_name: 中文1班, enrolled_on: 2024-09-01, events: {mood_swing_report: [2026-06-20]}}
          - {id: B, college: 文学院, class_name: 中文1班, enrolled_on: 2024-09-01, events: {counsellor_contact: [2026-05-25]}, confirmed_level: focus, confirmed_on: 2026-05-20, confirmed_by: grade_counsellor, confirmed_how: interview}
          - {id: C, college: 理学院, class_name: 数学1班, enrolled_on: 2024-09-01, diagnosed: true, events: {counsellor_contact: [2026-05-25]}}
          - {id: D, college: 理学院, class_name: 数学1班, enrolled_on: 2024-09-01, scales: [{scale: phq9, date: 2026-06-10, items: [0, 0, 0, 0, 0, 0, 0, 0, 1]}]}
          - {id: E, college: 理学院, class_name: 数学1班, enrolled_on: 2024-09-01, events: {mood_swing_report: [2026-05-02]}, confirmed_level: attention, confirmed_on: 2026-05-05, confirmed_by: grade_counsellor, confirmed_how: interview, closed_on: 2026-06-15}
          - {id: F, college: 理学院, class_name: 数学2班, enrolled_on: 2024-09-01}
          - {id: H, college: 理学院, class_name: 数学2班, enrolled_on: 2024-09-01, events: {mood_swing_report: [2026-05-25]}}
          - {id: I, college: 理学院, class_name: 数学2班, enrolled_on: 2024-09-01, events: {mood_swing_report: [2026-05-25, 2026-06-25]}, confirmed_level: attention, confirmed_on: 2026-06-28, confirmed_by: grade_counsellor, confirmed_how: interview}
        """

    static func input() throws -> String {
        try TestSupport.directory(["students.yaml": yaml]) + "/students.yaml"
    }
}

@Suite struct AsOfDiffTests {
    let rules: RuleSet
    let engine: ScoringEngine
    let records: [StudentRecord]

    init() throws {
        rules = try RuleSet.load(from: AsOfDiffFixtures.rules)
        engine = try ScoringEngine(rules: rules)
        records = try TestSupport.records(AsOfDiffFixtures.yaml, schema: rules.schema)
    }

    func diff(as role: Role? = nil) throws -> AsOfDiff {
        try AsOfDiff(
            engine: engine, records: records, from: AsOfDiffFixtures.from, to: AsOfDiffFixtures.to,
            for: role.map { .role($0) } ?? .fullView)
    }

    func student(_ id: String, in diff: AsOfDiff) throws -> AsOfDiff.Student {
        try #require(diff.students.first { $0.studentID == id }, "\(id) is not listed")
    }

    @Test func aStudentWhoReachesAttentionJoinsTheListWithTheIndicatorThatDidIt() throws {
        let diff = try diff()
        let a = try student("A", in: diff)
        #expect(a.joined && a.movedUp && !a.left)
        #expect(a.before.level.id == "none" && a.after.level.id == "attention")
        #expect(a.before.status == .none && a.after.status == .new)
        #expect(a.changes.map(\.id) == ["mood_swing", "first_interview"] && a.changes.first?.before == nil)
        #expect(Set(diff.joined.map(\.studentID)) == ["A", "D"])
    }

    @Test func aClosedCaseLeavesTheList() throws {
        let diff = try diff()
        let e = try student("E", in: diff)
        #expect(e.left && !e.joined && e.statusChanged)
        #expect(e.before.status == .reviewLower && e.after.status == .closed)
        #expect(e.before.confirmedLevel?.id == "attention" && e.after.confirmedLevel?.id == nil)
    }

    @Test func aSignalThatAgesOutMovesDownAndLeaves() throws {
        let diff = try diff()
        let h = try student("H", in: diff)
        #expect(h.movedDown && h.left && !h.movedUp)
        #expect(h.before.level.id == "attention" && h.after.level.id == "none")
        #expect(h.changes.contains { $0.kind == .indicator && $0.id == "mood_swing" && $0.after == nil })
        #expect(Set(diff.movedDown.map(\.studentID)) == ["H"])
        #expect(Set(diff.left.map(\.studentID)) == ["E", "H"])
    }

    @Test func aSelfHarmAnswerMovesUpWithItsIndicatorRuleAndDutyForARoleThatSeesThem() throws {
        let counsellor = try #require(rules.role(named: "college_counsellor"))
        let d = try student("D", in: try diff(as: counsellor))
        #expect(d.movedUp && d.joined && d.after.level.id == "focus" && d.after.status == .new)
        #expect(d.changes.contains { $0.kind == .indicator && $0.id == "scale_self_harm_item" })
        #expect(d.changes.contains { $0.kind == .duty && $0.id == "same_day_interview" })
        #expect(!d.changes.contains { $0.kind == .withheld })
    }

    @Test func aConfirmationBetweenTheDatesChangesTheStatusFromNewToConfirmed() throws {
        let i = try student("I", in: try diff())
        #expect(i.statusChanged && !i.joined && !i.left && !i.movedUp && !i.movedDown)
        #expect(i.before.status == .new && i.after.status == .confirmed && i.after.confirmedLevel?.id == "attention")
        #expect(Set(try diff().statusChanged.map(\.studentID)) == ["A", "D", "E", "H", "I"])
    }

    @Test func aDutyThatFellDueBetweenTheDatesIsNewlyOverdue() throws {
        let b = try student("B", in: try diff())
        #expect(b.before.status == .reviewLower && b.after.status == .reviewLower && !b.statusChanged)
        let overdue = try #require(b.newlyOverdue.first)
        #expect(b.newlyOverdue.count == 1)
        #expect(overdue.id == "focus_follow_up" && overdue.role == "grade_counsellor")
        #expect(overdue.due == TestSupport.date("2026-06-09") && overdue.overdueDays == 22)
        // Nobody on the list and unchanged otherwise is listed: F (none on both dates).
        #expect(!(try diff()).students.contains { $0.studentID == "F" })
    }

    @Test func aLeastPrivilegedViewNamesNoSensitiveIndicatorRuleOrDuty() throws {
        let reader = rules.leastPrivilegedRole
        let diff = try diff(as: reader)
        let d = try student("D", in: diff)
        // Level and status are shown as `score` shows them; what made the difference is only "something withheld".
        #expect(d.after.level.id == "focus" && d.joined)
        #expect(d.changes.map(\.kind) == [.withheld])
        #expect(d.changes.first?.before == nil && d.changes.first?.after == 0)
        #expect(d.newlyOverdue.isEmpty)
        // C's only change is a duty read from a sensitive field: the reader's diff does not list C at all, and no
        // count tells of it; a role that sees sensitive facts sees the duty.
        #expect(!diff.students.contains { $0.studentID == "C" })
        #expect(diff.summary.totals.newlyOverdueDuties == 2)  // A's first interview and B's follow-up
        let counsellor = try #require(rules.role(named: "college_counsellor"))
        let full = try self.diff(as: counsellor)
        #expect(try student("C", in: full).newlyOverdue.map(\.id) == ["half_month_contact"])
        #expect(full.summary.totals.newlyOverdueDuties == 4)
        let text =
            diff.moversText(audience: reader.id) + diff.summaryText() + diff.moversJSONLines().joined()
            + diff.moversCSVRows().joined() + diff.summaryJSONLines().joined()
        for name in ["scale_self_harm_item", "scale_red_flag", "same_day_interview", "half_month_contact", "diagnosed"]
        {
            #expect(!text.contains(name), "\(name) shown to \(reader.id)")
        }
        #expect(text.contains("something withheld now applies"))
    }

    @Test func theSummaryCountsLevelsStatusesAndChangesPerCollegeAndClass() throws {
        let summary = try diff().summary
        #expect(summary.groups.map(\.group.college) == ["文学院", "理学院", "理学院"])
        #expect(summary.groups.map(\.group.className) == ["中文1班", "数学1班", "数学2班"])
        let chinese = summary.groups[0]
        #expect(chinese.total == 2 && chinese.joined == 1 && chinese.left == 0 && chinese.newlyOverdueDuties == 2)
        #expect(chinese.levels[1] == 1)  // A at attention
        #expect(chinese.statuses[CaseStatus.allCases.firstIndex(of: .reviewLower) ?? 0] == 1)  // B
        let maths2 = summary.groups[2]
        #expect(maths2.total == 3 && maths2.left == 1 && maths2.movedDown == 1 && maths2.onList == 1)
        #expect(maths2.statuses[CaseStatus.allCases.firstIndex(of: .confirmed) ?? 0] == 1)  // I
        #expect(summary.totals.total == 8)
        #expect(summary.totals.joined == 2 && summary.totals.left == 2 && summary.totals.statusChanged == 5)
        #expect(summary.totals.levels.reduce(0, +) == 8 && summary.totals.statuses.reduce(0, +) == 8)
        let csv = try diff().summaryCSVRows()
        #expect(csv.count == 4 && csv.last?.hasPrefix("2026-06-01,2026-07-01,all,,") == true)
    }

    @Test func datesInTheWrongOrderAreRefused() throws {
        #expect(throws: AsOfDiff.DateOrderError.self) {
            try AsOfDiff(engine: engine, records: records, from: AsOfDiffFixtures.to, to: AsOfDiffFixtures.from)
        }
        #expect(throws: AsOfDiff.DateOrderError.self) {
            try AsOfDiff(engine: engine, records: records, from: AsOfDiffFixtures.to, to: AsOfDiffFixtures.to)
        }
        let later = engine.assess(records, asOf: AsOfDiffFixtures.to, for: .fullView)
        let earlier = engine.assess(records, asOf: AsOfDiffFixtures.from, for: .fullView)
        #expect(throws: AsOfDiff.DateOrderError.self) {
            try AsOfDiff(before: later, after: earlier, levels: rules.levels)
        }
    }
}

@Suite("riskscreen diff between dates")
struct CommandDateDiffTests {
    func run(_ extra: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(["diff", "--rules", AsOfDiffFixtures.rules] + extra + [try AsOfDiffFixtures.input()])
    }

    @Test func tableListsMoversAndTheMonthlySummaryForTheLeastPrivilegedReader() throws {
        let result = try run(["--from", "2026-06-01", "--to", "2026-07-01"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("joined the list (2): A, D"))
        #expect(result.stdout.contains("left the list (2): E, H"))
        #expect(result.stdout.contains("A (文学院 / 中文1班): none → attention; status none → new"))
        #expect(result.stdout.contains("overdue: focus_follow_up (grade_counsellor, due 2026-06-09, 22 days overdue"))
        #expect(result.stdout.contains("Monthly summary: 8 students"))
        #expect(!result.stdout.contains("scale_self_harm_item") && !result.stdout.contains("half_month_contact"))
    }

    @Test func jsonListsMoversAndSummaryLines() throws {
        let directory = try TestSupport.directory([:])
        let result = try run([
            "--from", "2026-06-01", "--to", "2026-07-01", "--format", "json", "--audience", "college_counsellor",
            "--summary", directory + "/summary.jsonl",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 7)  // A, B, C, D, E, H, I
        #expect(lines.contains { $0.hasPrefix("{\"id\":\"C\"") && $0.contains("\"half_month_contact\"") })
        let summary = try String(contentsOfFile: directory + "/summary.jsonl", encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 4)
        #expect(summary.contains("\"college\":\"all\",\"class\":null"))
        #expect(summary.contains("\"joined\":2,\"left\":2"))
    }

    @Test(arguments: [
        (["--from", "2026-07-01", "--to", "2026-06-01"], "--to 2026-06-01 is not after --from 2026-07-01"),
        (["--from", "2026-06-01"], "missing --to"),
        (["--to", "2026-06-01"], "missing --from"),
        (["--from", "2026-06-01", "--to", "2026-07-01", "--as-of", "2026-06-01"], "--as-of with --rules"),
        (["--from", "2026-06-31", "--to", "2026-07-01"], "--from 2026-06-31: expected a date"),
        (["--from", "2026-06-01", "--to", "2026-07-01", "--summary", "/tmp/x"], "already includes the summary"),
    ])
    func badUsageIsRefusedWithExit64(arguments: [String], message: String) throws {
        let result = try run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func theRuleSetFormStillRefusesDateOptions() throws {
        let result = try CommandRunner.run([
            "diff", "--old", AsOfDiffFixtures.rules, "--new", AsOfDiffFixtures.rules, "--as-of", "2026-06-01",
            "--audience", "centre", try AsOfDiffFixtures.input(),
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--audience: expected only when comparing two dates"))
    }
}

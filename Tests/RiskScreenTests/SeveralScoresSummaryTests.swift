import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// With several scores, the batch summary counts each score's levels beside the overall ones, and the as-of diff says
/// who moved on each score — never where the view withholds the score.
@Suite struct SeveralScoresSummaryTests {
    let engine: ScoringEngine
    let counsellor: Role
    let monitor: Role
    let earlier = TestSupport.date("2026-10-01")
    let later = TestSupport.date("2026-11-01")

    init() throws {
        engine = try ScoringEngine(rules: RuleSet.load(from: SeveralScoresTests.rulesPath))
        counsellor = try #require(engine.rules.role(named: "counsellor"))
        monitor = try #require(engine.rules.role(named: "class_monitor"))
    }

    /// A: others attention → focus (overall attention → focus). B: others none → attention under a self focus that
    /// keeps the overall focus. C: others none → attention with a sensitive diary (overall attention → focus by the
    /// escalation). D: the same under a self focus: the overall stays focus. E: nothing.
    static let before = """
        - {id: A, threats: 1}
        - {id: B, self_harm_thoughts: 2}
        - {id: C, diary_self_harm: true}
        - {id: D, diary_self_harm: true, self_harm_thoughts: 1}
        - {id: E}
        """
    static let after = """
        - {id: A, threats: 2}
        - {id: B, self_harm_thoughts: 2, threats: 1}
        - {id: C, diary_self_harm: true, threats: 1}
        - {id: D, diary_self_harm: true, self_harm_thoughts: 1, threats: 1}
        - {id: E}
        """

    func diff(as role: Role?) throws -> AsOfDiff {
        let schema = engine.rules.schema
        return try AsOfDiff(
            before: engine.assess(try TestSupport.records(Self.before, schema: schema), asOf: earlier, for: .fullView),
            after: engine.assess(try TestSupport.records(Self.after, schema: schema), asOf: later, for: .fullView),
            levels: engine.rules.levels, for: role.map { .role($0) } ?? .fullView)
    }

    @Test func theDiffListsWhoMovedOnEachScoreFromWhichLevelToWhich() throws {
        let diff = try diff(as: counsellor)
        #expect(diff.scoreIDs == ["self", "others"])
        #expect(diff.students.map(\.studentID) == ["A", "B", "C", "D"])
        let b = try #require(diff.students.first { $0.studentID == "B" })
        // The overall level did not move: B is listed for its move on others alone.
        #expect(!b.movedUp && !b.movedDown && b.before.level.id == "focus" && b.after.level.id == "focus")
        #expect(b.scoreMoves.map(\.id) == ["others"])
        #expect(b.scoreMoves.first?.movedUp == true)
        #expect(b.scoreMoves.first.map { "\($0.before.levelID) → \($0.after.levelID)" } == "none → attention")
        #expect(AsOfDiff.scoreChanges(b) == ["others 0 none → 2 attention"])
        #expect(b.scoreMoves.map(\.description) == ["others 0 none → 2 attention"])
        let text = diff.moversText(audience: counsellor.id)
        #expect(text.contains("  moved up (2): A, C\n"))
        #expect(text.contains("  moved up on self (0): nobody\n  moved down on self (0): nobody\n"))
        #expect(text.contains("  moved up on others (4): A, B, C, D\n  moved down on others (0): nobody\n"))
        #expect(
            text.contains(
                "  B (— / —): focus → focus; status new → new; confirmed — → —; moved up on others\n"
                    + "      score others 0 none → 2 attention\n"))
        #expect(text.contains("      score others 2 attention → 3 focus\n"))
    }

    @Test func theDiffMovesNoScoreWhereTheViewWithholdsIt() throws {
        let diff = try diff(as: monitor)
        // D's overall level and status did not change and its scores are withheld on both dates: not listed at all.
        // B's later scores are withheld (raised_on_both reads score(self), which counts the sensitive diary): its
        // move on others shows on neither date, and B is not listed either.
        #expect(diff.students.map(\.studentID) == ["A", "C"])
        let c = try #require(diff.students.first { $0.studentID == "C" })
        #expect(c.movedUp && c.scoreMoves.isEmpty && AsOfDiff.scoreChanges(c).isEmpty)
        #expect(c.before.scores.map(\.levelID) == ["withheld", "withheld"])
        let text =
            diff.moversText(audience: monitor.id) + diff.summaryText() + diff.moversJSONLines().joined()
            + diff.moversCSVRows().joined() + diff.summaryJSONLines().joined() + diff.summaryCSVRows().joined()
        #expect(!text.contains("diary"))
        #expect(text.contains("  moved up on others (1): A\n"))
        #expect(text.contains("  C (— / —): attention → focus; status new → new; confirmed — → —; moved up\n"))
        let json = try #require(diff.moversJSONLines().first { $0.hasPrefix("{\"id\":\"C\"") })
        #expect(
            json.contains(
                #""scores":{"self":{"score":null,"level":"withheld"},"others":{"score":null,"level":"withheld"}}}"#))
        #expect(json.contains(#""moved":"up","score_moves":[],"status_changed""#))
        let csv = try #require(diff.moversCSVRows().first { $0.hasPrefix("C,") })
        #expect(csv.contains(",,,withheld,withheld,withheld,withheld,withheld,withheld,withheld,withheld,false,"))
        // The later date's levels by each score: C and D count as withheld, and only A and B moved on others.
        let totals = diff.summary.totals
        #expect(totals.scoreLevels[0] == [2, 0, 0, 0, 0, 3])  // self: A and E none; B, C, D withheld
        #expect(totals.scoreLevels[1] == [1, 0, 1, 0, 0, 3])  // others: E none, A focus
        #expect(totals.scoreMovedUp == [0, 1] && totals.scoreMovedDown == [0, 0])
    }

    @Test func theMonthlySummaryCountsEachScoresLevelsAndMovesInEveryFormat() throws {
        let diff = try diff(as: counsellor)
        let totals = diff.summary.totals
        // self on the later date: A none, B focus, C attention, D focus, E none.
        #expect(totals.scoreLevels[0] == [2, 1, 2, 0, 0, 0])
        // others: A focus, B, C, D attention, E none.
        #expect(totals.scoreLevels[1] == [1, 3, 1, 0, 0, 0])
        #expect(totals.scoreMovedUp == [0, 4])
        let text = diff.summaryText()
        #expect(
            text.contains("Score others: the level its own points give on 2026-11-01, and moves since 2026-10-01\n"))
        #expect(text.contains("COLLEGE  CLASS  none  attention  focus  high  crisis  withheld  UP  DOWN\n"))
        #expect(text.contains("all      —         1          3      1     0       0         0   4     0\n"))
        let json = diff.summaryJSONLines().joined(separator: "\n")
        #expect(
            json.contains(
                #""statuses":{"none":1,"new":4,"confirmed":0,"review_lower":0,"closed":0,"left":0},"scores":{"self":{"levels":{"none":2,"attention":1,"focus":2,"high":0,"crisis":0,"withheld":0},"moved_up":0,"moved_down":0},"others":{"levels":{"none":1,"attention":3,"focus":1,"high":0,"crisis":0,"withheld":0},"moved_up":4,"moved_down":0}},"total":5"#
            ))
        #expect(diff.summaryCSVHeader.contains(",status_left,score_self_level_none,"))
        #expect(
            diff.summaryCSVHeader.contains(
                ",score_others_withheld,score_others_moved_up,score_others_moved_down,total,"))
        #expect(
            diff.moversCSVColumns.contains(
                ",to_confirmed_level,from_score_self,to_score_self,from_score_level_self,to_score_level_self,from_score_others,"
            ))
        let b = try #require(diff.moversCSVRows().first { $0.hasPrefix("B,") })
        #expect(b.contains(",,,4,4,focus,focus,0,2,none,attention,false,false,,false,"))
    }

    @Test func theBatchSummaryCountsEachScoresLevelsBesideTheOverallOnes() throws {
        let records = try TestSupport.records(Self.after, schema: engine.rules.schema)
        let assessments = engine.assess(records, asOf: later, for: .fullView)
        let full = BatchSummary(rules: engine.rules, records: records, assessments: assessments, for: .role(counsellor))
        #expect(full.scores.map(\.id) == ["self", "others"])
        #expect(full.totals == [1, 0, 4, 0, 0])
        #expect(full.scores[0].totals == [2, 1, 2, 0, 0, 0])
        #expect(full.scores[1].totals == [1, 3, 1, 0, 0, 0])
        #expect(full.scores[1].groups == [[1, 3, 1, 0, 0, 0]])
        let text = AssessmentFormatting.summaryText(full)
        #expect(
            text.contains(
                "Score others 伤害他人风险 (Risk to others) by college and class: the level its own points give\n"
                    + "COLLEGE  CLASS  none  attention  focus  high  crisis  withheld  TOTAL\n"
                    + "—        —         1          3      1     0       0         0      5\n"))
        // A role that does not see sensitive facts: B, C and D's scores are withheld (B's by raised_on_both, which reads
        // score(self)), so are their levels by each score; the overall levels are counted as before.
        let view = BatchSummary(rules: engine.rules, records: records, assessments: assessments, for: .role(monitor))
        #expect(view.totals == full.totals)
        #expect(view.scores[0].totals == [2, 0, 0, 0, 0, 3])
        #expect(view.scores[1].totals == [1, 0, 1, 0, 0, 3])
        #expect(
            AssessmentFormatting.summaryText(view).contains(
                "COLLEGE  CLASS  none  attention  focus  high  crisis  withheld  TOTAL\n"
                    + "—        —         1          0      1     0       0         3      5\n"
                    + "all                1          0      1     0       0         3      5"))
    }

    @Test func aRuleSetOfOneScoreHasNoScoreCounts() throws {
        let rules = try TestSupport.loadCampus()
        let records = try TestSupport.records("- {id: A}", schema: rules.schema)
        let engine = try ScoringEngine(rules: rules)
        let summary = BatchSummary(
            rules: rules, records: records, assessments: engine.assess(records, asOf: later, for: .fullView),
            for: .fullView)
        #expect(summary.scores.isEmpty)
        #expect(!AssessmentFormatting.summaryText(summary).contains("Score "))
        let diff = try AsOfDiff(engine: engine, records: records, from: earlier, to: later, for: .fullView)
        #expect(diff.scoreIDs.isEmpty && diff.summary.totals.scoreLevels.isEmpty)
        #expect(diff.moversCSVColumns == AsOfDiff.moversCSVHeader)
        #expect(!diff.summaryJSONLines().joined().contains("\"scores\""))
    }
}

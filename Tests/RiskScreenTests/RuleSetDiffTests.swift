import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// The rule-set diff explains (issue 16, point 1): students who move by level and by score alone, each with what
/// changed — indicator points, a threshold — and a line per cause.
@Suite struct RuleSetDiffTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// campus-default (with its scales) copied to a temporary folder with one parameter line replaced.
    static func changedCopy(_ old: String, _ new: String) throws -> String {
        let folder = try TestSupport.directory([:])
        let manager = FileManager.default
        for name in ["campus-default", "scales"] {
            try manager.copyItem(atPath: root + "/Rules/" + name, toPath: folder + "/" + name)
        }
        let parameters = folder + "/campus-default/parameters.yaml"
        let text = try String(contentsOfFile: parameters, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(toFile: parameters, atomically: true, encoding: .utf8)
        return folder + "/campus-default"
    }

    func diff(_ old: String, _ new: String, _ yaml: String, for audience: Audience = .fullView) throws -> RuleSetDiff {
        let before = try ScoringEngine(rules: try RuleSet.load(from: Self.root + "/Rules/campus-default"))
        let after = try ScoringEngine(rules: try RuleSet.load(from: try Self.changedCopy(old, new)))
        let records = try TestSupport.records(yaml, schema: before.rules.schema)
        return RuleSetDiff(
            old: before, oldRecords: records, new: after, newRecords: records, asOf: TestSupport.date("2026-07-20"),
            for: audience)
    }

    @Test func madeForARoleThatSeesNoSensitiveFactsItNamesNoneAndMovesNoWithheldScore() throws {
        let yaml = """
            - {id: A, seeks_help: true, has_three_friends: true, events: {family_change: [2026-07-01]}}
            - {id: B, events: {family_change: [2026-07-01]}}
            - {id: C, events: {night_absence: [2026-07-01, 2026-07-05]}}
            """
        let shown = try diff("w_family_change: {value: 2,", "w_family_change: {value: 3,", yaml, for: .leastPrivileged)
        // The family change (a sensitive event) is withheld on both sides, and with it A's and B's scores.
        #expect(shown.moves.isEmpty && shown.scoreMoves.isEmpty && shown.causes.isEmpty)
        let raised = try diff("w_night_absence: {value: 2,", "w_night_absence: {value: 3,", yaml, for: .leastPrivileged)
        #expect(raised.scoreMoves.map(\.studentID) == ["C"])
        #expect(!"\(raised.scoreMoves.map(\.changes))".contains("family_change"))
    }

    @Test func aWeightChangeMovesSomeByLevelAndOthersByScoreAloneEachWithItsCause() throws {
        let diff = try diff(
            "w_family_change: {value: 2,", "w_family_change: {value: 3,",
            """
            - {id: A, seeks_help: true, has_three_friends: true, events: {family_change: [2026-07-01]}}
            - {id: B, events: {family_change: [2026-07-01]}}
            - {id: C, events: {night_absence: [2026-07-01, 2026-07-05]}}
            """)
        // A: 2 − 2 − 1 = −1 → 0, none either way; B: 2 → 3, attention either way: both move by score only.
        #expect(diff.moves.isEmpty)
        #expect(diff.scoreMoves.map(\.studentID) == ["A", "B"])
        #expect(
            diff.scoreMoves.map { "\($0.changes)" } == [#"[~ family_change +2 → +3]"#, #"[~ family_change +2 → +3]"#])
        #expect(diff.causes.map(\.cause) == ["~ family_change points"])
        #expect(diff.causes.first.map { [$0.levelMoves, $0.scoreMoves] } == [0, 2])
    }

    @Test func aThresholdThatMovesAStudentIsNamedAsTheCause() throws {
        let diff = try diff(
            "attention_from: {value: 2,", "attention_from: {value: 3,",
            """
            - {id: A, events: {night_absence: [2026-07-01, 2026-07-05]}}
            - {id: B, events: {mood_swing_report: [2026-07-10]}}
            """)
        // A's 2 points gave attention and give none now; B's mood swing keeps attention by its floor.
        #expect(diff.moves.map(\.studentID) == ["A"])
        let move = try #require(diff.moves.first)
        #expect(move.oldLevel == "attention" && move.newLevel == "none" && move.oldScore == move.newScore)
        #expect(move.changes.map(\.description) == ["~ threshold: score 2 gives attention → none"])
        #expect(diff.causes.map(\.cause) == ["threshold: attention → none by score"])
        #expect(diff.scoreMoves.isEmpty)
    }
}

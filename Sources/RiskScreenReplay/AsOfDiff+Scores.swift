internal import RiskScreenRules
public import RiskScreenScoring

extension AsOfDiff {
    /// One of several scores whose level (by its own points, ``/RiskScreenScoring/ScoreOutcome/level``) differs between
    /// the two dates, in a view that shows the score on both: a view that withholds the score on either date moves no
    /// score.
    public struct ScoreMove: Sendable, Hashable, CustomStringConvertible {
        /// The score's id.
        public let id: String
        /// The score and its level on the earlier date.
        public let before: ScoreOutcome
        /// The same on the later date.
        public let after: ScoreOutcome
        /// True when the later level is the higher one.
        public let movedUp: Bool
        /// True when the later level is the lower one.
        public var movedDown: Bool { !movedUp }

        /// `self 2 attention → 4 focus`, as the rule-set diff writes a score that changed.
        public var description: String {
            "\(id) \(AssessmentFormatting.number(before.score)) \(before.levelID) → "
                + "\(AssessmentFormatting.number(after.score)) \(after.levelID)"
        }

        /// The scores whose level differs, in the order of `before`; none when either date withholds the scores.
        static func moves(_ before: [ScoreOutcome], _ after: [ScoreOutcome], levels: [Level]) -> [ScoreMove] {
            guard before.count == after.count, shows(before), shows(after) else { return [] }
            return zip(before, after).compactMap { old, new in
                guard old.id == new.id, old.level != new.level else { return nil }
                let up = (new.level?.rank ?? 0) > (old.level?.rank ?? 0)
                return ScoreMove(id: old.id, before: old, after: new, movedUp: up)
            }
        }

        /// Whether a view shows its scores (it withholds all of them or none).
        static func shows(_ scores: [ScoreOutcome]) -> Bool {
            !scores.contains { $0.score.isNaN && $0.level == nil }
        }

        /// Per score, the column a student counts in: the level's rank, or `levels.count` where the score is withheld.
        static func columns(of scores: [ScoreOutcome], levels: [Level]) -> [Int] {
            scores.map { shows([$0]) ? $0.level?.rank ?? levels.count : levels.count }
        }

        /// Per score id, 1 for a move up, -1 for a move down, 0 for none.
        static func directions(_ moves: [ScoreMove], scoreIDs: [String]) -> [Int] {
            scoreIDs.map { id in moves.first { $0.id == id }.map { $0.movedUp ? 1 : -1 } ?? 0 }
        }
    }

    /// With several scores, each score's changes between the dates where the view shows the scores on both, as the
    /// rule-set diff writes them (``RuleSetDiff/scoreChanges(_:)``): `others 1 none → 2 attention`, a score whose
    /// points changed and level did not too.
    public static func scoreChanges(_ student: Student) -> [String] {
        guard ScoreMove.shows(student.before.scores), ScoreMove.shows(student.after.scores) else { return [] }
        return RuleSetDiff.scoreChanges(old: student.before.scores, new: student.after.scores)
    }
}

// MARK: Formatting several scores

extension AsOfDiff {
    /// `,"scores":{"self":{"score":2,"level":"attention"},…}` as the assessment's JSON writes them (score null where
    /// withheld); empty for a rule set of one score.
    static func scoresJSON(_ scores: [ScoreOutcome]) -> String {
        if scores.isEmpty { return "" }
        let json = AssessmentFormatting.json
        let parts = scores.map { part in
            "\(json(part.id)):{\"score\":\(part.score.isNaN ? "null" : AssessmentFormatting.number(part.score)),"
                + "\"level\":\(json(part.levelID))}"
        }
        return ",\"scores\":{\(parts.joined(separator: ","))}"
    }

    /// `"score_moves":[{"id":"self","from":"attention","to":"focus","moved":"up"}],` with several scores; empty for a
    /// rule set of one score.
    func scoreMovesJSON(_ student: Student) -> String {
        if scoreIDs.isEmpty { return "" }
        let json = AssessmentFormatting.json
        let moves = student.scoreMoves.map { move in
            "{\"id\":\(json(move.id)),\"from\":\(json(move.before.levelID)),\"to\":\(json(move.after.levelID)),"
                + "\"moved\":\(move.movedUp ? "\"up\"" : "\"down\"")}"
        }
        return "\"score_moves\":[\(moves.joined(separator: ","))],"
    }

    /// `"scores":{"self":{"levels":{…,"withheld":0},"moved_up":1,"moved_down":0}},` with several scores; empty for a
    /// rule set of one score.
    func scoreCountsJSON(_ counts: AsOfSummary.Counts) -> String {
        if scoreIDs.isEmpty { return "" }
        let json = AssessmentFormatting.json
        let parts = scoreIDs.indices.map { score in
            let levels = zip(levels.map(\.id) + ["withheld"], counts.scoreLevels[score]).map { "\(json($0)):\($1)" }
            return "\(json(scoreIDs[score])):{\"levels\":{\(levels.joined(separator: ","))},"
                + "\"moved_up\":\(counts.scoreMovedUp[score]),\"moved_down\":\(counts.scoreMovedDown[score])}"
        }
        return "\"scores\":{\(parts.joined(separator: ","))},"
    }

    /// A listed student's CSV cells for several scores: per score, its score on each date, then its level on each
    /// (`withheld` where the view withholds them).
    static func scoreCells(_ student: Student) -> [String] {
        let score = { (part: ScoreOutcome) in part.score.isNaN ? "withheld" : AssessmentFormatting.number(part.score) }
        return zip(student.before.scores, student.after.scores).flatMap { old, new in
            [score(old), score(new), old.levelID, new.levelID]
        }
    }
}

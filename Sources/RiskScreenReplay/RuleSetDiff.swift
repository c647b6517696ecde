public import RiskScreenRecords
public import RiskScreenRules
public import RiskScreenScoring

/// Who moves when the rules change: a level-transition matrix and, for each student who moves, what moved them.
///
/// Compare assessments of the same students under an old and a new rule set; students are paired by id, so the two
/// rule sets may have different schemas (read the input once with each).
///
/// It is the rule tuner's view, for the centre: made for ``/RiskScreenRules/Audience/fullView`` it compares the full
/// assessments, sensitive indicators and rules included; made for another audience it compares what that audience is
/// shown (a score withheld on both sides is no move).
public struct RuleSetDiff: Sendable {
    /// What changed for one indicator or rule between the old and new assessment of a student.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        /// The indicator, escalation or cap; for a threshold, the level the score gives under the new rules.
        public let id: String
        /// `indicator`, `escalation`, `cohort rule`, `cap`, `threshold` (the same score gives another level: a level's
        /// `from` moved) or `level by score` (the same, with several scores: thresholds or `combine:` moved).
        public let kind: String
        /// Points under the old rules (nil when it did not fire or hold; 0 for escalations and caps that held).
        public let oldPoints: Double?
        /// Points under the new rules.
        public let newPoints: Double?

        /// What the old level was by score, for a threshold change.
        public let oldLevel: String?

        /// Creates a change of an indicator, escalation or cap.
        public init(id: String, kind: String, oldPoints: Double?, newPoints: Double?) {
            (self.id, self.kind, self.oldPoints, self.newPoints, oldLevel) = (id, kind, oldPoints, newPoints, nil)
        }

        /// Creates a threshold change: a score of `score` gives `oldLevel` under the old rules and `newLevel` under the
        /// new; `combined` when either rule set has several scores (then the thresholds or `combine:` moved it).
        public init(threshold score: Double, oldLevel: String, newLevel: String, combined: Bool = false) {
            (id, oldPoints, newPoints, self.oldLevel) = (newLevel, score, score, oldLevel)
            kind = combined ? "level by score" : "threshold"
        }

        /// The cause as the summary counts it: `family_change (points)`, `escalation peer_floor now applies`,
        /// `threshold (attention → none)`.
        public var cause: String {
            switch kind {
            case "indicator":
                return oldPoints == nil ? "+ \(id)" : newPoints == nil ? "− \(id)" : "~ \(id) points"
            case "threshold", "level by score": return "\(kind): \(oldLevel ?? "?") → \(id) by score"
            default: return description
            }
        }

        /// `+ id 0 → 3`, `- id 2 → not fired`, `~ id 1 → 2`, `~ threshold: score 2 gives attention → none`.
        public var description: String {
            let show = { (points: Double?) in points.map { AssessmentFormatting.signed($0) } ?? "—" }
            if kind == "threshold" || kind == "level by score" {
                return
                    "~ \(kind): score \(AssessmentFormatting.number(oldPoints ?? 0)) gives \(oldLevel ?? "?") → \(id)"
            }
            if kind != "indicator" {
                return
                    "\(newPoints == nil ? "−" : "+") \(kind) \(id) \(newPoints == nil ? "no longer applies" : "now applies")"
            }
            let mark = oldPoints == nil ? "+" : newPoints == nil ? "−" : "~"
            return "\(mark) \(id) \(show(oldPoints)) → \(show(newPoints))"
        }
    }

    /// One student whose level differs.
    public struct Move: Sendable, Hashable {
        /// The student's id.
        public let studentID: String
        /// Level under the old rules.
        public let oldLevel: String
        /// Level under the new rules.
        public let newLevel: String
        /// Score under the old rules.
        public let oldScore: Double
        /// Score under the new rules.
        public let newScore: Double
        /// With several scores: each score and the level it gives under the old rules (empty for a rule set of one
        /// score).
        public let oldScores: [ScoreOutcome]
        /// The same under the new rules.
        public let newScores: [ScoreOutcome]
        /// The indicators that fired in one and not the other or whose points changed, then escalations and caps
        /// that changed the level in one and not the other.
        public let changes: [Change]
    }

    /// The scores of a move whose score or level changed, named in either rule set:
    /// `others 1 none → 2 attention` (`—` for a score one of them does not have).
    public static func scoreChanges(_ move: Move) -> [String] {
        scoreChanges(old: move.oldScores, new: move.newScores)
    }

    /// The scores that differ between two lists of them, by id: `others 1 none → 2 attention`.
    static func scoreChanges(old oldScores: [ScoreOutcome], new newScores: [ScoreOutcome]) -> [String] {
        let format = { (part: ScoreOutcome?) in
            part.map { "\(AssessmentFormatting.number($0.score)) \($0.levelID)" } ?? "—"
        }
        var ids = oldScores.map(\.id)
        for part in newScores where !ids.contains(part.id) { ids.append(part.id) }
        return ids.compactMap { id -> String? in
            let old = oldScores.first { $0.id == id }
            let new = newScores.first { $0.id == id }
            if let old, let new, old.score == new.score, old.levelID == new.levelID { return nil }
            return "\(id) \(format(old)) → \(format(new))"
        }
    }

    /// Level ids of the old rule set (matrix rows).
    public let oldLevels: [String]
    /// Level ids of the new rule set (matrix columns).
    public let newLevels: [String]
    /// `matrix[old][new]`: students at each old level and new level.
    public let matrix: [[Int]]
    /// Students whose level changed, in input order.
    public let moves: [Move]
    /// Students whose level stayed but whose score (or, with several scores, a score's level) changed, in input order.
    public let scoreMoves: [Move]

    /// Each cause (``Change/cause``) with how many students it moved, by level and by score only, most first (ties
    /// by cause).
    public var causes: [(cause: String, levelMoves: Int, scoreMoves: Int)] {
        var counts: [String: (Int, Int)] = [:]
        for move in moves { for cause in Set(move.changes.map(\.cause)) { counts[cause, default: (0, 0)].0 += 1 } }
        for move in scoreMoves {
            for cause in Set(move.changes.map(\.cause)) { counts[cause, default: (0, 0)].1 += 1 }
        }
        return counts.map { (cause: $0.key, levelMoves: $0.value.0, scoreMoves: $0.value.1) }.sorted {
            ($0.levelMoves + $0.scoreMoves, $1.cause) > ($1.levelMoves + $1.scoreMoves, $0.cause)
        }
    }
    /// Ids assessed under only one of the two rule sets (their record was rejected under the other's schema).
    public let unpaired: [String]

    /// Compares assessments of the same students; `old` decides the order.
    public init(old: [Assessment], new: [Assessment], oldLevels: [String], newLevels: [String]) {
        self.oldLevels = oldLevels
        self.newLevels = newLevels
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: newLevels.count), count: oldLevels.count)
        var byID: [String: Int] = [:]
        for (index, assessment) in new.enumerated() where byID[assessment.studentID] == nil {
            byID[assessment.studentID] = index
        }
        var paired = Set<Int>()
        var moves: [Move] = []
        var scoreMoves: [Move] = []
        var unpaired: [String] = []
        for before in old {
            guard let index = byID[before.studentID] else {
                unpaired.append(before.studentID)
                continue
            }
            paired.insert(index)
            let after = new[index]
            if before.levelRank < oldLevels.count, after.levelRank < newLevels.count {
                matrix[before.levelRank][after.levelRank] += 1
            }
            let levelMoved = before.levelID != after.levelID
            if levelMoved || !Self.sameScore(before.score, after.score)
                || !Self.scoreChanges(old: before.scores, new: after.scores).isEmpty
            {
                let move = Move(
                    studentID: before.studentID, oldLevel: before.levelID, newLevel: after.levelID,
                    oldScore: before.score,
                    newScore: after.score, oldScores: before.scores, newScores: after.scores,
                    changes: Self.changes(before, after))
                if levelMoved { moves.append(move) } else { scoreMoves.append(move) }
            }
        }
        for (index, assessment) in new.enumerated() where !paired.contains(index) {
            unpaired.append(assessment.studentID)
        }
        self.matrix = matrix
        self.moves = moves
        self.scoreMoves = scoreMoves
        self.unpaired = unpaired
    }

    /// Scores the same students under two rule sets and compares them as `audience` is shown them (say
    /// ``/RiskScreenRules/Audience/fullView`` for the whole of both).
    public init(
        old: ScoringEngine, oldRecords: [StudentRecord], new: ScoringEngine, newRecords: [StudentRecord],
        asOf: CivilDate, for audience: Audience
    ) {
        self.init(
            old: old.assessInFull(oldRecords, asOf: asOf).map { $0.visible(to: audience) },
            new: new.assessInFull(newRecords, asOf: asOf).map { $0.visible(to: audience) },
            oldLevels: old.rules.levels.map(\.id),
            newLevels: new.rules.levels.map(\.id))
    }

    /// Two scores as the same sum: equal to nine decimals (a sum taken in another order may differ in its last bit).
    /// Two withheld scores (NaN) count as the same: a view that withholds both tells nothing of their difference.
    static func sameScore(_ a: Double, _ b: Double) -> Bool { (a.isNaN && b.isNaN) || abs(a - b) < 1e-9 }

    static func changes(_ before: Assessment, _ after: Assessment) -> [Change] {
        var changes: [Change] = []
        let oldPoints = Dictionary(before.fired.map { ($0.id, $0.points) }, uniquingKeysWith: { a, _ in a })
        let newPoints = Dictionary(after.fired.map { ($0.id, $0.points) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for id in before.fired.map(\.id) + after.fired.map(\.id) where seen.insert(id).inserted {
            let a = oldPoints[id]
            let b = newPoints[id]
            if a != b { changes.append(Change(id: id, kind: "indicator", oldPoints: a, newPoints: b)) }
        }
        // Escalations, cohort rules (listed among the escalations) and caps, each named by its own kind.
        let name = { (rule: AppliedRule) in rule.kind == .cohort ? "cohort rule" : rule.kind.rawValue }
        for (oldRules, newRules) in [(before.escalations, after.escalations), (before.caps, after.caps)] {
            let key = { (rule: AppliedRule) in "\(rule.kind.rawValue) \(rule.id)" }
            let oldApplied = Set(oldRules.filter { $0.changedLevel == true }.map(key))
            let newApplied = Set(newRules.filter { $0.changedLevel == true }.map(key))
            for rule in oldRules where oldApplied.contains(key(rule)) && !newApplied.contains(key(rule)) {
                changes.append(Change(id: rule.id, kind: name(rule), oldPoints: 0, newPoints: nil))
            }
            for rule in newRules where newApplied.contains(key(rule)) && !oldApplied.contains(key(rule)) {
                changes.append(Change(id: rule.id, kind: name(rule), oldPoints: nil, newPoints: 0))
            }
        }
        // The same score giving another level: a threshold moved. With several scores the level by score is the
        // scores' levels combined, so a move of an indicator between scores or a new combine: table does it too.
        if sameScore(before.score, after.score), before.scoreLevel != after.scoreLevel {
            changes.append(
                Change(
                    threshold: before.score, oldLevel: before.scoreLevelID,
                    newLevel: after.scoreLevelID,
                    combined: !before.scores.isEmpty || !after.scores.isEmpty))
        }
        return changes
    }
}

public import RiskScreenRecords
public import RiskScreenRules
public import RiskScreenScoring

/// Who moves when the rules change: a level-transition matrix and, for each student who moves, what moved them.
///
/// Compare assessments of the same students under an old and a new rule set; students are paired by id, so the two
/// rule sets may have different schemas (read the input once with each).
public struct RuleSetDiff: Sendable {
    /// What changed for one indicator or rule between the old and new assessment of a student.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        /// The indicator, escalation or cap.
        public let id: String
        /// `indicator`, `escalation` or `cap`.
        public let kind: String
        /// Points under the old rules (nil when it did not fire or hold; 0 for escalations and caps that held).
        public let oldPoints: Double?
        /// Points under the new rules.
        public let newPoints: Double?

        /// `+ id 0 → 3`, `- id 2 → not fired`, `~ id 1 → 2`.
        public var description: String {
            let show = { (points: Double?) in points.map { AssessmentFormatting.signed($0) } ?? "—" }
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
            part.map { "\(AssessmentFormatting.number($0.score)) \($0.level)" } ?? "—"
        }
        var ids = oldScores.map(\.id)
        for part in newScores where !ids.contains(part.id) { ids.append(part.id) }
        return ids.compactMap { id -> String? in
            let old = oldScores.first { $0.id == id }
            let new = newScores.first { $0.id == id }
            if let old, let new, old.score == new.score, old.level == new.level { return nil }
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
            if before.level != after.level {
                moves.append(
                    Move(
                        studentID: before.studentID, oldLevel: before.level, newLevel: after.level,
                        oldScore: before.score,
                        newScore: after.score, oldScores: before.scores, newScores: after.scores,
                        changes: Self.changes(before, after)))
            }
        }
        for (index, assessment) in new.enumerated() where !paired.contains(index) {
            unpaired.append(assessment.studentID)
        }
        self.matrix = matrix
        self.moves = moves
        self.unpaired = unpaired
    }

    /// Scores the same students under two rule sets and compares them.
    public init(
        old: ScoringEngine, oldRecords: [StudentRecord], new: ScoringEngine, newRecords: [StudentRecord],
        asOf: CivilDate
    ) {
        self.init(
            old: old.assess(oldRecords, asOf: asOf), new: new.assess(newRecords, asOf: asOf),
            oldLevels: old.rules.levels.map(\.id),
            newLevels: new.rules.levels.map(\.id))
    }

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
        for (kind, oldRules, newRules) in [
            ("escalation", before.escalations, after.escalations), ("cap", before.caps, after.caps),
        ] {
            let oldApplied = Set(oldRules.filter { $0.changedLevel == true }.map(\.id))
            let newApplied = Set(newRules.filter { $0.changedLevel == true }.map(\.id))
            for rule in oldRules where oldApplied.contains(rule.id) && !newApplied.contains(rule.id) {
                changes.append(Change(id: rule.id, kind: kind, oldPoints: 0, newPoints: nil))
            }
            for rule in newRules where newApplied.contains(rule.id) && !oldApplied.contains(rule.id) {
                changes.append(Change(id: rule.id, kind: kind, oldPoints: nil, newPoints: 0))
            }
        }
        return changes
    }
}

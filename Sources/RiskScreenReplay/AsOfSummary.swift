public import RiskScreenRules
public import RiskScreenScoring

/// The monthly summary (000 一月一汇总; 001's monthly bulletin): per college and class, counts per level and per status
/// on the later date, who joined or left the list and moved since the earlier date, and the duties overdue.
///
/// Built by ``AsOfDiff`` from the assessments as the role sees them: duties a view leaves out are not counted.
public struct AsOfSummary: Sendable {
    /// The counts of one college and class, or of all of them.
    public struct Counts: Sendable, Hashable {
        /// The college and class; college `all` and class `—` for the totals.
        public let group: CollegeClass
        /// Students at each level on the later date, indexed like ``AsOfSummary/levels``.
        public internal(set) var levels: [Int]
        /// Students at each status on the later date, indexed like ``AsOfSummary/statuses``.
        public internal(set) var statuses: [Int]
        /// On the list on the later date.
        public internal(set) var onList = 0
        /// Joined the list since the earlier date.
        public internal(set) var joined = 0
        /// Left the list since the earlier date.
        public internal(set) var left = 0
        /// Moved to a higher screening level.
        public internal(set) var movedUp = 0
        /// Moved to a lower screening level.
        public internal(set) var movedDown = 0
        /// Changed status.
        public internal(set) var statusChanged = 0
        /// Duties overdue on the later date.
        public internal(set) var overdueDuties = 0
        /// Of them, those not overdue on the earlier date.
        public internal(set) var newlyOverdueDuties = 0
        /// With several scores, per score (indexed like ``AsOfSummary/scoreIDs``): students at each level its own
        /// points give on the later date (indexed like ``AsOfSummary/levels``), then those whose score the view
        /// withholds.
        public internal(set) var scoreLevels: [[Int]]
        /// Per score, students whose level on it rose (``AsOfDiff/ScoreMove``).
        public internal(set) var scoreMovedUp: [Int]
        /// Per score, students whose level on it fell.
        public internal(set) var scoreMovedDown: [Int]
        /// Students of the group.
        public var total: Int { levels.reduce(0, +) }

        init(group: CollegeClass, levels: Int, scores: Int) {
            self.group = group
            self.levels = [Int](repeating: 0, count: levels)
            statuses = [Int](repeating: 0, count: CaseStatus.allCases.count)
            scoreLevels = [[Int]](repeating: [Int](repeating: 0, count: levels + 1), count: scores)
            scoreMovedUp = [Int](repeating: 0, count: scores)
            scoreMovedDown = scoreMovedUp
        }

        mutating func add(_ row: Row) {
            if levels.indices.contains(row.levelRank) { levels[row.levelRank] += 1 }
            if let status = CaseStatus.allCases.firstIndex(of: row.status) { statuses[status] += 1 }
            onList += row.onList ? 1 : 0
            joined += row.joined ? 1 : 0
            left += row.left ? 1 : 0
            movedUp += row.movedUp ? 1 : 0
            movedDown += row.movedDown ? 1 : 0
            statusChanged += row.statusChanged ? 1 : 0
            overdueDuties += row.overdue
            newlyOverdueDuties += row.newlyOverdue
            for score in scoreLevels.indices {
                if row.scoreColumns.indices.contains(score),
                    scoreLevels[score].indices.contains(row.scoreColumns[score])
                {
                    scoreLevels[score][row.scoreColumns[score]] += 1
                }
                if row.scoreMoves.indices.contains(score) {
                    scoreMovedUp[score] += row.scoreMoves[score] > 0 ? 1 : 0
                    scoreMovedDown[score] += row.scoreMoves[score] < 0 ? 1 : 0
                }
            }
        }
    }

    /// One student's part in the counts.
    struct Row {
        var group: CollegeClass
        var levelRank: Int
        var status: CaseStatus
        var onList: Bool
        var joined: Bool
        var left: Bool
        var movedUp: Bool
        var movedDown: Bool
        var statusChanged: Bool
        var overdue: Int
        var newlyOverdue: Int
        /// Per score, the level's rank on the later date, or the level count where the score is withheld.
        var scoreColumns: [Int]
        /// Per score, 1 for a move up, -1 down, 0 none.
        var scoreMoves: [Int]
    }

    /// The earlier date.
    public let from: CivilDate
    /// The later date.
    public let to: CivilDate
    /// Level ids, lowest first.
    public let levels: [Level]
    /// The levels' ids, lowest first.
    package var levelIDs: [String] { levels.map(\.id) }
    /// With several scores, their ids as declared; empty for a rule set of one score.
    public let scoreIDs: [String]
    /// The statuses counted, in ``/RiskScreenScoring/CaseStatus`` order.
    public let statuses: [CaseStatus] = CaseStatus.allCases
    /// Per college and class, sorted by college, then class (``CollegeClass``).
    public let groups: [Counts]
    /// All students.
    public let totals: Counts

    init(from: CivilDate, to: CivilDate, levels: [Level], scoreIDs: [String], rows: [Row]) {
        self.from = from
        self.to = to
        self.levels = levels
        self.scoreIDs = scoreIDs
        var index: [CollegeClass: Int] = [:]
        var groups: [Counts] = []
        var totals = Counts(
            group: CollegeClass(college: "all", className: "—"), levels: levels.count, scores: scoreIDs.count)
        for row in rows {
            let position: Int
            if let found = index[row.group] {
                position = found
            } else {
                position = groups.count
                index[row.group] = position
                groups.append(Counts(group: row.group, levels: levels.count, scores: scoreIDs.count))
            }
            groups[position].add(row)
            totals.add(row)
        }
        self.groups = groups.sorted { $0.group < $1.group }
        self.totals = totals
    }
}

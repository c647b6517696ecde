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
        /// Students of the group.
        public var total: Int { levels.reduce(0, +) }

        init(group: CollegeClass, levels: Int) {
            self.group = group
            self.levels = [Int](repeating: 0, count: levels)
            statuses = [Int](repeating: 0, count: CaseStatus.allCases.count)
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
    }

    /// The earlier date.
    public let from: CivilDate
    /// The later date.
    public let to: CivilDate
    /// Level ids, lowest first.
    public let levels: [String]
    /// The statuses counted, in ``CaseStatus`` order.
    public let statuses: [CaseStatus] = CaseStatus.allCases
    /// Per college and class, sorted by college, then class (``CollegeClass``).
    public let groups: [Counts]
    /// All students.
    public let totals: Counts

    init(from: CivilDate, to: CivilDate, levels: [String], rows: [Row]) {
        self.from = from
        self.to = to
        self.levels = levels
        var index: [CollegeClass: Int] = [:]
        var groups: [Counts] = []
        var totals = Counts(group: CollegeClass(college: "all", className: "—"), levels: levels.count)
        for row in rows {
            let position: Int
            if let found = index[row.group] {
                position = found
            } else {
                position = groups.count
                index[row.group] = position
                groups.append(Counts(group: row.group, levels: levels.count))
            }
            groups[position].add(row)
            totals.add(row)
        }
        self.groups = groups.sorted { $0.group < $1.group }
        self.totals = totals
    }
}

internal import RiskScreen

/// Counts per level for one grouping (by college, or by college and class): a chart and the same numbers in a table,
/// with a row for all students.
struct ReportCounts: Sendable {
    /// One row of the table.
    struct Row: Sendable {
        /// The group's name cells (college; or college and class).
        let nameCells: [String]
        /// Students at each level, lowest first.
        let countCells: [String]
        /// All students of the group.
        let rowTotal: String
        /// True for the row of all students.
        let isTotal: Bool
    }

    /// The headings of the name columns.
    let nameHeadings: [String]
    /// The headings of the count columns: the levels, lowest first.
    let levelHeadings: [ReportPage.LevelHeading]
    /// The groups, then all students.
    let rows: [Row]
    /// The same counts as a chart (without the row of all students).
    let chart: ReportChart

    /// The table and chart of `groups` (each its name cells and counts per level), with `totals` as the last row.
    init(
        nameHeadings: [String], groups: [(names: [String], counts: [Int])], totals: [Int], what: String,
        levels: [ReportPage.LevelHeading]
    ) {
        self.nameHeadings = nameHeadings
        levelHeadings = levels
        let all = Row(
            nameCells: ["all"] + Array(repeating: "", count: nameHeadings.count - 1),
            countCells: totals.map(String.init), rowTotal: String(totals.reduce(0, +)), isTotal: true)
        rows =
            groups.map { group in
                Row(
                    nameCells: group.names.map(shown), countCells: group.counts.map(String.init),
                    rowTotal: String(group.counts.reduce(0, +)), isTotal: false)
            } + [all]
        chart = ReportChart(
            label: what,
            groups: groups.map { (name: shown($0.names.joined(separator: " / ")), counts: $0.counts) }, levels: levels)
    }

    /// Counts per level by college, colleges in the summary's order.
    static func byCollege(_ summary: BatchSummary, levels: [ReportPage.LevelHeading]) -> ReportCounts {
        var names: [String] = []
        var counts: [[Int]] = []
        // The summary's groups are sorted by college, then class: a college's classes are neighbours.
        for group in summary.groups {
            if names.last == group.college {
                counts[counts.count - 1] = zip(counts[counts.count - 1], group.counts).map(+)
            } else {
                names.append(group.college)
                counts.append(group.counts)
            }
        }
        return ReportCounts(
            nameHeadings: ["College"], groups: zip(names, counts).map { (names: [$0], counts: $1) },
            totals: summary.totals, what: "Students per level by college", levels: levels)
    }

    /// Counts per level by college and class, in the summary's order.
    static func byClass(_ summary: BatchSummary, levels: [ReportPage.LevelHeading]) -> ReportCounts {
        ReportCounts(
            nameHeadings: ["College", "Class"],
            groups: summary.groups.map { (names: [$0.college, $0.className], counts: $0.counts) },
            totals: summary.totals, what: "Students per level by college and class", levels: levels)
    }
}

internal import RiskScreen

/// A stacked horizontal bar chart as inline SVG: one bar per group, a segment per level, lowest level first, each
/// bar as long as the group is large (the longest bar fills the width) and followed by its total.
///
/// Colour only helps: every number is also in the table beside the chart, and each segment has a `<title>` with
/// its level and count.
struct ReportChart: Sendable {
    /// One bar.
    struct Bar: Sendable {
        /// The group's name, shortened to fit the label column (the table has it whole).
        let barLabel: String
        /// The baseline of the label and the total.
        let textY: String
        /// Where the label ends (it is right-aligned), left of the bar.
        let labelX: String
        /// Where the total is written.
        let totalX: String
        /// The group's total.
        let barTotal: String
        /// The segments, lowest level first; levels with no student are left out.
        let segments: [Segment]
    }

    /// One level's part of a bar.
    struct Segment: Sendable {
        /// Its left edge.
        let segmentX: String
        /// Its top edge (the bar's).
        let segmentY: String
        /// Its height (the bar's).
        let segmentHeight: String
        /// Its width.
        let segmentWidth: String
        /// Its fill.
        let segmentColour: String
        /// `LEVEL: N students`, shown on hover and read by screen readers.
        let segmentTitle: String
    }

    /// The drawing's width.
    let chartWidth: String
    /// The drawing's height.
    let chartHeight: String
    /// What the chart shows, for screen readers.
    let chartLabel: String
    /// The bars, in the table's order.
    let bars: [Bar]

    /// The width of the label column, left of the bars.
    static let labelWidth = 250.0
    /// The width the longest bar fills.
    static let barArea = 640.0
    /// The distance from one bar to the next.
    static let rowHeight = 22.0
    /// The height of a bar.
    static let barHeight = 16.0
    /// The longest label, in terminal columns (a Chinese character counts two).
    static let labelColumns = 34

    /// A chart of `groups` (each a name and its counts per level), coloured as `levels`.
    init(label: String, groups: [(name: String, counts: [Int])], levels: [ReportPage.LevelHeading]) {
        let largest = max(1, groups.map { $0.counts.reduce(0, +) }.max() ?? 1)
        let scale = Self.barArea / Double(largest)
        chartWidth = Self.format(Self.labelWidth + Self.barArea + 70)
        chartHeight = Self.format(Double(groups.count) * Self.rowHeight + 6)
        chartLabel = label
        bars = groups.enumerated().map { row, group in
            let top = Double(row) * Self.rowHeight + 4
            var x = Self.labelWidth
            var segments: [Segment] = []
            for (rank, count) in group.counts.enumerated() where count > 0 {
                let width = Double(count) * scale
                let level = levels.indices.contains(rank) ? levels[rank] : nil
                segments.append(
                    Segment(
                        segmentX: Self.format(x), segmentY: Self.format(top),
                        segmentHeight: Self.format(Self.barHeight),
                        segmentWidth: Self.format(width),
                        segmentColour: level?.colour ?? "#888888",
                        segmentTitle: "\(level.map { "\($0.zh) \($0.en)" } ?? String(rank)): \(count)"))
                x += width
            }
            return Bar(
                barLabel: Self.shortened(group.name), textY: Self.format(top + Self.barHeight - 3),
                labelX: Self.format(Self.labelWidth - 6), totalX: Self.format(x + 6),
                barTotal: String(group.counts.reduce(0, +)),
                segments: segments)
        }
    }

    /// A coordinate with at most two decimals.
    static func format(_ value: Double) -> String { AssessmentFormatting.number(value) }

    /// `name` cut to ``labelColumns`` terminal columns, with `…` when cut.
    static func shortened(_ name: String) -> String {
        if AssessmentFormatting.displayWidth(name) <= labelColumns { return name }
        var kept = ""
        var width = 0
        for character in name {
            let next = AssessmentFormatting.displayWidth(String(character))
            if width + next > labelColumns - 1 { break }
            kept.append(character)
            width += next
        }
        return kept + "…"
    }

    /// A level's colour: grey for the lowest, then yellow, orange, red and dark red towards the highest.
    static func colour(rank: Int, of count: Int) -> String {
        let warm = ["#f2c94c", "#f2994a", "#e0473e", "#8e1b1b"]
        if rank <= 0 { return "#cfd4da" }
        let position = count > 2 ? Double(rank - 1) / Double(count - 2) : 1
        return warm[min(warm.count - 1, max(0, Int((position * Double(warm.count - 1)).rounded())))]
    }
}

/// What the report's template shows, as texts ready to be escaped: the template reads these fields by name.
///
/// Every field is a `String`, a `Bool`, an optional (absent means the part is left out) or an array of such values;
/// numbers are formatted here, so the template decides nothing. Field names are unique across the nested types and
/// the template reads nested fields as `{{.name}}`, so a field missing from an item can never be filled in from an
/// enclosing one (Mustache would otherwise look the name up in the enclosing contexts).
struct ReportPage: Sendable {
    /// A level, as headings and legends show it.
    struct LevelHeading: Sendable {
        /// The level's id.
        let id: String
        /// Its Chinese label.
        let zh: String
        /// Its English label.
        let en: String
        /// Its colour in the charts.
        let colour: String
    }

    /// The page's title.
    let title: String
    /// The rule set's id.
    let ruleSetID: String
    /// The rule set's name.
    let ruleSetName: String
    /// The date scored.
    let asOf: String
    /// The earlier date the movers are counted from; nil without one.
    let previous: String?
    /// The audience's role id.
    let audienceID: String
    /// Its Chinese label.
    let audienceZh: String
    /// Its English label.
    let audienceEn: String
    /// True when no role was chosen: the least privileged view.
    let leastPrivileged: Bool
    /// True when the audience sees sensitive facts.
    let seesSensitive: Bool
    /// The roles that see sensitive facts, nil when the rule set has none.
    let sensitiveRoles: String?
    /// Students scored.
    let scored: String
    /// Records rejected.
    let rejected: String
    /// Students at `attention` or above.
    let attentionCount: String
    /// The rule set's notice: a screening result, not a diagnosis.
    let notice: String
    /// The levels, lowest first.
    let levels: [LevelHeading]
    /// Counts per level by college.
    let byCollege: ReportCounts
    /// Counts per level by college and class.
    let byClass: ReportCounts
    /// The movers since ``previous``; nil without an earlier date.
    let movers: ReportMovers?
    /// The attention list, most urgent first.
    let attention: [ReportStudent.Row]
    /// A section per student of the attention list, in its order.
    let students: [ReportStudent.Section]
}

/// A run of the attention list's rows or of the students' sections, rendered on its own (``ReportTemplate``).
struct ReportChunk<Item: Sendable>: Sendable {
    /// The rows or sections.
    let items: [Item]

    /// `all` in runs of `size` (none for none).
    static func runs(of all: [Item], size: Int) -> [ReportChunk] {
        stride(from: 0, to: all.count, by: size).map { ReportChunk(items: Array(all[$0..<min(all.count, $0 + size)])) }
    }
}

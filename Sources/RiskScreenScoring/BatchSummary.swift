public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenSupport

/// What a batch comes to: counts per level by college and class, and the attention list, most urgent first.
///
/// Build one from the records scored and their assessments (same order, as
/// ``ScoringEngine/assess(_:asOf:for:threads:)`` returns them). Groups and the attention list are in a fixed order that
/// depends on no locale.
public struct BatchSummary: Sendable {
    /// Counts of one college and class.
    public struct GroupCounts: Sendable, Hashable {
        /// The college, or ``BatchSummary/missing`` when the record has none.
        public let college: String
        /// The class, or ``BatchSummary/missing``.
        public let className: String
        /// Students at each level, indexed like ``BatchSummary/levels``.
        public let counts: [Int]
        /// All students of the group.
        public var total: Int { counts.reduce(0, +) }
    }

    /// One student on the attention list.
    public struct AttentionEntry: Sendable, Hashable {
        /// The position of the assessment in the batch.
        public let index: Int
        /// The student's id.
        public let studentID: String
        /// The final level.
        public var level: Level { levels[levelRank] }
        /// The final level's rank.
        package let levelRank: Int
        /// The rule set's levels, shared by every entry (a level is a large value: an entry keeps its rank only).
        let levels: [Level]
        /// The score; NaN when it is withheld from the role the summary is for (``Assessment/withheld``).
        public let score: Double
        /// The college, or ``BatchSummary/missing``.
        public let college: String
        /// The class, or ``BatchSummary/missing``.
        public let className: String
        /// The main reason for the level, as the role the summary is for may see it (``Assessment/mainReason``).
        public let reason: String
        /// The roles that must act, given the status, as the role the summary is for may see them
        /// (``Assessment/route``).
        public let route: [String]

        /// Whether two entries list the same student the same way (two withheld scores, NaN, are the same).
        public static func == (a: AttentionEntry, b: AttentionEntry) -> Bool {
            a.index == b.index && a.studentID == b.studentID && a.level == b.level
                && (a.score == b.score || (a.score.isNaN && b.score.isNaN))
                && a.college == b.college && a.className == b.className && a.reason == b.reason && a.route == b.route
        }

        /// Hashes what ``==(_:_:)`` compares.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(index)
            hasher.combine(studentID)
            hasher.combine(level)
            // Equal scores hash alike: every withheld score (NaN) as one, and 0 as -0.
            hasher.combine(score.isNaN ? Double.infinity : score == 0 ? 0 : score)
            hasher.combine(college)
            hasher.combine(className)
            hasher.combine(reason)
            hasher.combine(route)
        }
    }

    /// Shown for a college or class a record does not have.
    public static let missing = "—"

    /// Level ids, lowest first.
    public let levels: [Level]
    /// The levels' ids, lowest first.
    package var levelIDs: [String] { levels.map(\.id) }
    /// The rule set's notice (``/RiskScreenRules/RuleSetTexts/notice``), shown under the summary.
    public let notice: String
    /// What the rule set prints for an empty route (``/RiskScreenRules/RuleSetTexts/routeNone``).
    public let routeNone: String?
    /// Who the summary is shown to.
    public let audience: Audience
    /// Counts by college and class, sorted by college, then class.
    public let groups: [GroupCounts]
    /// Students at each level over the whole batch.
    public let totals: [Int]
    /// Everyone at or above the attention rank: level rank descending, then score descending (scores withheld from the
    /// role last, so their order tells nothing of them), then id ascending.
    public let attention: AttentionList
    /// Records rejected before scoring (they have no assessment, but count in the batch).
    public let rejected: Int
    /// With several scores, each score's counts per level, in the order `scores:` declares them (empty for a rule set
    /// of one score).
    public let scores: [ScoreCounts]
    /// Students scored.
    public var scored: Int { totals.reduce(0, +) }

    /// Summarises a batch.
    ///
    /// - Parameters:
    ///   - rules: the rule set the batch was scored with (for its levels and schema).
    ///   - records: the records scored, in the order of `assessments`.
    ///   - assessments: their assessments.
    ///   - rejected: how many records were rejected before scoring.
    ///   - attentionFrom: the lowest level rank on the attention list; 1 (the second level, `attention`) by default.
    ///   - collegeField: the field that names the college; `college` by default.
    ///   - classFields: the fields that may name the class, first present wins; `class_name`, then `class`.
    ///   - audience: who the summary is shown to (what a role that sees no sensitive facts may see, unless told
    ///     otherwise): scores, reasons and routes are as ``Assessment/visible(to:)-(Audience)`` shows them to it.
    public init(
        rules: RuleSet, records: [StudentRecord], assessments: [Assessment], rejected: Int = 0, attentionFrom: Int = 1,
        collegeField: String = "college", classFields: [String] = ["class_name", "class"],
        for audience: Audience = .leastPrivileged
    ) {
        precondition(records.count == assessments.count, "records and assessments must correspond")
        var builder = Builder(
            rules: rules, attentionFrom: attentionFrom, collegeField: collegeField, classFields: classFields,
            for: audience)
        builder.add(records, assessments, firstIndex: 0)
        self = builder.summary(rejected: rejected)
    }

    /// Made by ``Builder/summary(rejected:)`` from what it gathered.
    init(
        rules: RuleSet, audience: Audience, rejected: Int, groups: [GroupCounts], totals: [Int],
        attention: AttentionList, scores: [ScoreCounts]
    ) {
        levels = rules.levels
        notice = rules.texts.notice
        routeNone = rules.texts.routeNone
        self.audience = audience
        self.rejected = rejected
        self.groups = groups
        self.totals = totals
        self.attention = attention
        self.scores = scores
    }

    /// The college and class of each record, as a summary groups them: `college` and the first of `classFields` the
    /// schema has, ``missing`` when a record has none.
    package static func collegeAndClass(
        of records: [StudentRecord], schema: Schema, collegeField: String = "college",
        classFields: [String] = ["class_name", "class"]
    ) -> [(college: String, className: String)] {
        let college = schema.field(named: collegeField)
        let className = classFields.lazy.compactMap { schema.field(named: $0) }.first
        return records.indices.map { (text(college, records[$0]), text(className, records[$0])) }
    }

    /// A grouping field's value as text, ``missing`` when the schema or the record has none.
    static func text(_ field: Schema.Field?, _ record: StudentRecord) -> String {
        guard let field else { return missing }
        switch field.type {
        case .text:
            let text = record.text(field) ?? ""
            return text.isEmpty ? missing : text
        default:
            let number = record.value(slot: field.slot)
            if number.isNaN { return missing }
            switch field.type {
            case .enumeration(let names, _): return Int(number) < names.count ? names[Int(number)] : missing
            case .date: return CivilDate(dayNumber: Int(number)).description
            case .boolean: return number != 0 ? "true" : "false"
            default: return NumberText.format(number)
            }
        }
    }

    /// Whether `a` comes before `b` by Unicode scalars: for UTF-8, the same order as their bytes.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in b.withUTF8 { right in left.lexicographicallyPrecedes(right) } }
    }

    /// Most urgent first: level rank descending, then score descending, then id ascending (by Unicode scalars).
    public static func isMoreUrgent(_ a: AttentionEntry, _ b: AttentionEntry) -> Bool {
        if a.levelRank != b.levelRank { return a.levelRank > b.levelRank }
        if let before = scoreComesFirst(a.score, b.score) { return before }
        return precedes(a.studentID, b.studentID)
    }

    /// Whether score `a` comes before `b` (higher first, a withheld score, NaN, after every shown one), or nil when
    /// they tie (both withheld, or equal).
    static func scoreComesFirst(_ a: Double, _ b: Double) -> Bool? {
        if a.isNaN || b.isNaN { return a.isNaN == b.isNaN ? nil : b.isNaN }
        return a == b ? nil : a > b
    }

    struct GroupKey: Hashable, Comparable, Sendable {
        var college: String
        var className: String

        static func < (a: GroupKey, b: GroupKey) -> Bool {
            if a.college != b.college {
                return a.college.unicodeScalars.lexicographicallyPrecedes(b.college.unicodeScalars)
            }
            return a.className.unicodeScalars.lexicographicallyPrecedes(b.className.unicodeScalars)
        }
    }
}

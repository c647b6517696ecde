public import RiskScreenRecords
public import RiskScreenRules
public import RiskScreenScoring

/// Change over time: the same students and rules on two as-of dates — who joined the list, who left it, who moved up
/// or down, whose status changed and whose duties became overdue, each with what made the difference — and the
/// monthly summary per college and class (000 一月一汇总; 001's monthly bulletin).
///
/// A student is *on the list* when their status acts: `new` (screening at the second level, `attention`, or above,
/// and not yet confirmed), `confirmed` at the second level or above, or `review_lower` (a confirmed level still acts).
/// For an open case this is screening at `attention` or above, or a confirmed level above it; a closed case and a
/// student who left are off the list, as the centre decided.
///
/// Everything is worked out from the two assessments *as the role sees them*
/// (``/RiskScreenScoring/Assessment/visible(to:)-(Audience)``), so the diff shows nothing the role's two `score` views
/// would not: a student is listed only for a change of level, status, confirmed level or list, or a shown duty that
/// became overdue; "what made the difference" names only the indicators, rules and duties the view shows, and for
/// anything withheld says only that something withheld applies on one date or the other, or may have changed.
public struct AsOfDiff: Sendable {
    /// The later date is not after the earlier one.
    public struct DateOrderError: Error, Sendable, CustomStringConvertible {
        /// The date given as the earlier one.
        public let from: CivilDate
        /// The date given as the later one.
        public let to: CivilDate

        /// The error for `to` on or before `from`.
        package init(from: CivilDate, to: CivilDate) {
            self.from = from
            self.to = to
        }

        /// A sentence naming both dates and what was expected.
        public var description: String {
            "found the later date \(to) on or before the earlier date \(from); expected the earlier date first"
        }
    }

    /// Where a student stood on one date, as the view shows it.
    public struct Standing: Sendable, Hashable {
        /// The screening level.
        public let level: Level
        /// Its rank (0 for the lowest).
        package var levelRank: Int { level.rank }
        /// The level a person confirmed, nil when none is in force.
        public let confirmedLevel: Level?
        /// The case status.
        public let status: CaseStatus
        /// True when the student is on the list (the status acts; see ``AsOfDiff``).
        public let onList: Bool
        /// With several scores, each score and the level its own points give, as the view shows them (`withheld`
        /// where it withholds the score); empty for a rule set of one score.
        public let scores: [ScoreOutcome]

        /// Where `assessment` puts the student.
        public init(_ assessment: Assessment) {
            level = assessment.level
            confirmedLevel = assessment.confirmedLevel
            status = assessment.status
            onList = Self.isOnList(status: assessment.status, levelRank: assessment.levelRank)
            scores = assessment.scores
        }

        /// Whether a status acts: `new`, `review_lower`, or `confirmed` at the second level or above.
        package static func isOnList(status: CaseStatus, levelRank: Int) -> Bool {
            switch status.value {
            case .new, .reviewLower: return true
            case .confirmed: return levelRank >= 1
            case .none, .closed, .left: return false
            }
        }
    }

    /// One listed student: where they stood on each date and what made the difference.
    public struct Student: Sendable, Hashable {
        /// The student's id.
        public let studentID: String
        /// The college, or ``/RiskScreenScoring/BatchSummary/missing``.
        public let college: String
        /// The class, or ``/RiskScreenScoring/BatchSummary/missing``.
        public let className: String
        /// On the earlier date.
        public let before: Standing
        /// On the later date.
        public let after: Standing
        /// The indicators, escalations, caps, cohort rules and duties shown on one date and not the other (or whose
        /// points changed), and one `withheld` entry when the view withholds something on either date.
        public let changes: [AsOfChange]
        /// Duties the view shows that are overdue on the later date and were not on the earlier one.
        public let newlyOverdue: [OwedAction]
        /// With several scores, those whose level differs between the dates, where the view shows the score on both.
        public let scoreMoves: [ScoreMove]

        /// Off the list on the earlier date, on it on the later.
        public var joined: Bool { !before.onList && after.onList }
        /// On the list on the earlier date, off it on the later.
        public var left: Bool { before.onList && !after.onList }
        /// A higher screening level on the later date.
        public var movedUp: Bool { after.levelRank > before.levelRank }
        /// A lower screening level on the later date.
        public var movedDown: Bool { after.levelRank < before.levelRank }
        /// A different status on the later date.
        public var statusChanged: Bool { after.status != before.status }
    }

    /// The earlier date.
    public let from: CivilDate
    /// The later date.
    public let to: CivilDate
    /// Level ids, lowest first.
    public let levels: [Level]
    /// With several scores, their ids in the order `scores:` declares them; empty for a rule set of one score.
    public let scoreIDs: [String]
    /// The rule set's notice (``/RiskScreenScoring/Assessment/notice``), shown under the summary.
    public let notice: String
    /// Students with a change of level, status, confirmed level or list, a duty newly overdue, or with several scores
    /// a change of a score's level (``Student/scoreMoves``), in input order.
    public let students: [Student]
    /// Ids assessed on only one of the two dates (only when the caller passes assessments of different students).
    public let unpaired: [String]
    /// Counts per college and class on the later date, and what changed since the earlier one.
    public let summary: AsOfSummary

    /// Students who joined the list.
    public var joined: [Student] { students.filter(\.joined) }
    /// Students who left the list.
    public var left: [Student] { students.filter(\.left) }
    /// Students whose screening level rose.
    public var movedUp: [Student] { students.filter(\.movedUp) }
    /// Students whose screening level fell.
    public var movedDown: [Student] { students.filter(\.movedDown) }
    /// Students whose status changed.
    public var statusChanged: [Student] { students.filter(\.statusChanged) }
    /// Students with a duty newly overdue.
    public var newlyOverdue: [Student] { students.filter { !$0.newlyOverdue.isEmpty } }

    /// Compares assessments of the same students on two dates, as `audience` sees them (what a role that sees no
    /// sensitive facts may see, unless told otherwise); `before` decides the order.
    ///
    /// - Parameters:
    ///   - before: the assessments on the earlier date.
    ///   - after: the assessments on the later date; paired with `before` by student id.
    ///   - groups: the college and class of each of `before` (``/RiskScreenScoring/BatchSummary/missing`` for all when
    ///     nil).
    ///   - levels: the rule set's level ids, lowest first.
    ///   - audience: who the diff is shown to; a view never shows more than the assessments it is given.
    /// - Throws: ``DateOrderError`` when the later assessments are not dated after the earlier ones.
    public init(
        before: [Assessment], after: [Assessment], groups: [CollegeClass]? = nil, levels: [Level],
        for audience: Audience = .leastPrivileged
    ) throws(DateOrderError) {
        let from = before.first?.asOf ?? after.first?.asOf ?? CivilDate(dayNumber: 0)
        let to = after.first?.asOf ?? from
        if !before.isEmpty && !after.isEmpty && to <= from { throw DateOrderError(from: from, to: to) }
        self.init(
            checked: before, after: after, from: from, to: to, groups: groups, levels: levels, audience: audience,
            notice: after.first?.notice ?? before.first?.notice ?? RuleSetTexts.defaultNotice)
    }

    /// Scores the same records with one engine on two dates and compares them, as `audience` sees them (what a role
    /// that sees no sensitive facts may see, unless told otherwise); records are grouped by `college` and the first of
    /// `classFields` the schema has.
    /// - Throws: ``DateOrderError`` when `to` is not after `from`.
    public init(
        engine: ScoringEngine, records: [StudentRecord], from: CivilDate, to: CivilDate,
        for audience: Audience = .leastPrivileged,
        collegeField: String = "college", classFields: [String] = ["class_name", "class"]
    ) throws(DateOrderError) {
        guard from < to else { throw DateOrderError(from: from, to: to) }
        let groups = BatchSummary.collegeAndClass(
            of: records, schema: engine.rules.schema, collegeField: collegeField, classFields: classFields
        ).map { CollegeClass(college: $0.college, className: $0.className) }
        self.init(
            checked: engine.assessInFull(records, asOf: from), after: engine.assessInFull(records, asOf: to),
            from: from,
            to: to, groups: groups, levels: engine.rules.levels, audience: audience,
            notice: engine.rules.texts.notice)
    }

    private init(
        checked before: [Assessment], after: [Assessment], from: CivilDate, to: CivilDate, groups: [CollegeClass]?,
        levels: [Level], audience: Audience, notice: String
    ) {
        self.from = from
        self.to = to
        self.levels = levels
        scoreIDs = (after.first ?? before.first)?.scores.map(\.id) ?? []
        // The rule set's own notice, even when no student was scored.
        self.notice = notice
        let view = { (assessment: Assessment) in assessment.visible(to: audience) }
        var byID: [String: Int] = [:]
        for index in after.indices where byID[after[index].studentID] == nil { byID[after[index].studentID] = index }
        var paired = Set<Int>()
        var students: [Student] = []
        var unpaired: [String] = []
        var rows: [AsOfSummary.Row] = []
        for index in before.indices {
            guard let match = byID[before[index].studentID] else {
                unpaired.append(before[index].studentID)
                continue
            }
            paired.insert(match)
            let earlier = view(before[index])
            let later = view(after[match])
            let group =
                groups.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                ?? CollegeClass(college: BatchSummary.missing, className: BatchSummary.missing)
            let wasOverdue = Set(earlier.actions.filter { $0.overdueDays > 0 }.map { DutyKey(id: $0.id, due: $0.due) })
            let overdue = later.actions.filter { $0.overdueDays > 0 }
            let newlyOverdue = overdue.filter { !wasOverdue.contains(DutyKey(id: $0.id, due: $0.due)) }
            let before = Standing(earlier)
            let after = Standing(later)
            let student = Student(
                studentID: earlier.studentID, college: group.college, className: group.className,
                before: before, after: after, changes: AsOfChange.changes(earlier, later),
                newlyOverdue: newlyOverdue, scoreMoves: ScoreMove.moves(before.scores, after.scores, levels: levels))
            let listed =
                student.joined || student.left || student.movedUp || student.movedDown || student.statusChanged
                || student.before.confirmedLevel != student.after.confirmedLevel || !newlyOverdue.isEmpty
                || !student.scoreMoves.isEmpty
            if listed { students.append(student) }
            rows.append(
                AsOfSummary.Row(
                    group: group, levelRank: later.levelRank, status: later.status, onList: student.after.onList,
                    joined: student.joined, left: student.left, movedUp: student.movedUp,
                    movedDown: student.movedDown, statusChanged: student.statusChanged, overdue: overdue.count,
                    newlyOverdue: newlyOverdue.count, scoreColumns: ScoreMove.columns(of: after.scores, levels: levels),
                    scoreMoves: ScoreMove.directions(student.scoreMoves, scoreIDs: scoreIDs)))
        }
        for index in after.indices where !paired.contains(index) { unpaired.append(after[index].studentID) }
        self.students = students
        self.unpaired = unpaired
        summary = AsOfSummary(from: from, to: to, levels: levels, scoreIDs: scoreIDs, rows: rows)
    }

    /// One instance of a duty: a duty met and owed again has a new due date.
    private struct DutyKey: Hashable {
        var id: String
        var due: CivilDate
    }
}

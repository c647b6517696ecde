public import RiskScreenSupport

/// A duty a rule set declares (`actions:`): who must act, by when, and on what condition — an interview within a day
/// of a self-harm answer, a follow-up every half month, a visit during a leave. An overdue duty is reported against
/// the role responsible and climbs the network; it never raises the student's level.
public struct ActionRule: Sendable {
    /// The duty's id.
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// The role that must act.
    public let role: String
    /// Days after the latest of the `after:` dates by which it is due (nil when `by:` gives the date).
    public let withinDays: Int?
    /// Overdue days after which the duty is reported one more role up the network (the roles in declaration order),
    /// one entry per step.
    public let climbAfterDays: [Int]
    /// The lowest confirmed level for which the duty is owed (`when_confirmed:`), nil when it does not depend on one.
    public let confirmedLevel: Int?
    /// True when a confirmation dated on or after the duty's start meets it (`done_when_confirmed:`): a person saw the
    /// student after the fact.
    public let doneWhenConfirmed: Bool
    /// The seed it comes from.
    public let source: String?
    /// Where it was declared.
    public let location: SourceLocation
    /// True when its condition or dates read sensitive facts: a role that may not see them learns only that a duty
    /// is owed by another role.
    public let isSensitive: Bool

    package let condition: TruthProgram?
    /// The due date counts from the latest of these dates that has a value (the as-of date when none has); an event
    /// kind written in `after:` is the date of its latest event (``ExpressionCode/dateOfLatest(kind:)``).
    package let after: [EvidenceProgram]
    /// The due date itself (`by:`), instead of `within` days after a start.
    package let by: EvidenceProgram?
    /// The role's position in the rule set's roles.
    package let roleIndex: Int

    package init(
        id: String, label: Label, role: String, withinDays: Int?, climbAfterDays: [Int], confirmedLevel: Int?,
        doneWhenConfirmed: Bool, source: String?, location: SourceLocation, isSensitive: Bool,
        condition: TruthProgram?, after: [EvidenceProgram], by: EvidenceProgram?, roleIndex: Int
    ) {
        self.id = id
        self.label = label
        self.role = role
        self.withinDays = withinDays
        self.climbAfterDays = climbAfterDays
        self.confirmedLevel = confirmedLevel
        self.doneWhenConfirmed = doneWhenConfirmed
        self.source = source
        self.location = location
        self.isSensitive = isSensitive
        self.condition = condition
        self.after = after
        self.by = by
        self.roleIndex = roleIndex
    }
}

extension ActionRule {
    /// The day the duty counts from for a record — the latest of its `after:` dates that has a value — or NaN when
    /// none has one (or it is due `by:` a date).
    package func startDay(_ frame: FramePointer) -> Double {
        var latest = Double.nan
        for program in after {
            let day = program.value(frame)
            if !day.isNaN && (latest.isNaN || day > latest) { latest = day }
        }
        return latest
    }

    /// The day the duty is due for a record: `within` days after its start, or its `by:` date; the as-of date when
    /// what it counts from is not known (a duty nothing dates is owed now).
    package func dueDay(_ frame: FramePointer, start: Double) -> Int32 {
        let asOf = frame.pointee.asOf
        if let by {
            let day = by.value(frame)
            return day.isNaN ? asOf : Int32(clamping: Int(day))
        }
        guard !start.isNaN, let withinDays else { return asOf }
        return Int32(clamping: Int(start) + withinDays)
    }
}

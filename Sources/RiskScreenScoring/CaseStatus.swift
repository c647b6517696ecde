/// Where a student's case stands: what the rules propose (the screening level) against what a person confirmed.
/// Screening proposes, the centre decides (000 §四(一)1 核实; 004 §四(一)2 研判会商).
///
/// A set of named values that may grow (a later version may add a status): compare with `==` or switch with a
/// `default`. Its ``rawValue`` is the word every output writes. A status this version does not know fails to decode:
/// a new status comes with a new ``AssessmentRecord/version``.
public struct CaseStatus: Sendable, Hashable, RawRepresentable, CaseIterable, CustomStringConvertible, Codable {
    /// The statuses this version knows, for exhaustive switches inside the package.
    package enum Value: String, Sendable, CaseIterable {
        case none, new, confirmed
        case reviewLower = "review_lower"
        case closed, left
    }

    /// Which status it is.
    package let value: Value

    package init(_ value: Value) { self.value = value }

    /// The status named by an output's word (`none`, `new`, `confirmed`, `review_lower`, `closed`, `left`).
    public init?(rawValue: String) {
        guard let value = Value(rawValue: rawValue) else { return nil }
        self.value = value
    }

    /// The word every output writes.
    public var rawValue: String { value.rawValue }
    /// The word every output writes.
    public var description: String { value.rawValue }

    /// Screening below the first level that acts, and nothing confirmed: nothing to do.
    public static let none = CaseStatus(.none)
    /// Screening at a level that acts and above what a person confirmed, or nothing confirmed yet: verify.
    public static let new = CaseStatus(.new)
    /// A person confirmed the level screening gives.
    public static let confirmed = CaseStatus(.confirmed)
    /// Screening below the level a person confirmed: consider closing the case or lowering it.
    public static let reviewLower = CaseStatus(.reviewLower)
    /// The case was closed (销号) and no risk fact has come since.
    public static let closed = CaseStatus(.closed)
    /// The student left (graduation, withdrawal, transfer) on or before the as-of date.
    public static let left = CaseStatus(.left)

    /// Every status this version knows, in the order above.
    public static let allCases: [CaseStatus] = Value.allCases.map(CaseStatus.init)
}

/// The case facts of one record as of the scoring date, worked out while it is scored: the valid confirmation, the
/// highest level set by an escalation that acts at once, and whether the case is closed or the student left.
struct CaseState: Sendable {
    /// The confirmed level's rank, or -1 when nothing valid is confirmed (none recorded, dated after the as-of date,
    /// or ended by a closure).
    var confirmedRank: Int32 = -1
    /// The confirmation's day, the confirming role's index and how it was made (-1 when not recorded).
    var confirmedOn: Int32 = -1
    var confirmedBy: Int16 = -1
    var confirmedHow: Int16 = -1
    /// The highest level set by a held escalation that acts at once (0 when none held).
    var actRank: Int32 = 0
    /// The same, from such escalations that read no sensitive fact: what a view for a role that may not see sensitive
    /// facts goes by, so the route it shows cannot tell it that a sensitive rule held.
    var visibleActRank: Int32 = 0
    /// The case is closed on or before the as-of date and no risk fact came after.
    var closed = false
    /// The same, counting only the facts a role that may not see sensitive facts may see.
    var visiblyClosed = false
    /// The student left on or before the as-of date.
    var left = false

    /// The level that acts before the screening is verified: the confirmed level or one set by an act, whichever is
    /// higher; none for a closed case or a student who left. Cohort rules that need a confirmation read it.
    var actingRank: Int { actingRank(seesSensitive: true) }

    /// The acting level as a view sees it: a view that may not see sensitive facts counts only the escalations that
    /// read none.
    func actingRank(seesSensitive: Bool) -> Int {
        if (seesSensitive ? closed : visiblyClosed) || left { return 0 }
        return Int(max(confirmedRank, seesSensitive ? actRank : visibleActRank, 0))
    }

    /// The status beside a screening level; a view for a role that may not see sensitive facts (`seesSensitive`
    /// false) goes by the facts it may see to tell whether a closed case reopened.
    func status(screening: Int, seesSensitive: Bool = true) -> CaseStatus {
        if left { return .left }
        if seesSensitive ? closed : visiblyClosed { return .closed }
        if confirmedRank < 0 { return screening >= 1 ? .new : .none }
        if screening > Int(confirmedRank) { return .new }
        return screening == Int(confirmedRank) ? .confirmed : .reviewLower
    }
}

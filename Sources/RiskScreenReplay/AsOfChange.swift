internal import RiskScreenRules
internal import RiskScreenScoring

/// One thing that made a difference for a student between two as-of dates: an indicator that fired on one date and
/// not the other or whose points changed, an escalation, cap or cohort rule that applied on one date only, a duty owed
/// on one date only, or — in a view that withholds something — that something withheld applies.
public struct AsOfChange: Sendable, Hashable, CustomStringConvertible {
    /// What kind of thing changed.
    /// A set of named values that may grow: compare with `==` or switch with a `default`.
    public struct Kind: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The values this version knows, for exhaustive switches inside the package.
        package enum Value: String, Sendable, CaseIterable {
            case indicator
            case escalation
            case cap
            case cohort
            case duty
            case withheld
        }

        /// Which one it is.
        package let value: Value

        package init(_ value: Value) { self.value = value }

        /// The value named by its word.
        public init?(rawValue: String) {
            guard let value = Value(rawValue: rawValue) else { return nil }
            self.value = value
        }

        /// Its word.
        public var rawValue: String { value.rawValue }
        /// Its word.
        public var description: String { value.rawValue }

        /// An indicator or protective factor.
        public static let indicator = Kind(.indicator)
        /// An escalation (a floor).
        public static let escalation = Kind(.escalation)
        /// A cap (a ceiling).
        public static let cap = Kind(.cap)
        /// A cohort rule that reached the student.
        public static let cohort = Kind(.cohort)
        /// A duty owed for the student.
        public static let duty = Kind(.duty)
        /// Something the view withholds: no id, no points, no kind.
        public static let withheld = Kind(.withheld)
    }

    /// The kind.
    public let kind: Kind
    /// The indicator, rule or duty; `withheld` for something withheld.
    public let id: String
    /// Points on the earlier date for an indicator; 0 for a rule that applied, a duty owed or something withheld; nil
    /// when it did not fire, apply or was not owed.
    public let before: Double?
    /// The same on the later date.
    public let after: Double?

    /// `+ id — → +3`, `~ id +2 → +4`, `− escalation red_flag no longer applies`, `+ duty x now owed`,
    /// `~ something withheld may have changed …`.
    public var description: String {
        let mark = before == nil ? "+" : after == nil ? "−" : "~"
        switch kind.value {
        case .indicator:
            let show = { (points: Double?) in points.map { AssessmentFormatting.signed($0) } ?? "—" }
            return "\(mark) \(id) \(show(before)) → \(show(after))"
        case .escalation, .cap, .cohort:
            let name = kind == .cohort ? "cohort rule" : kind.rawValue
            return "\(mark) \(name) \(id) \(after == nil ? "no longer applies" : "now applies")"
        case .duty:
            return "\(mark) duty \(id) \(after == nil ? "no longer owed" : "now owed")"
        case .withheld:
            let what =
                before == nil
                ? "now applies" : after == nil ? "no longer applies" : "applies on both dates and may have changed"
            return "\(mark) something withheld \(what) (shown to roles that may see sensitive facts)"
        }
    }

    /// What differs between two views of one student, in this order: indicators (in the order they fired, earlier
    /// date first), escalations, caps and cohort rules that applied on one date only (a rule *applies* when it held
    /// and changed the level, or held, in a view that does not say whether it changed the level), duties owed on one
    /// date only, then one `withheld` entry when either view withholds something. Nothing here reads more than the
    /// views show.
    static func changes(_ earlier: Assessment, _ later: Assessment) -> [AsOfChange] {
        var changes: [AsOfChange] = []
        let oldFired = earlier.fired
        let newFired = later.fired
        let oldPoints = Dictionary(oldFired.map { ($0.id, $0.points) }, uniquingKeysWith: { a, _ in a })
        let newPoints = Dictionary(newFired.map { ($0.id, $0.points) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for id in oldFired.map(\.id) + newFired.map(\.id) where seen.insert(id).inserted {
            let a = oldPoints[id]
            let b = newPoints[id]
            if a != b { changes.append(AsOfChange(kind: .indicator, id: id, before: a, after: b)) }
        }
        let applied = { (assessment: Assessment) in
            (assessment.escalations + assessment.caps).filter { $0.changedLevel != false }.map { rule in
                RuleKey(kind: rule.kind == .cap ? .cap : rule.kind == .cohort ? .cohort : .escalation, id: rule.id)
            }
        }
        let oldRules = applied(earlier)
        let newRules = applied(later)
        let oldSet = Set(oldRules)
        let newSet = Set(newRules)
        for rule in oldRules where !newSet.contains(rule) {
            changes.append(AsOfChange(kind: rule.kind, id: rule.id, before: 0, after: nil))
        }
        for rule in newRules where !oldSet.contains(rule) {
            changes.append(AsOfChange(kind: rule.kind, id: rule.id, before: nil, after: 0))
        }
        let oldDuties = earlier.actions.map(\.id)
        let newDuties = later.actions.map(\.id)
        for id in oldDuties where !newDuties.contains(id) {
            changes.append(AsOfChange(kind: .duty, id: id, before: 0, after: nil))
        }
        for id in newDuties where !oldDuties.contains(id) {
            changes.append(AsOfChange(kind: .duty, id: id, before: nil, after: 0))
        }
        if earlier.withheld || later.withheld {
            changes.append(
                AsOfChange(
                    kind: .withheld, id: "withheld", before: earlier.withheld ? 0 : nil,
                    after: later.withheld ? 0 : nil))
        }
        return changes
    }

    private struct RuleKey: Hashable {
        var kind: Kind
        var id: String
    }
}

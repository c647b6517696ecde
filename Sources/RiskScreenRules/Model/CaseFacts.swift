/// The case facts a rule set lets records carry (`schema: case:`): what a person decided about a student, read beside
/// what the rules propose. Screening proposes, the centre decides (000 §四(一)1 核实; 004 §四(一)2 研判会商;
/// 003 方案3 §三(五)15).
///
/// Each fact is a field of the record with a fixed name and type, checked like any other field: a confirmed level
/// must be one of the rule set's levels, the confirming role one of its roles.
public struct CaseFacts: Sendable {
    /// A case fact the engine understands.
    /// Frozen: a closed set (the facts the case model reads); a new case comes only with a new major version of the library.
    public enum Fact: String, Sendable, CaseIterable {
        /// The level a person confirmed (one of the rule set's levels).
        case confirmedLevel = "confirmed_level"
        /// The day it was confirmed: a confirmation counts from this day, not before.
        case confirmedOn = "confirmed_on"
        /// The role that confirmed it (one of the rule set's roles).
        case confirmedBy = "confirmed_by"
        /// How: an interview (访谈) or a case conference (研判会商).
        case confirmedHow = "confirmed_how"
        /// The day the confirmation is due for review (a plan: read as given, even after the as-of date).
        case reviewDue = "review_due"
        /// The next follow-up the student's plan (一生一策, 一人一案) sets (a plan).
        case nextFollowUp = "next_follow_up"
        /// The day the case was closed (销号): a risk fact dated after it reopens the case.
        case closedOn = "closed_on"
        /// The first day of a leave of absence (请假、休学).
        case leaveFrom = "leave_from"
        /// Why: psychological, illness or other (sensitive: a psychological leave is a health fact).
        case leaveReason = "leave_reason"
        /// The day the student is planned to return (a plan).
        case plannedReturn = "planned_return"
        /// The day the student left (graduation, withdrawal, transfer): no duty is owed after it.
        case leftOn = "left_on"

        /// The field's type: levels and roles are enumerations of the rule set's own ids.
        func type(levels: [String], roles: [String]) -> Schema.FieldType {
            switch self {
            case .confirmedLevel: return .enumeration(levels)
            case .confirmedBy: return .enumeration(roles)
            case .confirmedHow: return .enumeration(CaseFacts.confirmationMethods)
            case .leaveReason: return .enumeration(CaseFacts.leaveReasons)
            case .confirmedOn, .reviewDue, .nextFollowUp, .closedOn, .leaveFrom, .plannedReturn, .leftOn: return .date
            }
        }

        /// A plan's date, read as given even after the as-of date (``Schema/Field/scheduled``).
        var isScheduled: Bool { self == .reviewDue || self == .nextFollowUp || self == .plannedReturn }

        /// Shown only to roles that see sensitive facts.
        var isSensitive: Bool { self == .leaveReason }
    }

    /// How a confirmation was made: an interview (访谈, 000 §四(一)1) or a case conference (研判会商, 004 §四(一)2).
    public static let confirmationMethods = ["interview", "case_conference"]
    /// Why a student is on leave.
    public static let leaveReasons = ["psychological", "illness", "other"]

    /// The index in ``Schema/fields`` of each declared fact.
    public internal(set) var fieldIndex: [Fact: Int] = [:] {
        didSet {
            companionFields = Self.companions.compactMap { fact, needs in
                guard let factField = fieldIndex[fact], let needsField = fieldIndex[needs] else { return nil }
                return (factField, needsField)
            }
        }
    }
    /// ``companions`` whose facts are both declared, as field positions: worked out when the schema is read, so
    /// that checking a record hashes no fact.
    private var companionFields: [(fact: Int, needs: Int)] = []
    /// The event kinds staff record about their own work (a counsellor's contact): they never reopen a closed case.
    public internal(set) var staffEventKinds: Set<Int> = []

    /// Whether records may carry the fact.
    public func declares(_ fact: Fact) -> Bool { fieldIndex[fact] != nil }

    /// Facts that mean nothing without another: a level confirmed needs its date (and the date its level); who
    /// confirmed, how and the review date need a confirmed level; the leave's reason and planned return need its start.
    package static let companions: [(fact: Fact, needs: Fact)] = [
        (.confirmedLevel, .confirmedOn), (.confirmedOn, .confirmedLevel), (.confirmedBy, .confirmedLevel),
        (.confirmedHow, .confirmedLevel), (.reviewDue, .confirmedLevel), (.leaveReason, .leaveFrom),
        (.plannedReturn, .leaveFrom),
    ]

    /// The first fact a record gives without the fact it needs (`given` says whether the record gives the field at a
    /// schema position), as field positions; nil when every given fact has its companion.
    package func missingCompanion(given: (Int) -> Bool) -> (fact: Int, needs: Int)? {
        for (fact, needs) in companionFields where given(fact) && !given(needs) { return (fact, needs) }
        return nil
    }

    /// The facts' value slots, -1 for a fact not declared: what scoring reads.
    package struct Slots: Sendable {
        package var confirmedLevel = -1
        package var confirmedOn = -1
        package var confirmedBy = -1
        package var confirmedHow = -1
        package var closedOn = -1
        package var leaveFrom = -1
        package var leftOn = -1
    }
}

extension Schema {
    /// The value slots of the case facts scoring reads.
    package var caseSlots: CaseFacts.Slots {
        func slot(_ fact: CaseFacts.Fact) -> Int { caseFacts.fieldIndex[fact].map { fields[$0].slot } ?? -1 }
        return CaseFacts.Slots(
            confirmedLevel: slot(.confirmedLevel), confirmedOn: slot(.confirmedOn), confirmedBy: slot(.confirmedBy),
            confirmedHow: slot(.confirmedHow), closedOn: slot(.closedOn), leaveFrom: slot(.leaveFrom),
            leftOn: slot(.leftOn))
    }
}

public import RiskScreenSupport

/// An alert level: the score from which it applies, who must act, and what they must do.
///
/// The one type for a level wherever one appears (an assessment's level, a rule's, a score's): levels are ordered by
/// ``rank`` and are equal when their id and rank are; a level prints as its id.
public struct Level: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The level's id (`none`, `attention`, `focus`, `high`, `crisis` in campus-default).
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// Its rank: 0 for the lowest level.
    public let rank: Int
    /// The lowest score that reaches this level by points alone: minus infinity for the first level, plus infinity for
    /// a level no score reaches (``isReachedByRulesOnly``).
    public let threshold: Double
    /// The roles that must act, in the order the report climbs.
    public let route: [String]
    /// What they must do.
    public let response: String
    /// Whether parents are informed at this level.
    public let informParents: ParentNotice
    /// What acts instead while screening proposes this level and no person has confirmed it (`unconfirmed:`), nil
    /// when the level acts the same either way. An escalation that acts at once (``LevelRule/actsAtOnce``) makes the
    /// level act in full without a confirmation.
    public let unconfirmed: LevelResponse?
    /// Where it was declared.
    public let location: SourceLocation

    /// The level's id.
    public var description: String { id }

    /// Whether `left` is lower than `right`: by rank, then (for levels of two rule sets) by id, so that ordering
    /// agrees with equality.
    public static func < (left: Level, right: Level) -> Bool { (left.rank, left.id) < (right.rank, right.id) }

    /// Levels are the same level when their id and rank are.
    public static func == (left: Level, right: Level) -> Bool { left.rank == right.rank && left.id == right.id }

    /// Hashes the id and rank.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(rank)
    }

    /// True for a level declared `reached_by: rules`: no score reaches it; only an escalation or a cohort rule raises
    /// a student to it, or a cap lowers one to it.
    public var isReachedByRulesOnly: Bool { threshold == .infinity }

    /// What acts at this level: in full, or as its `unconfirmed:` response says (the full response when it has none).
    public func response(confirmed: Bool) -> LevelResponse {
        if !confirmed, let unconfirmed { return unconfirmed }
        return LevelResponse(route: route, response: response, informParents: informParents)
    }
}

/// Who acts at a level, what they do, and whether parents are told.
public struct LevelResponse: Sendable, Hashable {
    /// The roles that must act, in the order the report climbs.
    public let route: [String]
    /// What they must do.
    public let response: String
    /// Whether parents are informed.
    public let informParents: ParentNotice

    /// A response of these parts.
    public init(route: [String], response: String, informParents: ParentNotice) {
        self.route = route
        self.response = response
        self.informParents = informParents
    }
}

/// When parents are informed at a level: the seeds differ (001 always; 002 only when safety is at risk; 003 方案12 with consent).
/// Frozen: a closed set (the three answers the seeds give); a new case comes only with a new major version of the library.
public enum ParentNotice: String, Sendable, CaseIterable, Comparable {
    /// Parents are informed.
    case yes
    /// Parents are not informed at this level.
    case no
    /// Parents are informed with the student's consent.
    case withConsent = "with_consent"

    /// How far it goes towards telling parents: no, then with consent, then yes.
    private var reach: Int {
        switch self {
        case .no: return 0
        case .withConsent: return 1
        case .yes: return 2
        }
    }

    /// Whether `left` tells parents less than `right`.
    public static func < (left: ParentNotice, right: ParentNotice) -> Bool { left.reach < right.reach }
}

/// An escalation (a floor) or a cap (a ceiling): a condition and the level it sets at least or at most.
public struct LevelRule: Sendable {
    /// Floor or ceiling: a set of named values that may grow (compare with `==` or switch with a `default`).
    public struct Kind: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The kinds this version knows, for exhaustive switches inside the package.
        package enum Value: String, Sendable {
            case escalation, cap, cohort
        }

        /// Which kind it is.
        package let value: Value

        package init(_ value: Value) { self.value = value }

        /// The kind named by its word (`escalation`, `cap`, `cohort`).
        public init?(rawValue: String) {
            guard let value = Value(rawValue: rawValue) else { return nil }
            self.value = value
        }

        /// The kind's word.
        public var rawValue: String { value.rawValue }
        /// The kind's word.
        public var description: String { value.rawValue }

        /// Sets at least a level.
        public static let escalation = Kind(.escalation)
        /// Sets at most a level.
        public static let cap = Kind(.cap)
        /// A cohort rule: sets at least a level for the others in a group of a student at a given level.
        public static let cohort = Kind(.cohort)
    }

    /// The rule's id.
    public let id: String
    /// Floor or ceiling.
    public let kind: Kind
    /// The level it sets at least (escalation) or at most (cap).
    public let level: Level
    /// Its level's rank.
    package var rank: Int { level.rank }
    /// Why, in words a counsellor reads.
    public let reason: String
    /// The seed document and section it comes from.
    public let source: String?
    /// The condition's text, as written.
    public let conditionText: String
    /// Where it was declared.
    public let location: SourceLocation
    /// True when its condition reads sensitive facts: only roles that see them learn that it held.
    public let isSensitive: Bool
    /// True for an escalation that acts at once (`acts: at_once`), before any person confirms it: an act of self-harm
    /// acts at once, a questionnaire answer waits for an interview (000 §四(一)1 核实).
    public let actsAtOnce: Bool

    package let condition: TruthProgram
}

/// A named number that tuners change in one place.
public struct Parameter: Sendable {
    /// The parameter's name.
    public let name: String
    /// Its value.
    public let value: Double
    /// Why it has this value.
    public let reason: String?
    /// Where its value was last set (the overlay's location when a layer changed it).
    public let location: SourceLocation
}

/// A role in the four-level network that a route names (dorm liaison, class committee member, counsellor, …).
public struct Role: Sendable {
    /// The role's id.
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// Whether this role sees sensitive evidence.
    public let seesSensitive: Bool

    /// A role with these labels.
    package init(id: String, label: Label, seesSensitive: Bool) {
        self.id = id
        self.label = label
        self.seesSensitive = seesSensitive
    }
}

/// A rule over the cohort (003 方案2 §四(一) level 2, §三(二)10): when a student reaches a level, everyone else
/// in the same group (dorm, class …) gets at least another level. It applies when a batch is scored.
public struct CohortRule: Sendable {
    /// The rule's id.
    public let id: String
    /// The text field whose value forms the groups (for example `dorm`).
    public let groupBy: String
    /// A student at or above this level exposes the group.
    public let triggerLevel: Level
    /// The level the others in the group get at least.
    public let level: Level
    /// The trigger level's rank.
    package var triggerRank: Int { triggerLevel.rank }
    /// Its level's rank.
    package var rank: Int { level.rank }
    /// True when only a confirmed level, or one set by an escalation that acts at once, triggers the rule
    /// (`needs: confirmation`): a screening result nobody has verified raises nobody else.
    public let needsConfirmation: Bool
    /// The risk indicators one of which the triggering student must have fired (`when_fired:`), in rule-set order;
    /// empty when any student at the trigger level triggers the rule.
    public let whenFired: [String]
    /// Why, in words a counsellor reads.
    public let reason: String
    /// The seed it comes from.
    public let source: String?
    /// Where it was declared.
    public let location: SourceLocation

    package let groupSlot: Int
    /// The indices (in ``RuleSet/indicators``) of ``whenFired``.
    package let triggerIndicators: [Int]
}

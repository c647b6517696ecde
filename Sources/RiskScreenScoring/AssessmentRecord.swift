public import RiskScreenRules

/// An assessment as plain values, to store or send: the documented JSON shape, version 1, that
/// `riskscreen score --format json` writes one line of per student.
///
/// Make one with ``Assessment/record`` (or encode an ``Assessment`` directly: it encodes as its record) and read one
/// back with `JSONDecoder`. It holds what the view it was made from shows (``/RiskScreenRules/Audience``): a withheld
/// score is nil, a withheld level by score is `withheld`, and whatever is withheld shows as one `withheld` entry among
/// ``fired``. Numbers are rounded to two decimals, as every output shows them. Levels are level ids;
/// ``/RiskScreenRules/RuleSet/level(named:)`` gives the level itself. A later version adds keys or changes their
/// meaning only with a new ``version``.
public struct AssessmentRecord: Codable, Sendable, Hashable {
    /// The version of the shape this library writes.
    public static let currentVersion = 1

    /// The shape's version (``currentVersion`` when this library wrote it).
    public var version: Int
    /// The student's id.
    public var id: String
    /// The date it was scored for.
    public var asOf: CivilDate
    /// The score, nil when withheld.
    public var score: Double?
    /// The screening level's id.
    public var level: String
    /// The level a person confirmed, nil when none is in force.
    public var confirmedLevel: String?
    /// Where the case stands.
    public var status: CaseStatus
    /// The level the score alone gives; `withheld` when the score is.
    public var scoreLevel: String
    /// With several scores: each one's score (nil when withheld) and level, by the score's id; nil with one score.
    public var scores: [String: Part]?
    /// The roles that must act, given the status.
    public var route: [String]
    /// What they must do.
    public var response: String
    /// Whether parents are informed.
    public var parents: ParentNotice
    /// The duties owed.
    public var actions: [Action]
    /// The indicators that fired, as the view shows them; a last `withheld` entry when anything is withheld.
    public var fired: [Fired]
    /// Escalations and cohort rules that held.
    public var escalations: [Rule]
    /// Caps that held.
    public var caps: [Rule]
    /// Calendar effects in force that touched a shown indicator.
    public var calendar: [Effect]
    /// The rule set's notice: a screening result for a counsellor to verify, not a diagnosis.
    public var notice: String

    /// One of several scores.
    public struct Part: Codable, Sendable, Hashable {
        /// Its score, nil when withheld.
        public var score: Double?
        /// The level its score gives, or `withheld`.
        public var level: String

        /// Writes both keys, a withheld score as `null`, as the command does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(score, forKey: .score)
            try container.encode(level, forKey: .level)
        }
    }

    /// A duty owed.
    public struct Action: Codable, Sendable, Hashable {
        /// The duty's id.
        public var id: String
        /// The role that owes it.
        public var role: String
        /// The role it is reported to now (one up the network when overdue).
        public var reportedTo: String
        /// The day it is due.
        public var due: CivilDate
        /// Days past due; 0 when not overdue.
        public var overdueDays: Int

        enum CodingKeys: String, CodingKey {
            case id, role, due
            case reportedTo = "reported_to"
            case overdueDays = "overdue_days"
        }
    }

    /// A fired indicator, or the one `withheld` entry.
    public struct Fired: Codable, Sendable, Hashable {
        /// The indicator's id, or `withheld`.
        public var id: String
        /// Its label, `中文 (English)`.
        public var label: String
        /// Its dimension's id; nil for the withheld entry.
        public var dimension: String?
        /// Its points; nil for the withheld entry.
        public var points: Double?
        /// Its evidence, each value as shown (`withheld` for a sensitive one the view hides).
        public var evidence: [Evidence]

        /// Writes every key, a missing dimension or points as `null`, as the command does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(label, forKey: .label)
            try container.encode(dimension, forKey: .dimension)
            try container.encode(points, forKey: .points)
            try container.encode(evidence, forKey: .evidence)
        }
    }

    /// One piece of a fired indicator's evidence.
    public struct Evidence: Codable, Sendable, Hashable {
        /// What it is.
        public var label: String
        /// Its value, as shown.
        public var value: String
    }

    /// An escalation, cohort rule or cap that held.
    public struct Rule: Codable, Sendable, Hashable {
        /// The rule's id.
        public var id: String
        /// The level it sets at least (or, for a cap, at most).
        public var level: String
        /// Whether it changed the level; nil when the view withholds the score.
        public var changedLevel: Bool?
        /// Why, in words a counsellor reads.
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case id, level, reason
            case changedLevel = "changed_level"
        }

        /// Writes every key, a withheld `changed_level` as `null`, as the command does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(level, forKey: .level)
            try container.encode(changedLevel, forKey: .changedLevel)
            try container.encode(reason, forKey: .reason)
        }
    }

    /// A calendar effect in force.
    public struct Effect: Codable, Sendable, Hashable {
        /// The window's id.
        public var window: String
        /// Its multiplier.
        public var factor: Double
        /// The shown indicators it multiplied.
        public var indicators: [String]
    }

    enum CodingKeys: String, CodingKey {
        case version, id, score, level, status, scores, route, response, parents, actions, fired, escalations, caps
        case calendar, notice
        case asOf = "as_of"
        case confirmedLevel = "confirmed_level"
        case scoreLevel = "score_level"
    }

    /// Writes every key, a missing value as `null`, as the command does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(id, forKey: .id)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(score, forKey: .score)
        try container.encode(level, forKey: .level)
        try container.encode(confirmedLevel, forKey: .confirmedLevel)
        try container.encode(status, forKey: .status)
        try container.encode(scoreLevel, forKey: .scoreLevel)
        try container.encodeIfPresent(scores, forKey: .scores)
        try container.encode(route, forKey: .route)
        try container.encode(response, forKey: .response)
        try container.encode(parents, forKey: .parents)
        try container.encode(actions, forKey: .actions)
        try container.encode(fired, forKey: .fired)
        try container.encode(escalations, forKey: .escalations)
        try container.encode(caps, forKey: .caps)
        try container.encode(calendar, forKey: .calendar)
        try container.encode(notice, forKey: .notice)
    }
}

extension Assessment: Encodable {
    /// The assessment as plain values in the versioned JSON shape, showing what this view shows.
    public var record: AssessmentRecord {
        let shown = { (value: Double) -> Double? in value.isNaN ? nil : AssessmentRecord.rounded(value) }
        var fired = self.fired.map { indicator in
            AssessmentRecord.Fired(
                id: indicator.id, label: indicator.label.description, dimension: indicator.dimension.id,
                points: shown(indicator.points),
                evidence: indicator.evidence.map { AssessmentRecord.Evidence(label: $0.label, value: $0.value) })
        }
        if withheld {
            fired.append(
                AssessmentRecord.Fired(
                    id: "withheld", label: Assessment.withheldLabel.description, dimension: nil, points: nil,
                    evidence: []))
        }
        let rule = { (rule: AppliedRule) in
            AssessmentRecord.Rule(
                id: rule.id, level: rule.level.id, changedLevel: rule.changedLevel, reason: rule.reason)
        }
        let parts = scores
        return AssessmentRecord(
            version: AssessmentRecord.currentVersion, id: studentID, asOf: asOf, score: shown(score), level: level.id,
            confirmedLevel: confirmedLevel?.id, status: status, scoreLevel: scoreLevelID,
            scores: parts.isEmpty
                ? nil
                : Dictionary(
                    parts.map {
                        ($0.id, AssessmentRecord.Part(score: shown($0.score), level: $0.levelID))
                    },
                    uniquingKeysWith: { a, _ in a }),
            route: route, response: response, parents: informParents,
            actions: actions.map {
                AssessmentRecord.Action(
                    id: $0.id, role: $0.role, reportedTo: $0.reportedTo, due: $0.due, overdueDays: $0.overdueDays)
            },
            fired: fired, escalations: escalations.map(rule), caps: caps.map(rule),
            calendar: calendarEffects.map {
                AssessmentRecord.Effect(
                    window: $0.window, factor: AssessmentRecord.rounded($0.factor), indicators: $0.indicators)
            },
            notice: notice)
    }

    /// Encodes the assessment as its ``record``: what this view shows, in the versioned JSON shape.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
    }
}

extension AssessmentRecord {
    /// Rounded to two decimals, as every output writes a number.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

/// A date in JSON: a `YYYY-MM-DD` string, as every output writes one.
extension CivilDate: Codable {
    /// Reads a `YYYY-MM-DD` string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "found \"\(text)\"; expected a date YYYY-MM-DD")
        }
        self = date
    }

    /// Writes a `YYYY-MM-DD` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ParentNotice: Codable {}

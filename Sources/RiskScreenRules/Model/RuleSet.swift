/// A loaded, checked and compiled rule set: the schema, indicators, calendar, levels, escalations and caps.
///
/// Load one with ``RuleSet/load(from:)``; score records with `ScoringEngine`.
public struct RuleSet: Sendable {
    /// The rule set's id.
    public let id: String
    /// Its name, for reports.
    public let name: String
    /// The ids of the rule sets it extends, nearest first.
    public let extends: [String]
    /// Notes of the authors (for example, which seed rows were left out and why).
    public let notes: [String]
    /// The record schema.
    public let schema: Schema
    /// Named parameters with their final values.
    public let parameters: [Parameter]
    /// Roles of the four-level network.
    public let roles: [Role]
    /// Calendar windows.
    public let windows: [CalendarWindow]
    /// Calendar effects (multipliers inside windows).
    public let effects: [CalendarEffect]
    /// Levels, lowest first.
    public let levels: [Level]
    /// The dimensions indicators belong to (``Dimension/standard`` when the rule set declares none).
    public let dimensions: [Dimension]
    /// The rule set's several scores (`scores:`), each reaching levels by its own thresholds; empty for a rule set of
    /// one score (the sum of every indicator's points).
    public let scores: [ScoreDefinition]
    /// How the scores' levels give the level before caps and escalations (with several scores).
    public let scoreCombination: ScoreCombination
    /// Risk indicators and protective factors, in the order written (the order every index into indicators
    /// counts in); ``riskIndicators`` and ``protectiveFactors`` tell them apart.
    public let indicators: [Indicator]
    /// The indicators that add risk points (display-only ones included), in the order written.
    public var riskIndicators: [Indicator] { indicators.filter { !$0.isProtective } }
    /// The protective factors, which subtract points, in the order written.
    public var protectiveFactors: [Indicator] { indicators.filter(\.isProtective) }
    /// Escalations (floors).
    public let escalations: [LevelRule]
    /// Caps (ceilings).
    public let caps: [LevelRule]
    /// Rules over the cohort, applied when a batch is scored.
    public let cohortRules: [CohortRule]
    /// Duties with due dates (`actions:`).
    public let actions: [ActionRule]
    /// The notice shown with every result, and the texts for an empty route and for `parents: no`.
    public let texts: RuleSetTexts
    /// Warnings found while loading (an indicator that can never change an outcome, …).
    public let warnings: [Diagnostic]
    /// The files read, in order.
    public let files: [String]

    /// The month and day the academic year starts.
    package let academicYearStart: (month: Int, day: Int)
    /// Per indicator, the index of the score it adds to (`score:`); empty for a rule set of one score. A display-only
    /// indicator that names no score has 0: it adds no points to any.
    package let indicatorScores: [Int]
    /// Indicator indices in an order where every indicator comes after those its condition names.
    package let evaluationOrder: [Int]

    /// Loads a rule set from a directory of YAML files or from one file, following `extends`.
    public static func load(from path: String) throws(RuleSetError) -> RuleSet {
        try RuleSetLoader.load(path: path)
    }

    /// Loads a rule set of one file from its bytes, reading nothing from disk: `file` names it in diagnostics, and
    /// `extends` is refused. Fuzz targets and tests use it without scratch files.
    package static func load(yaml bytes: [UInt8], file: String) throws(RuleSetError) -> RuleSet {
        try RuleSetLoader.load(yaml: bytes, file: file)
    }

    /// The level with this id.
    public func level(named id: String) -> Level? { levels.first { $0.id == id } }

    /// The score with this id (of a rule set with several scores).
    public func score(named id: String) -> ScoreDefinition? { scores.first { $0.id == id } }

    /// The indicator with this id.
    public func indicator(named id: String) -> Indicator? { indicators.first { $0.id == id } }
}

extension RuleSet {
    /// The role with this id (as `roles:` declares it), or nil when the rule set has none by that id.
    public func role(named id: String) -> Role? { roles.first { $0.id == id } }

    /// A reader who sees no sensitive facts: the rule set's first such role, or an anonymous `reader`. What the
    /// command shows without `--audience`, and what ``Audience/leastPrivileged`` shows.
    public var leastPrivilegedRole: Role {
        roles.first { !$0.seesSensitive }
            ?? Role(id: "reader", label: Label(zh: "读者", en: "Reader"), seesSensitive: false)
    }
}

/// The screening result for one student: score, level, route, and every reason behind them.
///
/// An assessment is a screening result for a counsellor to verify, never a diagnosis (000 §四(一)1 核实,
/// 004 §四(一)2 研判会商); ``Assessment/notice`` says so wherever it is shown.
public struct Assessment: Sendable {
    /// Shown with every assessment.
    public static let notice = "筛查结果，须经辅导员核实，不是诊断。Screening result for a counsellor to verify; not a diagnosis."

    /// The student's id.
    public let studentID: String
    /// The as-of date it was scored for.
    public let asOf: CivilDate
    /// Risk points minus protective points, after calendar multipliers.
    public let score: Double
    /// The final level's rank (0 for the lowest).
    public let levelRank: Int
    /// The rank of the level the score alone gives.
    let scoreLevelRank: Int
    /// The rule set's texts, shared by every assessment of a batch: an assessment stores indices into it, and the
    /// texts are looked up when read, so scoring copies (and reference-counts) no text per student.
    let sheet: AssessmentSheet
    /// The indicators that fired, in rule-set order.
    let firedEntries: [FiredEntry]
    /// The evidence values of the fired indicators, in order (each entry's evidence starts at its `evidenceStart`), as
    /// numbers: they are written out as text when read.
    let evidenceValues: [Double]
    /// The caps, escalations and cohort rules that held, in that order.
    let ruleEntries: [RuleEntry]
    /// True when the assessment is shown to a role that may not see sensitive facts (``visible(to:)``).
    let withholdsSensitive: Bool

    /// An indicator that fired: its index in the rule set, its points and where its evidence values start.
    struct FiredEntry: Sendable {
        var indicator: Int32
        var evidenceStart: Int32
        var points: Double
    }

    /// A cap, escalation or cohort rule that held: which one, and whether it changed the level.
    struct RuleEntry: Sendable {
        var kind: LevelRule.Kind
        var index: Int32
        var changedLevel: Bool
    }

    /// The final level's id.
    public var level: String { sheet.levels[levelRank].id }
    /// The level the score alone gives, before caps and escalations.
    public var scoreLevel: String { sheet.levels[scoreLevelRank].id }
    /// The roles that must act.
    public var route: [String] { sheet.levels[levelRank].route }
    /// What they must do.
    public var response: String { sheet.levels[levelRank].response }
    /// Whether parents are informed at this level.
    public var informParents: ParentNotice { sheet.levels[levelRank].informParents }

    /// Indicators and protective factors that fired, in rule-set order (built from the stored indices on each read).
    public var fired: [FiredIndicator] {
        firedEntries.map { entry in
            let indicator = sheet.indicators[Int(entry.indicator)]
            let multiplier = sheet.multiplier[Int(entry.indicator)]
            let basePoints = multiplier == 0 ? 0 : entry.points / multiplier
            if withholdsSensitive && indicator.isSensitive {
                return FiredIndicator(
                    id: "withheld", label: Self.withheldLabel, dimension: indicator.dimension, points: entry.points,
                    basePoints: basePoints, multiplier: multiplier, source: nil, evidence: [], sensitive: true)
            }
            let evidence = indicator.evidence.indices.map { position in
                let item = indicator.evidence[position]
                let value =
                    withholdsSensitive && item.sensitive
                    ? "withheld" : item.value.format(evidenceValues[Int(entry.evidenceStart) + position])
                return EvidenceItem(label: item.label, value: value, sensitive: item.sensitive)
            }
            return FiredIndicator(
                id: indicator.id, label: indicator.label, dimension: indicator.dimension, points: entry.points,
                basePoints: basePoints, multiplier: multiplier, source: indicator.source, evidence: evidence,
                sensitive: indicator.isSensitive)
        }
    }

    /// Escalations whose condition held, then cohort rules that reached the student.
    public var escalations: [AppliedRule] { ruleEntries.filter { $0.kind != .cap }.map(appliedRule) }
    /// Caps whose condition held.
    public var caps: [AppliedRule] { ruleEntries.filter { $0.kind == .cap }.map(appliedRule) }

    /// Calendar effects in force on the as-of date that touched a fired indicator.
    public var calendarEffects: [AppliedEffect] {
        sheet.activeEffects.compactMap { effect in
            let touched = firedEntries.filter { effect.indicatorIndices.contains(Int($0.indicator)) }
            guard !touched.isEmpty else { return nil }
            return AppliedEffect(
                window: effect.window, factor: effect.factor,
                indicators: touched.map { entry in
                    let indicator = sheet.indicators[Int(entry.indicator)]
                    return withholdsSensitive && indicator.isSensitive ? "withheld" : indicator.id
                })
        }
    }

    /// A held rule as it is shown, withheld when sensitive and the assessment is shown to a role that may not see it.
    private func appliedRule(_ entry: RuleEntry) -> AppliedRule {
        let rule = sheet.rule(entry)
        if withholdsSensitive && rule.sensitive {
            return AppliedRule(
                id: "withheld", kind: entry.kind, level: sheet.levels[rule.level].id, reason: Self.withheldLabel.description,
                source: nil, changedLevel: entry.changedLevel, sensitive: true)
        }
        return AppliedRule(
            id: rule.id, kind: entry.kind, level: sheet.levels[rule.level].id, reason: rule.reason, source: rule.source,
            changedLevel: entry.changedLevel, sensitive: rule.sensitive)
    }
}

/// What the assessments of one batch share: the rule set's levels, indicators and rules, and the as-of date's
/// calendar multipliers and effects. Assessments hold it by reference and their own indices into it.
final class AssessmentSheet: Sendable {
    let levels: [Level]
    let indicators: [Indicator]
    let caps: [LevelRule]
    let escalations: [LevelRule]
    let cohortRules: [CohortRule]
    /// For each indicator: the calendar multiplier in force.
    let multiplier: [Double]
    /// Effects in force on the as-of date.
    let activeEffects: [CalendarEffect]

    init(rules: RuleSet, plan: ScoringPlan) {
        levels = rules.levels
        indicators = rules.indicators
        caps = rules.caps
        escalations = rules.escalations
        cohortRules = rules.cohortRules
        multiplier = plan.multiplier
        activeEffects = plan.activeEffects
    }

    /// The texts of a held cap, escalation or cohort rule, and the level it sets.
    func rule(_ entry: Assessment.RuleEntry) -> (id: String, level: Int, reason: String, source: String?, sensitive: Bool) {
        let index = Int(entry.index)
        switch entry.kind {
        case .cap:
            let rule = caps[index]
            return (rule.id, rule.level, rule.reason, rule.source, rule.isSensitive)
        case .escalation:
            let rule = escalations[index]
            return (rule.id, rule.level, rule.reason, rule.source, rule.isSensitive)
        case .cohort:
            let rule = cohortRules[index]
            return (rule.id, rule.level, rule.reason, rule.source, false)
        }
    }
}

/// An indicator or protective factor that fired, with its points and evidence.
public struct FiredIndicator: Sendable {
    /// The indicator's id.
    public let id: String
    /// Its labels.
    public let label: Label
    /// Its dimension.
    public let dimension: Dimension
    /// Points added (negative for a protective factor), after calendar multipliers.
    public let points: Double
    /// Points before calendar multipliers.
    public let basePoints: Double
    /// The product of calendar multipliers applied.
    public let multiplier: Double
    /// The seed it comes from.
    public let source: String?
    /// The evidence to show.
    public let evidence: [EvidenceItem]
    /// True when it reads sensitive facts: roles that may not see them see only that a sensitive indicator fired.
    public let sensitive: Bool
}

/// One piece of evidence: what was looked at, and its value for this student.
public struct EvidenceItem: Sendable, Hashable {
    /// What was looked at.
    public let label: String
    /// Its value, or `withheld` for a role that may not see it.
    public let value: String
    /// True when it shows a sensitive field, event or scale.
    public let sensitive: Bool
}

/// An escalation or cap whose condition held for a student.
public struct AppliedRule: Sendable, Hashable {
    /// The rule's id.
    public let id: String
    /// Escalation or cap.
    public let kind: LevelRule.Kind
    /// The level it sets at least (escalation) or at most (cap).
    public let level: String
    /// Why.
    public let reason: String
    /// The seed it comes from.
    public let source: String?
    /// True when it changed the level.
    public let changedLevel: Bool
    /// True when its condition reads sensitive facts.
    public let sensitive: Bool
}

/// A calendar effect in force on the as-of date.
public struct AppliedEffect: Sendable, Hashable {
    /// The window.
    public let window: String
    /// The multiplier.
    public let factor: Double
    /// The fired indicators it multiplied.
    public let indicators: [String]
}

extension Assessment {
    /// The label shown in place of a sensitive indicator or rule to a role that may not see it.
    public static let withheldLabel = Label(zh: "敏感信息（仅限可查看敏感信息的角色）", en: "sensitive (shown to roles that may see sensitive facts)")

    /// The same assessment as a role sees it (002 §一(四)1 confidentiality): a role that does not see sensitive facts
    /// learns the level, the score and the points, but not which sensitive indicator or rule produced them, nor their evidence.
    public func visible(to role: Role) -> Assessment {
        if role.seesSensitive || withholdsSensitive { return self }
        return Assessment(
            studentID: studentID, asOf: asOf, score: score, levelRank: levelRank, scoreLevelRank: scoreLevelRank, sheet: sheet,
            firedEntries: firedEntries, evidenceValues: evidenceValues, ruleEntries: ruleEntries, withholdsSensitive: true)
    }

    /// Why this level, point by point, as a counsellor reads it.
    public var explanation: String {
        var lines: [String] = []
        let format = { (value: Double) in ExpressionParser.format((value * 100).rounded() / 100) }
        lines.append("\(studentID): \(level) (score \(format(score)), as of \(asOf))")
        for indicator in fired {
            var line = "  \(indicator.points >= 0 ? "+" : "")\(format(indicator.points))  \(indicator.id) \(indicator.label)"
            if indicator.multiplier != 1 { line += " [\(format(indicator.basePoints)) × \(format(indicator.multiplier))]" }
            if let source = indicator.source { line += "  — \(source)" }
            lines.append(line)
            for item in indicator.evidence { lines.append("        \(item.label): \(item.value)") }
        }
        if fired.isEmpty { lines.append("  no indicator fired") }
        lines.append("  score gives \(scoreLevel)")
        for rule in caps {
            lines.append("  cap \(rule.id): at most \(rule.level)\(rule.changedLevel ? " (applied)" : " (no change)") — \(rule.reason)")
        }
        for rule in escalations {
            lines.append("  \(rule.kind == .cohort ? "cohort rule" : "escalation") \(rule.id): at least \(rule.level)\(rule.changedLevel ? " (applied)" : " (no change)") — \(rule.reason)")
        }
        for effect in calendarEffects {
            lines.append("  calendar: \(effect.window) × \(format(effect.factor)) on \(effect.indicators.joined(separator: ", "))")
        }
        lines.append("  route: \(route.isEmpty ? "none" : route.joined(separator: " → ")); parents: \(informParents.rawValue)")
        if !response.isEmpty { lines.append("  response: \(response)") }
        lines.append("  \(Assessment.notice)")
        return lines.joined(separator: "\n")
    }
}

extension Assessment {
    /// The assessment after a cohort rule: at least the rule's level, with the rule listed among the escalations.
    func exposed(byCohortRule index: Int) -> Assessment {
        let rule = sheet.cohortRules[index]
        var entries = ruleEntries
        entries.append(RuleEntry(kind: .cohort, index: Int32(index), changedLevel: rule.level > levelRank))
        return Assessment(
            studentID: studentID, asOf: asOf, score: score, levelRank: max(levelRank, rule.level), scoreLevelRank: scoreLevelRank,
            sheet: sheet, firedEntries: firedEntries, evidenceValues: evidenceValues, ruleEntries: entries,
            withholdsSensitive: withholdsSensitive)
    }
}

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
    /// The final level's id.
    public let level: String
    /// The final level's rank (0 for the lowest).
    public let levelRank: Int
    /// The level the score alone gives, before caps and escalations.
    public let scoreLevel: String
    /// The roles that must act.
    public let route: [String]
    /// What they must do.
    public let response: String
    /// Whether parents are informed at this level.
    public let informParents: ParentNotice
    /// Indicators and protective factors that fired, in rule-set order.
    public let fired: [FiredIndicator]
    /// Escalations whose condition held.
    public let escalations: [AppliedRule]
    /// Caps whose condition held.
    public let caps: [AppliedRule]
    /// Calendar effects in force on the as-of date that touched a fired indicator.
    public let calendarEffects: [AppliedEffect]
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
        if role.seesSensitive { return self }
        let redacted = fired.map { indicator in
            guard indicator.sensitive else {
                return FiredIndicator(
                    id: indicator.id, label: indicator.label, dimension: indicator.dimension, points: indicator.points,
                    basePoints: indicator.basePoints, multiplier: indicator.multiplier, source: indicator.source,
                    evidence: indicator.evidence.map {
                        $0.sensitive ? EvidenceItem(label: $0.label, value: "withheld", sensitive: true) : $0
                    }, sensitive: false)
            }
            return FiredIndicator(
                id: "withheld", label: Self.withheldLabel, dimension: indicator.dimension, points: indicator.points,
                basePoints: indicator.basePoints, multiplier: indicator.multiplier, source: nil, evidence: [], sensitive: true)
        }
        let hide = { (rule: AppliedRule) -> AppliedRule in
            guard rule.sensitive else { return rule }
            return AppliedRule(
                id: "withheld", kind: rule.kind, level: rule.level, reason: Self.withheldLabel.description, source: nil,
                changedLevel: rule.changedLevel, sensitive: true)
        }
        let redactedEffects = calendarEffects.map { effect in
            AppliedEffect(
                window: effect.window, factor: effect.factor,
                indicators: effect.indicators.map { id in fired.first { $0.id == id }?.sensitive == true ? "withheld" : id })
        }
        return Assessment(
            studentID: studentID, asOf: asOf, score: score, level: level, levelRank: levelRank, scoreLevel: scoreLevel,
            route: route, response: response, informParents: informParents, fired: redacted,
            escalations: escalations.map(hide), caps: caps.map(hide), calendarEffects: redactedEffects)
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
    func exposed(by rule: CohortRule, levels: [Level]) -> Assessment {
        let changed = rule.level > levelRank
        let level = levels[max(levelRank, rule.level)]
        let applied = AppliedRule(
            id: rule.id, kind: .cohort, level: levels[rule.level].id, reason: rule.reason, source: rule.source,
            changedLevel: changed, sensitive: false)
        return Assessment(
            studentID: studentID, asOf: asOf, score: score, level: level.id, levelRank: level.rank, scoreLevel: scoreLevel,
            route: level.route, response: level.response, informParents: level.informParents, fired: fired,
            escalations: escalations + [applied], caps: caps, calendarEffects: calendarEffects)
    }
}

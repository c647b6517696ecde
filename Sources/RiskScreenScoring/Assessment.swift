public import RiskScreenRules
internal import RiskScreenSupport

/// The screening result for one student: score, level, route, and every reason behind them.
///
/// An assessment is a screening result for a counsellor to verify, never a diagnosis (000 §四(一)1 核实,
/// 004 §四(一)2 研判会商); ``Assessment/notice`` says so wherever it is shown.
public struct Assessment: Sendable {
    /// Shown with every assessment: the rule set's notice (``/RiskScreenRules/RuleSetTexts``), by default that this is
    /// a screening result for a counsellor to verify and not a diagnosis.
    public var notice: String { sheet.texts.notice }

    /// The student's id.
    public let studentID: String
    /// The as-of date it was scored for.
    public let asOf: CivilDate
    /// Risk points minus protective points, after calendar multipliers; NaN in a view for a role from whom something
    /// is withheld (``withheld``), since the withheld points are the score less what is shown.
    public var score: Double { redaction.showsScore ? fullScore : .nan }
    /// The score, whatever the view.
    let fullScore: Double
    /// The final level's rank (0 for the lowest).
    package let levelRank: Int
    /// The rank of the level the score alone gives.
    let scoreLevelRank: Int
    /// What the assessments scored by one thread share: the rule set's texts, and every one's fired indicators,
    /// evidence values and held rules in three arrays. An assessment stores where its own entries lie: scoring
    /// copies no text and allocates nothing per student, and texts are looked up when read.
    let sheet: AssessmentSheet
    /// Where this assessment's fired indicators lie in the sheet's `fired`.
    let firedRange: Range<Int>
    /// Where its evidence values start in the sheet's `evidence` (each fired entry's `evidenceStart` counts from
    /// here).
    let evidenceStart: Int
    /// Where its held caps and escalations lie in the sheet's `heldRules`.
    let heldRuleRange: Range<Int>
    /// Where its owed duties lie in the sheet's `actions`.
    let actionRange: Range<Int>
    /// The case facts as of the scoring date: the valid confirmation, the level set by an act, closure, leaving.
    let caseState: CaseState
    /// Cohort rules that reached the student, added after the whole batch was scored (empty for most).
    let cohortEntries: [RuleEntry]
    /// True when the assessment is shown to a role that may not see sensitive facts (``visible(to:)-(Audience)``).
    let withholdsSensitive: Bool

    /// What this view shows: everything, or what a role that may not see sensitive facts may see (``Redaction``).
    var redaction: Redaction { Redaction(self) }

    /// True when something is withheld from the role this view is for: a sensitive indicator that fired, a cap or
    /// escalation that reads sensitive facts, or a cohort rule. Formats show it as one `withheld` entry among the
    /// fired indicators, with neither dimension nor points, and withhold the score and the level by score.
    public var withheld: Bool { redaction.withholdsAnything }

    /// The indicators that fired, in rule-set order, read in place.
    var firedEntries: ArraySlice<FiredEntry> { sheet.fired[firedRange] }
    /// The held caps and escalations, then the cohort rules.
    var ruleEntries: [RuleEntry] { Array(sheet.heldRules[heldRuleRange]) + cohortEntries }
    /// Evidence value `position` of a fired entry.
    func evidenceValue(_ entry: FiredEntry, _ position: Int) -> Double {
        sheet.evidence[evidenceStart + Int(entry.evidenceStart) + position]
    }

    /// An indicator that fired: its index in the rule set, its points and where its evidence values start (from the
    /// assessment's first).
    struct FiredEntry: Sendable {
        var indicator: Int32
        var evidenceStart: Int32
        var points: Double
    }

    /// A duty owed: which one, the day it is due, and the role it is reported to now (the responsible role, or one
    /// up the network when overdue).
    struct ActionEntry: Sendable {
        var action: Int32
        var due: Int32
        var reportedTo: Int32
    }

    /// A cap, escalation or cohort rule that held: which one, and whether it changed the level.
    struct RuleEntry: Sendable {
        var kind: LevelRule.Kind
        var index: Int32
        var changedLevel: Bool
    }

    /// The screening level: what the rules propose from the evidence, floors, caps and cohort rules.
    public var level: Level { sheet.levels[levelRank] }
    /// The screening level's id.
    package var levelID: String { sheet.levels[levelRank].id }
    /// The level a person confirmed (interview 访谈 or case conference 研判会商), nil when none is in force: none
    /// recorded, dated after the as-of date, or ended by a closure.
    public var confirmedLevel: Level? {
        caseState.confirmedRank >= 0 ? sheet.levels[Int(caseState.confirmedRank)] : nil
    }
    /// Where the case stands: the screening level against the confirmed one. A view for a role that may not see
    /// sensitive facts tells a reopened case only by the facts it may see (``visible(to:)-(Audience)``).
    public var status: CaseStatus { caseState.status(screening: levelRank, seesSensitive: !withholdsSensitive) }
    /// The level the score alone gives, before caps and escalations; nil when the score is withheld (``withheld``).
    public var scoreLevel: Level? { redaction.showsScore ? sheet.levels[scoreLevelRank] : nil }
    /// The level by score's id, or `withheld`, as every output writes it.
    package var scoreLevelID: String { scoreLevel?.id ?? "withheld" }
    /// The roles that must act, given the status (``acting``).
    public var route: [String] { acting.route }
    /// What they must do, given the status.
    public var response: String { acting.response }
    /// Whether parents are informed, given the status.
    public var informParents: ParentNotice { acting.informParents }

    /// Who acts, what they do and whether parents are told, given the status:
    /// - `confirmed`, `review_lower`: the confirmed level, in full (a person decided it; a lower screening is for them
    ///   to review);
    /// - `new`: the screening level as its `unconfirmed:` says, unless an escalation that acts at once set it; joined
    ///   by the roles (in the order the roles are declared) and the parent notice of a lower level already acting
    ///   (confirmed, or set by an act). A view for a role that may not see sensitive facts counts only the escalations
    ///   that read none (``visible(to:)-(Audience)``): which response applies must not tell it that a sensitive rule
    ///   held;
    /// - `closed`, `left`: the lowest level;
    /// - `none`: the screening level.
    public var acting: LevelResponse {
        let levels = sheet.levels
        switch status.value {
        case .confirmed, .reviewLower:
            return levels[Int(caseState.confirmedRank)].response(confirmed: true)
        case .closed, .left:
            return levels[0].response(confirmed: true)
        case .none:
            return levels[levelRank].response(confirmed: true)
        case .new:
            let seesSensitive = !withholdsSensitive
            if Int(seesSensitive ? caseState.actRank : caseState.visibleActRank) >= levelRank {
                return levels[levelRank].response(confirmed: true)
            }
            let proposed = levels[levelRank].response(confirmed: false)
            let actingRank = caseState.actingRank(seesSensitive: seesSensitive)
            guard actingRank > 0 else { return proposed }
            let standing = levels[actingRank].response(confirmed: true)
            // The roles of both, in the network's order (the roles as declared).
            let joined = Set(proposed.route + standing.route)
            return LevelResponse(
                route: sheet.roles.map(\.id).filter { joined.contains($0) },
                response: proposed.response, informParents: max(proposed.informParents, standing.informParents))
        }
    }

    /// Indicators and protective factors that fired, in rule-set order (built from the stored indices on each read);
    /// those withheld from the role this view is for are left out (``withheld`` says whether there are any).
    public var fired: [FiredIndicator] {
        let redaction = redaction
        return firedEntries.compactMap { entry in
            let indicator = sheet.indicators[Int(entry.indicator)]
            let multiplier = sheet.multiplier[Int(entry.indicator)]
            let basePoints = multiplier == 0 ? 0 : entry.points / multiplier
            if redaction.hides(indicator) { return nil }
            let evidence = indicator.evidence.indices.map { position in
                let item = indicator.evidence[position]
                let value = redaction.hides(item) ? "withheld" : item.value.format(evidenceValue(entry, position))
                return EvidenceItem(label: item.label, value: value, sensitive: item.sensitive)
            }
            return FiredIndicator(
                id: indicator.id, label: indicator.label, dimension: indicator.dimension, points: entry.points,
                basePoints: basePoints, multiplier: multiplier, source: indicator.source, evidence: evidence,
                sensitive: indicator.isSensitive)
        }
    }

    /// The duties owed for the student, in rule-set order, with due dates and days overdue. A view for a role that may
    /// not see sensitive facts leaves out the duties whose condition or dates read them: even a duty shown as
    /// `withheld` would tell it which kind of sensitive fact lies behind the level (a questionnaire answer owes an
    /// interview, an act does not); the roles that owe them see them.
    public var actions: [OwedAction] {
        let seesSensitive = !withholdsSensitive
        return sheet.actions[actionRange].compactMap { entry in
            let rule = sheet.actionRules[Int(entry.action)]
            guard seesSensitive || !rule.isSensitive else { return nil }
            return OwedAction(
                id: rule.id, label: rule.label, role: rule.role, reportedTo: sheet.roles[Int(entry.reportedTo)].id,
                due: CivilDate(dayNumber: Int(entry.due)), overdueDays: max(0, asOf.dayNumber - Int(entry.due)),
                source: rule.source, sensitive: rule.isSensitive)
        }
    }

    /// Escalations whose condition held, then cohort rules that reached the student; those withheld from the role
    /// this view is for are left out.
    public var escalations: [AppliedRule] { appliedRules { $0 != .cap } }
    /// Caps whose condition held, but those withheld from the role this view is for.
    public var caps: [AppliedRule] { appliedRules { $0 == .cap } }

    /// Calendar effects in force on the as-of date that touched a fired indicator the view shows.
    public var calendarEffects: [AppliedEffect] {
        let redaction = redaction
        return sheet.activeEffects.compactMap { effect in
            // In the effect's own order; an indicator withheld from the role is left out.
            let touched = effect.indicatorIndices.filter { didFire($0) && !redaction.hides(sheet.indicators[$0]) }
            guard !touched.isEmpty else { return nil }
            return AppliedEffect(
                window: effect.window, factor: effect.factor, indicators: touched.map { sheet.indicators[$0].id })
        }
    }

    /// Whether indicator `index` fired.
    func didFire(_ index: Int) -> Bool {
        firedEntries.contains { Int($0.indicator) == index }
    }

    /// The held rules of the kinds `kind` accepts, as this view shows them.
    private func appliedRules(_ kind: (LevelRule.Kind) -> Bool) -> [AppliedRule] {
        let redaction = redaction
        return ruleEntries.filter { kind($0.kind) && !redaction.hides($0, on: sheet) }.map { entry in
            let rule = sheet.rule(entry)
            return AppliedRule(
                id: rule.id, kind: entry.kind, level: sheet.levels[rule.level], reason: rule.reason,
                source: rule.source,
                changedLevel: redaction.showsScore ? entry.changedLevel : nil, sensitive: rule.sensitive)
        }
    }
}

/// What the assessments scored by one thread share: the rule set's levels, indicators and rules, the as-of date's
/// calendar multipliers and effects, and all their fired indicators, evidence values and held caps and escalations.
/// Assessments hold it by reference and where their own entries lie in it. One assessment kept alive keeps its
/// thread's whole sheet.
final class AssessmentSheet: Sendable {
    let levels: [Level]
    /// The rule set's several scores (empty for one) and the score each indicator adds to.
    let scores: [ScoreDefinition]
    let indicatorScores: [Int]
    let indicators: [Indicator]
    let caps: [LevelRule]
    let escalations: [LevelRule]
    let cohortRules: [CohortRule]
    /// For each indicator: the calendar multiplier in force.
    let multiplier: [Double]
    /// Effects in force on the as-of date.
    let activeEffects: [CalendarEffect]
    /// The fired indicators of every assessment on the sheet, one after the other.
    let fired: [Assessment.FiredEntry]
    /// Their evidence values.
    let evidence: [Double]
    /// The caps and escalations that held.
    let heldRules: [Assessment.RuleEntry]
    /// The duties owed.
    let actions: [Assessment.ActionEntry]
    /// The rule set's duties and roles.
    let actionRules: [ActionRule]
    let roles: [Role]
    /// The rule set's notice and texts for an empty route and `parents: no`.
    let texts: RuleSetTexts
    /// The rule set's texts as a JSON result writes them, rendered once by the engine.
    let json: AssessmentJSON.RuleTexts

    init(rules: RuleSet, plan: ScoringPlan, entries: AssessmentEntries, json: AssessmentJSON.RuleTexts) {
        self.json = json
        fired = entries.fired
        evidence = entries.evidence
        heldRules = entries.heldRules
        actions = entries.actions
        actionRules = rules.actions
        roles = rules.roles
        texts = rules.texts
        levels = rules.levels
        scores = rules.scores
        indicatorScores = rules.indicatorScores
        indicators = rules.indicators
        caps = rules.caps
        escalations = rules.escalations
        cohortRules = rules.cohortRules
        multiplier = plan.multiplier
        activeEffects = plan.activeEffects
    }

    /// Whether a held cap or escalation reads sensitive facts (a cohort rule reads none of the student's).
    func ruleReadsSensitive(_ entry: Assessment.RuleEntry) -> Bool {
        switch entry.kind.value {
        case .cap: return caps[Int(entry.index)].isSensitive
        case .escalation: return escalations[Int(entry.index)].isSensitive
        case .cohort: return false
        }
    }

    /// Whether a held cap or escalation reads the score or whether a sensitive indicator fired (looked up only for a
    /// view that withholds something, so the full view pays nothing for it).
    func ruleReadsOutcome(_ entry: Assessment.RuleEntry) -> Bool {
        switch entry.kind.value {
        case .cap: return caps[Int(entry.index)].readsOutcome(of: indicators)
        case .escalation: return escalations[Int(entry.index)].readsOutcome(of: indicators)
        case .cohort: return false
        }
    }

    /// The texts of a held cap, escalation or cohort rule, and the level it sets.
    func rule(_ entry: Assessment.RuleEntry) -> (
        id: String, level: Int, reason: String, source: String?, sensitive: Bool
    ) {
        let index = Int(entry.index)
        switch entry.kind.value {
        case .cap:
            let rule = caps[index]
            return (rule.id, rule.rank, rule.reason, rule.source, rule.isSensitive)
        case .escalation:
            let rule = escalations[index]
            return (rule.id, rule.rank, rule.reason, rule.source, rule.isSensitive)
        case .cohort:
            let rule = cohortRules[index]
            return (rule.id, rule.rank, rule.reason, rule.source, false)
        }
    }
}

/// The entries of assessments being scored on one thread, gathered before their sheet is made: the fired
/// indicators, evidence values and held caps and escalations, and for each assessment its outcome and where its
/// entries lie.
struct AssessmentEntries {
    var fired: [Assessment.FiredEntry] = []
    var evidence: [Double] = []
    var heldRules: [Assessment.RuleEntry] = []
    var actions: [Assessment.ActionEntry] = []
    var drafts: [Draft] = []

    /// One assessment before it has a sheet.
    struct Draft {
        var score: Double
        var levelRank: Int32
        var scoreLevelRank: Int32
        var caseState: CaseState
        var firedStart: Int
        var evidenceStart: Int
        var heldRuleStart: Int
        var actionStart: Int
    }

    /// The assessments, in the order they were drafted, on one sheet holding the entries; `studentID` gives the
    /// id of the student drafted at a position.
    func assessments(
        rules: RuleSet, plan: ScoringPlan, json: AssessmentJSON.RuleTexts, studentID: (Int) -> String,
        into output: UnsafeMutablePointer<Assessment>
    ) {
        let firedCount = fired.count
        let heldCount = heldRules.count
        let actionCount = actions.count
        let sheet = AssessmentSheet(rules: rules, plan: plan, entries: self, json: json)
        for (position, draft) in drafts.enumerated() {
            let next = position + 1 < drafts.count ? drafts[position + 1] : nil
            (output + position).initialize(
                to: Assessment(
                    studentID: studentID(position), asOf: plan.asOf, fullScore: draft.score,
                    levelRank: Int(draft.levelRank),
                    scoreLevelRank: Int(draft.scoreLevelRank), sheet: sheet,
                    firedRange: draft.firedStart..<(next?.firedStart ?? firedCount), evidenceStart: draft.evidenceStart,
                    heldRuleRange: draft.heldRuleStart..<(next?.heldRuleStart ?? heldCount),
                    actionRange: draft.actionStart..<(next?.actionStart ?? actionCount),
                    caseState: draft.caseState, cohortEntries: [], withholdsSensitive: false))
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
    /// True when it reads sensitive facts (only roles that see them are shown it).
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

/// A duty owed for a student: who must act, by when, and how late it is.
public struct OwedAction: Sendable, Hashable {
    /// The duty's id.
    public let id: String
    /// Its labels.
    public let label: Label
    /// The role that must act.
    public let role: String
    /// The role it is reported to now: the responsible role, or one up the network after the overdue days the rule
    /// set declares per step.
    public let reportedTo: String
    /// The day it is due.
    public let due: CivilDate
    /// Days past the due date (0 when not overdue).
    public let overdueDays: Int
    /// The seed it comes from.
    public let source: String?
    /// True when its condition or dates read sensitive facts.
    public let sensitive: Bool
}

/// An escalation or cap whose condition held for a student.
public struct AppliedRule: Sendable, Hashable {
    /// The rule's id.
    public let id: String
    /// Escalation or cap.
    public let kind: LevelRule.Kind
    /// The level it sets at least (escalation) or at most (cap).
    public let level: Level
    /// Why.
    public let reason: String
    /// The seed it comes from.
    public let source: String?
    /// True when it changed the level; nil in a view that withholds the score (``Assessment/withheld``), since it
    /// would tell where the score lies.
    public let changedLevel: Bool?
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
    public static let withheldLabel = Label(
        zh: "敏感信息（仅限可查看敏感信息的角色）", en: "sensitive (shown to roles that may see sensitive facts)")

    /// The same assessment as a role sees it (002 §一(四)1 confidentiality): a role that does not see sensitive facts
    /// learns the level, what it may see, and that something is withheld, nothing that would let it work out a withheld
    /// fact (see `Redaction`: with anything withheld, the score and the level by score are withheld too).
    public func visible(to role: Role) -> Assessment { visible(to: .role(role)) }

    /// The same assessment as `audience` sees it (``visible(to:)-(Role)``); a view never shows more than the view
    /// it was made from.
    public func visible(to audience: Audience) -> Assessment {
        if audience.seesSensitive || withholdsSensitive { return self }
        return Assessment(
            studentID: studentID, asOf: asOf, fullScore: fullScore, levelRank: levelRank,
            scoreLevelRank: scoreLevelRank, sheet: sheet,
            firedRange: firedRange, evidenceStart: evidenceStart, heldRuleRange: heldRuleRange,
            actionRange: actionRange, caseState: caseState, cohortEntries: cohortEntries, withholdsSensitive: true)
    }

    /// Why this level, point by point, as a counsellor reads it. Control and bidirectional characters from records
    /// and rule files are written as visible escapes (`PrintableText`): each line is one line.
    public var explanation: String {
        var lines: [String] = []
        let format = { (value: Double) in NumberText.format((value * 100).rounded() / 100) }
        let withheld = withheld
        lines.append("\(studentID): \(level) (score \(withheld ? "withheld" : format(score)), as of \(asOf))")
        let fired = fired
        for indicator in fired {
            var line =
                "  \(indicator.points >= 0 ? "+" : "")\(format(indicator.points))  \(indicator.id) \(indicator.label)"
            if indicator.multiplier != 1 {
                line += " [\(format(indicator.basePoints)) × \(format(indicator.multiplier))]"
            }
            if let source = indicator.source { line += "  — \(source)" }
            lines.append(line)
            for item in indicator.evidence { lines.append("        \(item.label): \(item.value)") }
        }
        if withheld {
            lines.append("  withheld: \(Self.withheldLabel)")
            lines.append("  score and the level it gives: withheld")
            if !sheet.scores.isEmpty {
                lines.append("  each score and the level it gives: withheld")
            }
        } else {
            if fired.isEmpty { lines.append("  no indicator fired") }
            for part in scores {
                lines.append("  \(part.id) \(part.label): \(format(part.score)) gives \(part.levelID)")
            }
            lines.append(
                "  score gives \(scoreLevelID)"
                    + (sheet.scores.isEmpty ? "" : " (the scores' levels combined)"))
        }
        let changed = { (rule: AppliedRule) in
            switch rule.changedLevel {
            case true?: return " (applied)"
            case false?: return " (no change)"
            case nil: return ""
            }
        }
        for rule in caps {
            lines.append("  cap \(rule.id): at most \(rule.level)\(changed(rule)) — \(rule.reason)")
        }
        for rule in escalations {
            lines.append(
                "  \(rule.kind == .cohort ? "cohort rule" : "escalation") \(rule.id): at least \(rule.level)\(changed(rule)) — \(rule.reason)"
            )
        }
        for effect in calendarEffects {
            lines.append(
                "  calendar: \(effect.window) × \(format(effect.factor)) on \(effect.indicators.joined(separator: ", "))"
            )
        }
        lines.append("  " + caseLine)
        for action in actions {
            var line = "  owed \(action.id) \(action.label): \(action.role)"
            line += " by \(action.due)"
            if action.overdueDays > 0 { line += ", \(action.overdueDays) days overdue" }
            if action.reportedTo != action.role { line += ", reported to \(action.reportedTo)" }
            if let source = action.source { line += "  — \(source)" }
            lines.append(line)
        }
        let texts = sheet.texts
        let routeText = route.isEmpty ? texts.routeNone ?? "none" : route.joined(separator: " → ")
        let parentsText = informParents == .no ? texts.parentsNo ?? "no" : informParents.rawValue
        lines.append("  route: \(routeText); parents: \(parentsText)")
        if !response.isEmpty { lines.append("  response: \(response)") }
        lines.append("  \(texts.notice)")
        return lines.map(PrintableText.escaped).joined(separator: "\n")
    }
}

extension Assessment {
    /// The screening level beside the confirmed one, the status, and why the route is what it is.
    package var caseLine: String {
        let screening = "screening \(level)"
        var confirmed = confirmedLevel.map { "confirmed \($0)" } ?? "nothing confirmed"
        if caseState.confirmedRank >= 0 {
            // When, by whom and how, as the record says (none of it is sensitive: the level itself is shown).
            var how = [CivilDate(dayNumber: Int(caseState.confirmedOn)).description]
            if caseState.confirmedBy >= 0, Int(caseState.confirmedBy) < sheet.roles.count {
                how.append("by \(sheet.roles[Int(caseState.confirmedBy)].id)")
            }
            if caseState.confirmedHow >= 0, Int(caseState.confirmedHow) < CaseFacts.confirmationMethods.count {
                how.append(CaseFacts.confirmationMethods[Int(caseState.confirmedHow)])
            }
            confirmed += " (\(how.joined(separator: ", ")))"
        }
        let why: String
        switch status.value {
        case .none: why = "nothing to verify"
        case .new:
            if Int(withholdsSensitive ? caseState.visibleActRank : caseState.actRank) >= levelRank {
                why = "a rule that acts at once set \(level): it acts in full before anyone verifies it"
            } else if sheet.levels[levelRank].unconfirmed != nil {
                why = "a person must verify it; until then \(level) acts as its unconfirmed response says"
            } else {
                why = "a person must verify it"
            }
        case .confirmed: why = "a person confirmed this level"
        case .reviewLower: why = "screening is below the confirmed level: review it (lower or close the case)"
        case .closed: why = "the case is closed and no risk fact came after"
        case .left: why = "the student has left"
        }
        return "case: \(screening); \(confirmed); status \(status.rawValue) — \(why)"
    }

    /// The assessment after a cohort rule: at least the rule's level, with the rule listed among the escalations.
    func exposed(byCohortRule index: Int) -> Assessment {
        let rule = sheet.cohortRules[index]
        var entries = cohortEntries
        entries.append(RuleEntry(kind: .cohort, index: Int32(index), changedLevel: rule.rank > levelRank))
        return Assessment(
            studentID: studentID, asOf: asOf, fullScore: fullScore, levelRank: max(levelRank, rule.rank),
            scoreLevelRank: scoreLevelRank,
            sheet: sheet, firedRange: firedRange, evidenceStart: evidenceStart, heldRuleRange: heldRuleRange,
            actionRange: actionRange, caseState: caseState, cohortEntries: entries,
            withholdsSensitive: withholdsSensitive)
    }
}

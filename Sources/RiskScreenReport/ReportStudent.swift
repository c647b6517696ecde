internal import RiskScreen

/// A student of the attention list: their row in the list and their section, built only from the assessment as the
/// audience sees it (``Assessment/visible(to:)``) and the summary's entry, so the page shows what `score` and
/// `explain` show the same role, in the same words.
enum ReportStudent {
    /// A level as a badge: its id, labels and colour.
    struct Level: Sendable {
        /// The level's id.
        let levelID: String
        /// Its Chinese label.
        let levelZh: String
        /// Its English label.
        let levelEn: String
        /// Its colour.
        let levelColour: String
        /// True for the two highest levels' badges, whose colour is dark: their text is white.
        let levelDark: Bool
    }

    /// A row of the attention list.
    struct Row: Sendable {
        /// 1 for the most urgent.
        let position: String
        /// The anchor of the student's section.
        let anchor: String
        /// The student's id.
        let studentID: String
        /// The college, `—` when none.
        let college: String
        /// The class, `—` when none.
        let className: String
        /// The final level.
        let level: Level
        /// The score, or `withheld`.
        let scoreText: String
        /// The case status.
        let status: String
        /// The main reason (``Assessment/mainReason``).
        let reason: String
        /// The roles that act, `a → b`.
        let route: String
        /// The duties owed, as `score`'s CSV writes them, `—` when none.
        let duties: [String]
        /// How many of them are overdue, empty when none.
        let overdueText: String
    }

    /// An indicator that fired, as `explain` shows it.
    struct Fired: Sendable {
        /// `+3`.
        let pointsText: String
        /// Its id.
        let indicatorID: String
        /// Its label, `中文 / English`.
        let indicatorLabel: String
        /// `[2 × 1.5]` when a calendar window multiplied it, else empty.
        let multiplierText: String
        /// Where the rule file cites it from, empty when it does not.
        let sourceText: String
        /// `label: value` for each piece of evidence.
        let evidence: [String]
    }

    /// A student's section: the explanation, as `explain --audience` prints it.
    struct Section: Sendable {
        /// Its anchor.
        let sectionAnchor: String
        /// Its place in the attention list.
        let sectionPosition: String
        /// The student's id.
        let sectionStudent: String
        /// `college / class`.
        let sectionGroup: String
        /// The final level.
        let sectionLevel: Level
        /// The score, or `withheld`.
        let sectionScore: String
        /// The indicators shown.
        let fired: [Fired]
        /// The label of what is withheld; nil when nothing is.
        let withheldLabel: String?
        /// True when nothing fired and nothing is withheld.
        let noIndicator: Bool
        /// What the score gives (each score's, then the overall), empty when withheld.
        let scoreLines: [String]
        /// Caps, escalations and cohort rules that held, and calendar effects.
        let ruleLines: [String]
        /// The case: screening, confirmed level and status, and why.
        let caseText: String
        /// The duties owed.
        let owed: [String]
        /// Who acts.
        let routeText: String
        /// Whether parents are told.
        let parentsText: String
        /// The response the level asks for, nil when the rule set gives none.
        let responseText: String?
    }

    /// The badge of an assessment's final level, in a rule set of `count` levels.
    static func level(_ assessment: Assessment, levels count: Int) -> Level {
        let label = assessment.levelLabel
        return Level(
            levelID: shown(assessment.levelID), levelZh: shown(label.zh),
            levelEn: shown(label.en), levelColour: ReportChart.colour(rank: assessment.levelRank, of: count),
            levelDark: assessment.levelRank >= max(1, count - 2))
    }

    /// The roles that act, `a → b`, or the rule set's text for none.
    static func route(_ route: [String], rules: RuleSet) -> String {
        shown(route.isEmpty ? rules.texts.routeNone ?? "—" : route.joined(separator: " → "))
    }

    /// The attention list's row for `entry` (position counted from 0).
    static func row(position: Int, entry: BatchSummary.AttentionEntry, assessment: Assessment, rules: RuleSet) -> Row {
        let actions = assessment.actions
        let overdue = actions.filter { $0.overdueDays > 0 }.count
        return Row(
            position: String(position + 1), anchor: "student-\(position + 1)", studentID: shown(entry.studentID),
            college: shown(entry.college), className: shown(entry.className),
            level: level(assessment, levels: rules.levels.count),
            scoreText: entry.score.isNaN ? "withheld" : AssessmentFormatting.number(entry.score),
            status: assessment.status.rawValue, reason: shown(entry.reason), route: route(entry.route, rules: rules),
            duties: actions.isEmpty ? ["—"] : actions.map { shown(AssessmentFormatting.owed($0)) },
            overdueText: overdue == 0 ? "" : "\(overdue) overdue")
    }

    /// The section for `entry`: what ``Assessment/explanation`` says, part by part.
    static func section(position: Int, entry: BatchSummary.AttentionEntry, assessment: Assessment, rules: RuleSet)
        -> Section
    {
        let number = AssessmentFormatting.number
        let withheld = assessment.withheld
        let fired = assessment.fired.map { indicator in
            Fired(
                pointsText: AssessmentFormatting.signed(indicator.points), indicatorID: shown(indicator.id),
                indicatorLabel: shown("\(indicator.label.zh) / \(indicator.label.en)"),
                multiplierText: indicator.multiplier == 1
                    ? "" : "[\(number(indicator.basePoints)) × \(number(indicator.multiplier))]",
                sourceText: shown(indicator.source ?? ""),
                evidence: indicator.evidence.map { shown("\($0.label): \($0.value)") })
        }
        var scoreLines: [String] = []
        if !withheld {
            scoreLines = assessment.scores.map {
                shown("\($0.id) \($0.label): \(number($0.score)) gives \($0.levelID)")
            }
            scoreLines.append(
                shown(
                    "score \(number(assessment.score)) gives \(assessment.scoreLevelID)"
                        + (rules.scores.isEmpty ? "" : " (the scores' levels combined)")))
        }
        let changed = { (rule: AppliedRule) in
            switch rule.changedLevel {
            case true?: return " (applied)"
            case false?: return " (no change)"
            case nil: return ""
            }
        }
        var ruleLines = assessment.caps.map { "cap \($0.id): at most \($0.level)\(changed($0)) — \($0.reason)" }
        ruleLines += assessment.escalations.map { rule in
            "\(rule.kind == .cohort ? "cohort rule" : "escalation") \(rule.id): at least \(rule.level)"
                + "\(changed(rule)) — \(rule.reason)"
        }
        ruleLines += assessment.calendarEffects.map { effect in
            "calendar: \(effect.window) × \(number(effect.factor)) on \(effect.indicators.joined(separator: ", "))"
        }
        let owed = assessment.actions.map { action in
            var line = "\(action.id) \(action.label): \(action.role) by \(action.due)"
            if action.overdueDays > 0 { line += ", \(action.overdueDays) days overdue" }
            if action.reportedTo != action.role { line += ", reported to \(action.reportedTo)" }
            if let source = action.source { line += " — \(source)" }
            return shown(line)
        }
        let parents = assessment.informParents
        return Section(
            sectionAnchor: "student-\(position + 1)", sectionPosition: String(position + 1),
            sectionStudent: shown(entry.studentID), sectionGroup: shown("\(entry.college) / \(entry.className)"),
            sectionLevel: level(assessment, levels: rules.levels.count),
            sectionScore: withheld ? "withheld" : number(assessment.score), fired: fired,
            withheldLabel: withheld ? shown(Assessment.withheldLabel.description) : nil,
            noIndicator: fired.isEmpty && !withheld, scoreLines: scoreLines, ruleLines: ruleLines.map(shown),
            caseText: shown(assessment.caseLine), owed: owed, routeText: route(assessment.route, rules: rules),
            parentsText: shown(parents == .no ? rules.texts.parentsNo ?? "no" : parents.rawValue),
            responseText: assessment.response.isEmpty ? nil : shown(assessment.response))
    }
}

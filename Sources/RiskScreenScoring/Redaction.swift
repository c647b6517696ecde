internal import RiskScreenRules

/// What a role is shown of an assessment: the one decision that every format follows (JSON, CSV, the table,
/// `explain` and its near misses), so that none of them can show more than another (002 §一(四)1 confidentiality).
///
/// A role that may not see sensitive facts must not be able to work one out. What it is shown is a function of the
/// student's facts it may see, the final level, and whether anything is withheld at all — never of a withheld fact:
/// - Withheld are: an indicator or protective factor that reads sensitive facts (fired); a cap or escalation whose
///   condition reads them; a cohort rule that reached the student (it speaks of another student's level). All of them
///   together show as one `withheld` entry with neither dimension nor points, so neither their number nor their kind
///   nor their weight shows.
/// - When anything is withheld, the score and the level the score gives are withheld too (the withheld points are
///   their difference with what is shown); whether a shown cap or escalation changed the level is not said (it
///   depends on the score); and a cap or escalation whose condition reads the score or whether a sensitive indicator
///   fired (`score`, `fired_count()`) is withheld as well.
/// - Calendar effects list only the indicators shown; an effect that touched none of them is left out.
/// - Near misses never list a sensitive indicator, whether it fired or not: the list names none, and no gap in it
///   marks the one that fired.
///
/// A role that sees sensitive facts is shown everything.
struct Redaction: Sendable {
    /// True when the role may not see sensitive facts.
    let hidesSensitive: Bool
    /// True when something in the assessment is withheld from the role (then the score is withheld too).
    let withholdsAnything: Bool

    /// What `assessment` shows: everything, unless it was made for a role that may not see sensitive facts
    /// (``Assessment/visible(to:)``).
    init(_ assessment: Assessment) {
        hidesSensitive = assessment.withholdsSensitive
        guard hidesSensitive else {
            withholdsAnything = false
            return
        }
        let sheet = assessment.sheet
        withholdsAnything =
            !assessment.cohortEntries.isEmpty
            || assessment.firedEntries.contains { sheet.indicators[Int($0.indicator)].isSensitive }
            || sheet.heldRules[assessment.heldRuleRange].contains { sheet.ruleReadsSensitive($0) }
    }

    /// What an audience is shown before any student is scored: the rule set's sensitive indicators are hidden from
    /// one that may not see sensitive facts (near misses and a cohort's fired sets show none of them).
    init(for audience: Audience) {
        hidesSensitive = !audience.seesSensitive
        withholdsAnything = false
    }

    /// Whether a fired indicator is withheld (it is then part of the one `withheld` entry).
    func hides(_ indicator: borrowing Indicator) -> Bool {
        hidesSensitive && indicator.isSensitive
    }

    /// Whether a piece of a shown indicator's evidence shows as `withheld`.
    func hides(_ evidence: Indicator.Evidence) -> Bool {
        hidesSensitive && evidence.sensitive
    }

    /// Whether a held cap, escalation or cohort rule is withheld.
    func hides(_ entry: Assessment.RuleEntry, on sheet: AssessmentSheet) -> Bool {
        guard hidesSensitive else { return false }
        if entry.kind == .cohort || sheet.ruleReadsSensitive(entry) { return true }
        return withholdsAnything && sheet.ruleReadsOutcome(entry)
    }

    /// Whether the score, the level it gives and whether a rule changed the level are shown.
    var showsScore: Bool { !withholdsAnything }
}

extension LevelRule {
    /// Whether the condition reads the score so far or whether one of the sensitive indicators fired: its outcome
    /// then tells something of withheld points.
    func readsOutcome(of indicators: [Indicator]) -> Bool {
        let steps = condition.code.instructions
        var index = 0
        while index < steps.count {
            let step = steps[index]
            switch step.operation {
            case .score:
                return true
            case .fired:
                if indicators.indices.contains(Int(step.a)), indicators[Int(step.a)].isSensitive { return true }
            case .firedCount, .awardedPoints:
                // The set is the next `b` steps, each a word of indicator bits.
                for word in steps.dropFirst(index + 1).prefix(Int(step.b)) {
                    var bits = word.constant.bitPattern
                    while bits != 0 {
                        let member = Int(word.a) * 64 + bits.trailingZeroBitCount
                        if indicators.indices.contains(member), indicators[member].isSensitive { return true }
                        bits &= bits - 1
                    }
                }
                index += Int(step.b)
            default:
                break
            }
            index += 1
        }
        return false
    }
}

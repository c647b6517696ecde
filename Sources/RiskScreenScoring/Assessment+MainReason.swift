public import RiskScreenRules

extension Assessment {
    /// The final level's Chinese and English labels, as the rule set's `levels:` give them.
    public var levelLabel: Label { sheet.levels[levelRank].label }

    /// The main reason for the level, as this view shows it, for a list a person reads (the attention list):
    /// - the risk indicator with the most points among those the view shows (`id +points`; on a tie the first in
    ///   rule-set order), followed by `, withheld` when something else is withheld from the view;
    /// - otherwise the first escalation or cohort rule the view shows that held (`escalation id`, `cohort id`), with
    ///   the same `, withheld`;
    /// - otherwise `withheld` when something is withheld, and `—` when nothing is.
    ///
    /// It is built only from what the view's ``fired`` and ``escalations`` already show and from ``withheld``, so it
    /// never names, counts or weighs a withheld fact (`Redaction`): a withheld indicator is never the main reason,
    /// even when it has the most points.
    public var mainReason: String {
        // The entries ``fired`` is built from, read in place: an attention list of a whole cohort would otherwise
        // build every fired indicator (and format its evidence) to keep one id.
        let redaction = redaction
        var best: (indicator: Int, points: Double)?
        for entry in firedEntries where entry.points > 0 && entry.points > (best?.points ?? 0) {
            guard !redaction.hides(sheet.indicators[Int(entry.indicator)]) else { continue }
            best = (Int(entry.indicator), entry.points)
        }
        let suffix = withheld ? ", withheld" : ""
        if let best {
            return "\(sheet.indicators[best.indicator].id) \(AssessmentFormatting.signed(best.points))" + suffix
        }
        if let rule = escalations.first { return "\(rule.kind.rawValue) \(rule.id)" + suffix }
        return withheld ? "withheld" : "—"
    }

    /// The earliest due date among the duties this view shows (``actions``), nil when none is owed.
    public var nextDue: CivilDate? { actions.map(\.due).min() }
}

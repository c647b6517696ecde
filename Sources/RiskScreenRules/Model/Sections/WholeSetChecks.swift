internal import RiskScreenSupport

/// Checks of the rule set as a whole, once every section is decoded: a level that no student can reach (by score, or
/// by rules for a level declared `reached_by: rules`), and an indicator that can never change an outcome.
struct WholeSetChecks {
    /// The levels, lowest first.
    let levels: [Level]
    /// Every indicator.
    let indicators: [Indicator]
    /// The calendar effects, whose factors above 1 raise the most points an indicator can give.
    let effects: [CalendarEffect]
    /// The rule set's several scores (empty for one), the score each indicator adds to, and how their levels combine.
    var scores: [ScoreDefinition] = []
    var indicatorScores: [Int] = []
    var scoreCombination = ScoreCombination.highest
    /// Levels an escalation or a cohort rule sets: reachable whatever the points.
    let floors: Set<Int>
    /// Levels a cap sets: a level only rules reach is reached through one when a score reaches a higher level.
    let ceilings: Set<Int>
    /// Indicators that a condition or points expression reads.
    let outcomeReferences: Set<Int>
    /// True when an escalation or cap counts fired indicators, so every risk indicator can change an outcome.
    let someRuleCountsFired: Bool

    func check(_ decoder: inout NodeDecoder) {
        if levels.isEmpty && !indicators.isEmpty {
            decoder.bag.error(
                "found indicators but no levels; expected a levels: list, lowest first", at: indicators[0].location)
        }
        // Only on a set without errors: a broken part would make them report noise.
        guard !decoder.bag.hasErrors else { return }
        checkReachability(&decoder)
        warnAboutIndicatorsWithoutEffect(&decoder)
    }

    private func checkReachability(_ decoder: inout NodeDecoder) {
        var multiplier = [Double](repeating: 1, count: indicators.count)
        for effect in effects where effect.factor > 1 {
            for index in effect.indicatorIndices { multiplier[index] *= effect.factor }
        }
        let maximum = indicators.filter { !$0.isProtective && $0.isEnabled }.reduce(0.0) {
            $0 + $1.maximumPoints * multiplier[$1.index]
        }
        if !scores.isEmpty {
            checkReachability(multiplier: multiplier, &decoder)
            return
        }
        for level in levels.dropFirst() where !level.isReachedByRulesOnly {
            guard level.threshold > maximum && !floors.contains(level.rank) else { continue }
            decoder.bag.error(
                "found level \(level.id) from \(NumberText.format(level.threshold)), which no student can reach: all indicators together give at most \(NumberText.format(maximum)) and no escalation sets it; expected a lower threshold or an escalation",
                at: level.location)
        }
        // A level only rules reach: an escalation or cohort rule raises a student to it, or a cap lowers to it a student
        // whose score reaches a higher level.
        for level in levels.dropFirst() where level.isReachedByRulesOnly && !floors.contains(level.rank) {
            let lowersToIt =
                ceilings.contains(level.rank)
                && levels.dropFirst(level.rank + 1).contains { !$0.isReachedByRulesOnly && $0.threshold <= maximum }
            if lowersToIt { continue }
            decoder.bag.error(
                "found level \(level.id) reached only by rules, which no student can reach: no escalation or cohort rule sets it"
                    + (ceilings.contains(level.rank) ? " and no score reaches a level above the cap that sets it" : "")
                    + "; expected an escalation or cohort rule with level: \(level.id)",
                at: level.location)
        }
    }

    /// With several scores: a level some score's `from` names is reached when that score's indicators together can
    /// give its threshold (or a combination table gives it, or an escalation sets it); a level only rules reach as
    /// with one score.
    private func checkReachability(multiplier: [Double], _ decoder: inout NodeDecoder) {
        var maximum = [Double](repeating: 0, count: scores.count)
        for indicator in indicators where !indicator.isProtective && indicator.isEnabled {
            maximum[indicatorScores[indicator.index]] += indicator.maximumPoints * multiplier[indicator.index]
        }
        var byTable: Set<Int> = []
        if case .table(let table, _) = scoreCombination { byTable = Set(table.map(Int.init)) }
        func reachedByPoints(_ rank: Int) -> Bool {
            scores.contains { $0.thresholds[rank] <= maximum[$0.index] }
        }
        for level in levels.dropFirst() where !level.isReachedByRulesOnly {
            guard !reachedByPoints(level.rank) && !floors.contains(level.rank) && !byTable.contains(level.rank)
            else { continue }
            let most = scores.map { "\($0.id) \(NumberText.format(maximum[$0.index]))" }.joined(separator: ", ")
            decoder.bag.error(
                "found level \(level.id), which no student can reach: its scores' indicators together give at most "
                    + most + " and no escalation sets it; expected a lower threshold or an escalation",
                at: level.location)
        }
        for level in levels.dropFirst() where level.isReachedByRulesOnly && !floors.contains(level.rank) {
            let lowersToIt =
                ceilings.contains(level.rank)
                && levels.dropFirst(level.rank + 1).contains { !$0.isReachedByRulesOnly && reachedByPoints($0.rank) }
            if lowersToIt { continue }
            decoder.bag.error(
                "found level \(level.id) reached only by rules, which no student can reach: no escalation or cohort rule sets it"
                    + (ceilings.contains(level.rank) ? " and no score reaches a level above the cap that sets it" : "")
                    + "; expected an escalation or cohort rule with level: \(level.id)",
                at: level.location)
        }
    }

    private func warnAboutIndicatorsWithoutEffect(_ decoder: inout NodeDecoder) {
        // A display-only indicator is meant to change no outcome: it fires to be shown and tested.
        for indicator in indicators
        where indicator.isEnabled && indicator.maximumPoints == 0 && !indicator.isDisplayOnly {
            let counted = someRuleCountsFired && !indicator.isProtective
            if !counted && !outcomeReferences.contains(indicator.index) {
                decoder.bag.warning(
                    "found the indicator \(indicator.id) with no points that no escalation, cap or indicator names; it can never change an outcome",
                    at: indicator.location)
            }
        }
        for indicator in indicators where indicator.isEnabled && indicator.condition?.constant == .false {
            decoder.bag.warning(
                "found the indicator \(indicator.id), whose condition can never hold; it can never change an outcome",
                at: indicator.location)
        }
    }
}

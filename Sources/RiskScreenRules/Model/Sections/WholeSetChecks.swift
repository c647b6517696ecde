internal import RiskScreenSupport

/// Checks of the rule set as a whole, once every section is decoded: a level that no student can reach (by score, or
/// by rules for a level declared `reached_by: rules`), an indicator that can never change an outcome, and a row of
/// `combine: table` that can never apply.
struct WholeSetChecks {
    /// The levels, lowest first.
    let levels: [Level]
    /// Every indicator.
    let indicators: [Indicator]
    /// The calendar effects, whose factors above 1 raise the most points an indicator can give.
    let effects: [CalendarEffect]
    /// The rule set's several scores (empty for one), the score each indicator adds to, and the rows of their
    /// `combine: table` (none for `combine: highest`).
    var scores: [ScoreDefinition] = []
    var indicatorScores: [Int] = []
    var combinationRows: [ScoreSection.CombinationRow] = []
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
                .missingKey, "found indicators but no levels; expected a levels: list, lowest first",
                at: indicators[0].location)
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
                .unreachable,
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
                .unreachable,
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
        func reachedByPoints(_ rank: Int) -> Bool {
            scores.contains { $0.thresholds[rank] <= maximum[$0.index] }
        }
        // A table row gives its level only when each score can be at the level the row names for it (a combination
        // it does not list gives the highest of them, a level some score reaches by points).
        var byTable: Set<Int> = []
        for row in combinationRows {
            let unreachable = scores.indices.filter { scores[$0].thresholds[row.ranks[$0]] > maximum[$0] }
            if unreachable.isEmpty { byTable.insert(row.result) }
            for index in unreachable {
                decoder.bag.warning(
                    .unreachable,
                    Self.unreachableRowMessage(
                        score: scores[index], level: levels[row.ranks[index]], maximum: maximum[index]),
                    at: row.locations[index])
            }
        }
        for level in levels.dropFirst() where !level.isReachedByRulesOnly {
            guard !reachedByPoints(level.rank) && !floors.contains(level.rank) && !byTable.contains(level.rank)
            else { continue }
            let most = scores.map { "\($0.id) \(NumberText.format(maximum[$0.index]))" }.joined(separator: ", ")
            decoder.bag.error(
                .unreachable,
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
                .unreachable,
                "found level \(level.id) reached only by rules, which no student can reach: no escalation or cohort rule sets it"
                    + (ceilings.contains(level.rank) ? " and no score reaches a level above the cap that sets it" : "")
                    + "; expected an escalation or cohort rule with level: \(level.id)",
                at: level.location)
        }
    }

    /// Why a row of `combine: table` can never apply: the level it names for `score` is one the score cannot be at.
    static func unreachableRowMessage(score: ScoreDefinition, level: Level, maximum: Double) -> String {
        let why =
            score.thresholds[level.rank].isInfinite
            ? "level \(level.id) has no from: for \(score.id), so \(score.id) never reaches it"
            : "\(score.id)'s indicators together give at most \(NumberText.format(maximum)) and level \(level.id) is "
                + "from \(NumberText.format(score.thresholds[level.rank])) for \(score.id)"
        return "found \(score.id): \(level.id) in a row of combine: table, a level \(score.id) cannot be at: " + why
            + " (escalations and caps set the level, never a score's level); this row can never apply"
    }

    private func warnAboutIndicatorsWithoutEffect(_ decoder: inout NodeDecoder) {
        // A display-only indicator is meant to change no outcome: it fires to be shown and tested.
        for indicator in indicators
        where indicator.isEnabled && indicator.maximumPoints == 0 && !indicator.isDisplayOnly {
            let counted = someRuleCountsFired && !indicator.isProtective
            if !counted && !outcomeReferences.contains(indicator.index) {
                decoder.bag.warning(
                    .unusedDefinition,
                    "found the indicator \(indicator.id) with no points that no escalation, cap or indicator names; it can never change an outcome",
                    at: indicator.location)
            }
        }
        for indicator in indicators where indicator.isEnabled && indicator.condition?.constant == .false {
            decoder.bag.warning(
                .neverHolds,
                "found the indicator \(indicator.id), whose condition can never hold; it can never change an outcome",
                at: indicator.location)
        }
    }
}

public import RiskScreenRules

/// One of a rule set's several scores for one student (risk to self, risk to others, …): the sum of the points of
/// its own fired indicators, and the level that sum gives by the score's own thresholds.
public struct ScoreOutcome: Sendable, Hashable {
    /// The score's id.
    public let id: String
    /// Its labels.
    public let label: Label
    /// The sum of its fired indicators' points (protective factors subtract theirs), after calendar multipliers; NaN
    /// in a view that withholds the score (``Assessment/withheld``).
    public let score: Double
    /// The level the score reaches by its own thresholds, before the scores combine and before caps and
    /// escalations; nil in a view that withholds the score.
    public let level: Level?
}

extension Assessment {
    /// Each of the rule set's several scores (empty for a rule set of one score), in the order `scores:` declares
    /// them. A view that withholds the score withholds each of these too: a score's sum or level less what is shown
    /// would tell a withheld indicator's points.
    public var scores: [ScoreOutcome] {
        let definitions = sheet.scores
        if definitions.isEmpty { return [] }
        let ranks = scoreLevelRanks
        let shows = redaction.showsScore
        return definitions.map { definition in
            ScoreOutcome(
                id: definition.id, label: definition.label, score: shows ? ranks.sums[definition.index] : .nan,
                level: shows ? sheet.levels[ranks.levels[definition.index]] : nil)
        }
    }

    /// Each score's sum and level rank, from the fired entries in rule-set order (the order the engine adds them in,
    /// so the sums are the same to the last bit).
    var scoreLevelRanks: (sums: [Double], levels: [Int]) {
        var sums = [Double](repeating: 0, count: sheet.scores.count)
        for entry in firedEntries { sums[sheet.indicatorScores[Int(entry.indicator)]] += entry.points }
        return (sums, sheet.scores.map { $0.levelRank(for: sums[$0.index]) })
    }
}

extension ScoreOutcome {
    /// The level's id, or `withheld`, as every output writes it.
    package var levelID: String { level?.id ?? "withheld" }
}

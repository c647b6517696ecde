public import RiskScreenRules

extension BatchSummary {
    /// One of several scores in a batch: how many students its own thresholds put at each level, by college and class
    /// (``ScoreOutcome/level``, before the scores combine and before caps and escalations).
    ///
    /// Counted from each assessment as the summary's role sees it: where the view withholds the score, it withholds
    /// each score's level too, and the student counts as `withheld`.
    public struct ScoreCounts: Sendable, Hashable {
        /// The score's id.
        public let id: String
        /// Its labels.
        public let label: Label
        /// Per group, in the order of ``BatchSummary/groups``: students at each level (indexed like
        /// ``BatchSummary/levels``), then those whose score is withheld.
        public let groups: [[Int]]
        /// The same over the whole batch.
        public let totals: [Int]
    }

    /// Counts each score's level per group as the assessments come.
    struct ScoreTally: Sendable {
        let scores: [ScoreDefinition]
        /// Levels, then `withheld`.
        let columns: Int
        /// `counts[group][score][column]`.
        var counts: [[[Int]]] = []

        init(scores: [ScoreDefinition], levels: Int) {
            self.scores = scores
            columns = levels + 1
        }

        /// Counts `view` (an assessment as the role sees it) in `group`, `delta` times (-1 takes it back).
        mutating func add(_ view: Assessment, group: Int, by delta: Int = 1) {
            while counts.count <= group {
                counts.append([[Int]](repeating: [Int](repeating: 0, count: columns), count: scores.count))
            }
            let shown = view.redaction.showsScore
            let ranks = shown ? view.scoreLevelRanks.levels : []
            for score in scores.indices {
                let column = shown ? min(max(ranks[score], 0), columns - 2) : columns - 1
                counts[group][score][column] += delta
            }
        }

        /// Adds the counts of `other`, whose group `g` is this tally's `groupMap[g]`.
        mutating func merge(_ other: ScoreTally, groupMap: [Int]) {
            for (group, perScore) in other.counts.enumerated() {
                let target = groupMap[group]
                while counts.count <= target {
                    counts.append([[Int]](repeating: [Int](repeating: 0, count: columns), count: scores.count))
                }
                for (score, row) in perScore.enumerated() {
                    for (column, count) in row.enumerated() { counts[target][score][column] += count }
                }
            }
        }

        /// The counts per score, groups in `groupOrder`.
        func counts(groupOrder: [Int]) -> [ScoreCounts] {
            scores.indices.map { score in
                let groups = groupOrder.map { counts.indices.contains($0) ? counts[$0][score] : zeros }
                let totals = groups.reduce(zeros) { sum, row in zip(sum, row).map(+) }
                return ScoreCounts(id: scores[score].id, label: scores[score].label, groups: groups, totals: totals)
            }
        }

        private var zeros: [Int] { [Int](repeating: 0, count: columns) }
    }
}

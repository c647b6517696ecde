internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes a rule set's several scores: `scores:` (each an id and a label), which score each indicator and protective
/// factor adds to (`score:`), and how the scores' levels combine into the level before caps and escalations
/// (`combine:`). A rule set that declares no `scores:` has one score, and may write neither `score:` nor `combine:`.
struct ScoreSection {
    /// The merged `scores:` of every layer.
    let table: Definitions.Table

    /// The declared scores, without thresholds yet (the levels give them); empty for a rule set of one score.
    func decode(_ decoder: inout NodeDecoder) -> [ScoreDefinition] {
        var scores: [ScoreDefinition] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "score \(id)", allowed: ["id", "label", "note"], required: ["id", "label"])
            else { continue }
            scores.append(
                ScoreDefinition(
                    id: id, label: decoder.label(entries["label"]?.value, fallback: id), index: scores.count,
                    thresholds: [], location: node.location))
        }
        if scores.count == 1 {
            decoder.bag.error(
                .invalidValue,
                "found one score (\(scores[0].id)) in scores:; expected two or more (a rule set of one score declares "
                    + "no scores:)", at: scores[0].location)
        }
        return scores
    }

    /// The score each indicator adds to, by indicator index (empty for a rule set of one score): every indicator and
    /// protective factor names one of `scores` with `score:`, except a display-only indicator, which may name none.
    static func indicatorScores(
        indicators: [Indicator], nodes: (Indicator) -> YAMLNode?, scores: [ScoreDefinition],
        _ decoder: inout NodeDecoder
    ) -> [Int] {
        let ids = scores.map(\.id)
        var result: [Int] = []
        for indicator in indicators {
            let kind = indicator.isProtective ? "protective factor" : "indicator"
            let node = nodes(indicator)
            let written = node?.entries?.first { $0.key == "score" }
            // Without scores, `score:` is an unknown key of the indicator (reported as such).
            if scores.isEmpty { continue }
            // A display-only indicator gives no points and nothing reads it: it needs no score (the first is recorded,
            // to which it adds nothing). One that names a score is checked all the same.
            if indicator.isDisplayOnly && (written?.value.isNull ?? true) {
                result.append(0)
                continue
            }
            guard let written, let name = written.value.scalar, !written.value.isNull else {
                decoder.bag.error(
                    .missingKey,
                    "found no score on the \(kind) \(indicator.id); expected score: one of \(ids.joined(separator: ", "))",
                    at: written?.value.location ?? indicator.location)
                result.append(0)
                continue
            }
            guard let index = ids.firstIndex(of: name) else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown score \"\(name)\" on the \(kind) \(indicator.id); expected one of: "
                        + ids.joined(separator: ", ") + Suggestion.hint(for: name, in: ids),
                    at: written.value.location)
                result.append(0)
                continue
            }
            result.append(index)
        }
        return result
    }

    /// One row of `combine: table` as written, for the checks of the whole set (``WholeSetChecks``).
    struct CombinationRow {
        /// Per score, in the order of `scores:`, the rank of the level the row names for it.
        var ranks: [Int]
        /// Per score, where the row names its level.
        var locations: [SourceLocation]
        /// The rank of the level the row gives.
        var result = 0
    }

    /// `combine: highest` (the default) or `combine: {table: [{SCORE: LEVEL, …, level: LEVEL}, …]}`: every row names a
    /// level for each score and the level they give; a combination no row lists gives the highest of its levels. The
    /// rows come back as written, for the checks of the whole set (none for `highest`, or when a row has an error).
    static func combination(
        _ node: YAMLNode?, scores: [ScoreDefinition], levels: [Level], _ decoder: inout NodeDecoder
    ) -> (combination: ScoreCombination, rows: [CombinationRow]) {
        guard let node, !node.isNull else { return (.highest, []) }
        if scores.isEmpty {
            decoder.bag.error(
                .misplaced,
                "found combine: in a rule set without scores:; expected combine: only with two or more scores",
                at: node.location)
            return (.highest, [])
        }
        if node.scalar == "highest" { return (.highest, []) }
        guard let entries = decoder.fields(node, "combine", allowed: ["table"], required: ["table"]),
            let tableNode = entries["table"]?.value
        else { return (.highest, []) }
        guard let rows = tableNode.items else {
            decoder.bag.error(
                .typeMismatch,
                "found \(tableNode.kindDescription) for the table of combine; expected a list of rows such as "
                    + "{\(scores.map { "\($0.id): LEVEL" }.joined(separator: ", ")), level: LEVEL}",
                at: tableNode.location)
            return (.highest, [])
        }
        // Combinations past this many make a table nobody reads; the engine keeps every one in a flat array.
        let levelCount = max(1, levels.count)
        var size = 1
        for _ in scores {
            size *= levelCount
            if size > 65_536 {
                decoder.bag.error(
                    .limitExceeded,
                    "found \(scores.count) scores of \(levelCount) levels for combine: table; expected at most 65536 "
                        + "combinations (use combine: highest)", at: node.location)
                return (.highest, [])
            }
        }
        // Unlisted combinations: the highest of the scores' levels.
        var table = [Int32](repeating: 0, count: size)
        for position in 0..<size {
            var rest = position
            var highest = 0
            for _ in scores {
                highest = max(highest, rest % levelCount)
                rest /= levelCount
            }
            table[position] = Int32(highest)
        }
        let allowed = scores.map(\.id) + ["level"]
        var seen: [Int: SourceLocation] = [:]
        var failed = false
        var written: [CombinationRow] = []
        for rowNode in rows {
            guard let fields = decoder.fields(rowNode, "a row of combine: table", allowed: allowed, required: allowed)
            else {
                failed = true
                continue
            }
            var position = 0
            var complete = true
            var entry = CombinationRow(ranks: [], locations: [])
            for score in scores {
                guard let rank = decoder.level(fields[score.id]?.value, "\(score.id) in combine: table", in: levels)
                else {
                    complete = false
                    continue
                }
                if levels[rank].isReachedByRulesOnly {
                    decoder.bag.error(
                        .misplaced,
                        "found level \(levels[rank].id), which only rules reach, for \(score.id) in combine: table; "
                            + "expected a level a score reaches",
                        at: fields[score.id]?.value.location ?? rowNode.location)
                    complete = false
                }
                position = position * levelCount + rank
                entry.ranks.append(rank)
                entry.locations.append(fields[score.id]?.value.location ?? rowNode.location)
            }
            guard let result = decoder.level(fields["level"]?.value, "level in combine: table", in: levels),
                complete
            else {
                failed = true
                continue
            }
            if levels[result].isReachedByRulesOnly {
                decoder.bag.error(
                    .misplaced,
                    "found level \(levels[result].id), which only rules reach (reached_by: rules), as the level of a "
                        + "row of combine: table; expected a level scores reach (an escalation reaches the other)",
                    at: fields["level"]?.value.location ?? rowNode.location)
                failed = true
                continue
            }
            if let first = seen[position] {
                decoder.bag.error(
                    .duplicateID,
                    "found a second row for the same combination in combine: table (the first at \(first)); expected "
                        + "each combination once", at: rowNode.location)
                failed = true
                continue
            }
            seen[position] = rowNode.location
            table[position] = Int32(result)
            entry.result = result
            written.append(entry)
        }
        return failed ? (.highest, []) : (.table(levels: table, levelCount: levelCount), written)
    }
}

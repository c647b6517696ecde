internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `levels:`, lowest first: each from a rising threshold (the first from any score), or reached by rules only
/// (`reached_by: rules`: no score reaches it), with its route through the roles, its response and whether parents are
/// told (`ruleset: level_defaults:` where a level writes none).
struct LevelSection {
    /// The merged `levels:` of every layer.
    let table: Definitions.Table
    /// The roles a route may name.
    let roles: [Role]
    /// Parameter values: `from` may name one.
    let parameters: [String: Double]
    /// The merged `ruleset: level_defaults:`: its `route` and `parents` apply to every level that writes none.
    let defaults: [String: YAMLNode.Entry]

    func decode(_ decoder: inout NodeDecoder) -> [Level] {
        var noScores: [ScoreDefinition] = []
        return decode(&decoder, scores: &noScores)
    }

    /// The levels; with several `scores` (a rule set's `scores:`), each level's `from` is a mapping of scores to
    /// thresholds (`from: {self: 3, others: 4}`), and each score gets its thresholds by level rank.
    func decode(_ decoder: inout NodeDecoder, scores: inout [ScoreDefinition]) -> [Level] {
        var levels: [Level] = []
        var scoreThresholds = [[Double]](repeating: [], count: scores.count)
        let roleIDs = Set(roles.map(\.id))
        let defaultRoute = defaults["route"].map { self.route($0.value, roleIDs: roleIDs, &decoder) } ?? []
        let defaultParents = self.parents(defaults["parents"]?.value, &decoder) ?? .no
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "level \(id)",
                    allowed: ["id", "label", "from", "reached_by", "route", "response", "parents", "unconfirmed"],
                    required: ["id"])
            else { continue }
            let isFirst = levels.isEmpty
            let fromNode = entries["from"].flatMap { $0.value.isNull ? nil : $0.value }
            let reachedByRules = self.reachedByRules(entries["reached_by"]?.value, level: id, &decoder)
            var threshold = -Double.infinity
            if reachedByRules {
                // No score reaches it: only an escalation or a cohort rule raises a student to it, or a cap lowers one
                // to it (checked with the rules, in WholeSetChecks).
                threshold = .infinity
                if isFirst {
                    decoder.bag.error(
                        .misplaced,
                        "found reached_by: rules on the first level \(id); expected the lowest level to apply from any score",
                        at: entries["reached_by"]?.value.location ?? node.location)
                } else if let fromNode {
                    decoder.bag.error(
                        .misplaced,
                        "found from on level \(id), which only rules reach (reached_by: rules); expected no from: no score reaches it",
                        at: fromNode.location)
                }
            } else if let fromNode {
                if isFirst {
                    decoder.bag.error(
                        .misplaced,
                        "found from on the first level \(id); expected the lowest level to apply from any score",
                        at: fromNode.location)
                } else if !scores.isEmpty {
                    let byScore = self.scoreThresholds(fromNode, level: id, scores: scores, &decoder)
                    threshold = byScore.min() ?? threshold
                    for index in scores.indices {
                        let value = byScore[index]
                        if value != .infinity,
                            let previous = levels.indices.last(where: { scoreThresholds[index][$0] != .infinity }),
                            previous > 0, value <= scoreThresholds[index][previous]
                        {
                            decoder.bag.error(
                                .outOfOrder,
                                "found level \(id) from \(NumberText.format(value)) for \(scores[index].id), not above "
                                    + "\(levels[previous].id) from \(NumberText.format(scoreThresholds[index][previous])); "
                                    + "expected each score's thresholds rising with each level",
                                at: fromNode.location)
                        }
                    }
                    for index in scores.indices { scoreThresholds[index].append(byScore[index]) }
                } else if fromNode.entries != nil {
                    decoder.bag.error(
                        .misplaced,
                        "found a mapping for from of level \(id) in a rule set without scores:; expected a number or a "
                            + "parameter (declare scores: to give each score its own threshold)", at: fromNode.location)
                } else if let value = decoder.number(fromNode, "from", parameters: parameters) {
                    threshold = value
                }
            } else if !isFirst {
                decoder.bag.error(
                    .missingKey,
                    "found no from on level \(id); expected from: SCORE (or a parameter), or reached_by: rules for a level only escalations and caps reach",
                    at: node.location)
            }
            if !scores.isEmpty, scoreThresholds.first.map({ $0.count == levels.count }) ?? false {
                // The first level, a level only rules reach, or one without a usable from.
                let value: Double = isFirst ? -.infinity : .infinity
                for index in scores.indices { scoreThresholds[index].append(value) }
            }
            // Thresholds rise from one level a score reaches to the next; a level only rules reach is skipped.
            if scores.isEmpty, !isFirst, threshold != -.infinity, threshold != .infinity,
                let previous = levels.last(where: { $0.threshold != .infinity }),
                threshold <= previous.threshold
            {
                decoder.bag.error(
                    .outOfOrder,
                    "found level \(id) from \(NumberText.format(threshold)), not above \(previous.id) from \(NumberText.format(previous.threshold)); expected thresholds rising with each level",
                    at: fromNode?.location ?? node.location)
            }
            let route = entries["route"].map { self.route($0.value, roleIDs: roleIDs, &decoder) } ?? defaultRoute
            let parents = self.parents(entries["parents"]?.value, &decoder) ?? defaultParents
            let response = decoder.text(entries["response"]?.value, "response") ?? ""
            var unconfirmed: LevelResponse?
            if let node = entries["unconfirmed"]?.value, !node.isNull,
                let written = decoder.fields(
                    node, "unconfirmed of level \(id)", allowed: ["route", "response", "parents"])
            {
                // What is not written acts as the level does once confirmed.
                unconfirmed = LevelResponse(
                    route: written["route"].map { self.route($0.value, roleIDs: roleIDs, &decoder) } ?? route,
                    response: decoder.text(written["response"]?.value, "response") ?? response,
                    informParents: self.parents(written["parents"]?.value, &decoder) ?? parents)
                if isFirst {
                    decoder.bag.error(
                        .misplaced,
                        "found unconfirmed on the lowest level \(id); expected it only on levels a person confirms",
                        at: node.location)
                }
            }
            levels.append(
                Level(
                    id: id, label: decoder.label(entries["label"]?.value, fallback: id), rank: levels.count,
                    threshold: threshold, route: route,
                    response: response, informParents: parents, unconfirmed: unconfirmed, location: node.location))
        }
        for index in scores.indices { scores[index] = scores[index].withThresholds(scoreThresholds[index]) }
        return levels
    }

    /// A level's `from:` with several scores: a mapping of some of them to thresholds, by score index (plus infinity
    /// for a score left out, which does not reach the level by points).
    private func scoreThresholds(
        _ node: YAMLNode, level: String, scores: [ScoreDefinition], _ decoder: inout NodeDecoder
    ) -> [Double] {
        var result = [Double](repeating: .infinity, count: scores.count)
        let ids = scores.map(\.id)
        let example = "{" + ids.prefix(2).enumerated().map { "\($1): \($0 + 3)" }.joined(separator: ", ") + "}"
        guard let entries = node.entries, !entries.isEmpty else {
            decoder.bag.error(
                .typeMismatch,
                "found \(node.kindDescription) for from of level \(level); expected a mapping of scores to thresholds, "
                    + "such as from: \(example)", at: node.location)
            return result
        }
        for entry in entries {
            guard let index = ids.firstIndex(of: entry.key) else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown score \"\(entry.key)\" in from of level \(level); expected one of: "
                        + ids.joined(separator: ", ") + Suggestion.hint(for: entry.key, in: ids), at: entry.keyLocation)
                continue
            }
            if let value = decoder.number(
                entry.value, "from of level \(level) for \(entry.key)", parameters: parameters)
            {
                result[index] = value
            }
        }
        return result
    }

    /// `reached_by: rules` (only escalations, caps and cohort rules reach the level) or `reached_by: score` (the
    /// default: its `from` does); false when not written, null or wrong (reported).
    private func reachedByRules(_ node: YAMLNode?, level: String, _ decoder: inout NodeDecoder) -> Bool {
        guard let node, !node.isNull else { return false }
        switch node.scalar {
        case "rules": return true
        case "score": return false
        default:
            decoder.bag.error(
                .invalidValue,
                "found \(node.kindDescription) for reached_by of level \(level); expected rules (only escalations, caps and cohort rules reach it) or score",
                at: node.location)
            return false
        }
    }

    /// A route: roles of the rule set, in the order the report climbs.
    private func route(_ node: YAMLNode?, roleIDs: Set<String>, _ decoder: inout NodeDecoder) -> [String] {
        var route: [String] = []
        for written in decoder.names(node, "route") {
            if roleIDs.contains(written.name) {
                route.append(written.name)
            } else {
                decoder.bag.error(
                    .unknownName,
                    "found the unknown role \"\(written.name)\"; expected one of the roles: \(roles.map(\.id).joined(separator: ", "))"
                        + Suggestion.hint(for: written.name, in: roleIDs), at: written.location)
            }
        }
        return route
    }

    /// `parents: yes`, `no` or `with_consent`; nil when not written or wrong (reported).
    private func parents(_ node: YAMLNode?, _ decoder: inout NodeDecoder) -> ParentNotice? {
        guard let node else { return nil }
        if let text = node.scalar,
            let notice = ParentNotice(rawValue: text == "true" ? "yes" : text == "false" ? "no" : text)
        {
            return notice
        }
        decoder.bag.error(
            .invalidValue, "found \(node.kindDescription) for parents; expected yes, no or with_consent",
            at: node.location)
        return nil
    }
}

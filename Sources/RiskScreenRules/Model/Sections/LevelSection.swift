internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `levels:`, lowest first: each from a rising threshold (the first from any score), with its route through
/// the roles, its response and whether parents are told.
struct LevelSection {
    /// The merged `levels:` of every layer.
    let table: Definitions.Table
    /// The roles a route may name.
    let roles: [Role]
    /// Parameter values: `from` may name one.
    let parameters: [String: Double]

    func decode(_ decoder: inout NodeDecoder) -> [Level] {
        var levels: [Level] = []
        let roleIDs = Set(roles.map(\.id))
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "level \(id)",
                    allowed: ["id", "label", "from", "route", "response", "parents", "unconfirmed"],
                    required: ["id"])
            else { continue }
            let isFirst = levels.isEmpty
            var threshold = -Double.infinity
            if let fromNode = entries["from"]?.value {
                if isFirst {
                    decoder.bag.error(
                        "found from on the first level \(id); expected the lowest level to apply from any score",
                        at: fromNode.location)
                } else if let value = decoder.number(fromNode, "from", parameters: parameters) {
                    threshold = value
                }
            } else if !isFirst {
                decoder.bag.error(
                    "found no from on level \(id); expected from: SCORE (or a parameter)", at: node.location)
            }
            if let previous = levels.last, threshold <= previous.threshold, !isFirst, threshold != -.infinity {
                decoder.bag.error(
                    "found level \(id) from \(NumberText.format(threshold)), not above \(previous.id) from \(NumberText.format(previous.threshold)); expected thresholds rising with each level",
                    at: entries["from"]?.value.location ?? node.location)
            }
            let route = self.route(entries["route"]?.value, roleIDs: roleIDs, &decoder)
            let parents = self.parents(entries["parents"]?.value, &decoder) ?? .no
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
        return levels
    }

    /// A route: roles of the rule set, in the order the report climbs.
    private func route(_ node: YAMLNode?, roleIDs: Set<String>, _ decoder: inout NodeDecoder) -> [String] {
        var route: [String] = []
        for written in decoder.names(node, "route") {
            if roleIDs.contains(written.name) {
                route.append(written.name)
            } else {
                decoder.bag.error(
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
            "found \(node.kindDescription) for parents; expected yes, no or with_consent", at: node.location)
        return nil
    }
}

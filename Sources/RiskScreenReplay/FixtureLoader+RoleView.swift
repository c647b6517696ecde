internal import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport
internal import RiskScreenYAML

/// The parts of an expectation that name roles: `route:`, `parents:` and `seen_by:`, each role checked against the
/// rule set's.
extension FixtureLoader {
    /// The keys of one role's view in `seen_by:`.
    static let roleViewKeys = ["level", "route", "parents", "fired", "withheld", "score"]

    /// Reads `route:`, `parents:` or `seen_by:` (the entry's key) into `expectation`.
    static func parseRoleParts(_ entry: YAMLNode.Entry, rules: RuleSet, into expectation: inout Expectation) -> Result<
        Void, ExpectationError
    > {
        switch entry.key {
        case "route": return parseRoute(entry.value, rules: rules, in: "route").map { expectation.route = $0 }
        case "parents": return parseParents(entry.value, in: "parents").map { expectation.parents = $0 }
        default: return parseSeenBy(entry.value, rules: rules).map { expectation.seenBy = $0 }
        }
    }

    /// What the rule set's roles are, for a message: `one of: a, b`, or that it declares none.
    private static func expectedRole(_ rules: RuleSet) -> String {
        let known = rules.roles.map(\.id)
        return known.isEmpty
            ? "no role, as the rule set \(rules.id) declares none" : "one of: \(known.joined(separator: ", "))"
    }

    /// A list of the rule set's roles (`[]` or nothing for none), in the order written; `place` names it in messages.
    private static func parseRoute(_ node: YAMLNode, rules: RuleSet, in place: String) -> Result<
        [String], ExpectationError
    > {
        knownNames(
            node, in: place, known: rules.roles.map(\.id), list: "a list of roles ([] for none)",
            name: expectedRole(rules))
    }

    /// A list of names each in `known` (nothing is an empty list), in the order written; refused at the first that is
    /// not, with a suggestion. `list` and `name` say what was expected of the whole and of one item.
    private static func knownNames(_ node: YAMLNode, in place: String, known: [String], list: String, name: String)
        -> Result<[String], ExpectationError>
    {
        if node.isNull { return .success([]) }
        guard let items = node.items else {
            return refused(at: node.location, "found \(node.kindDescription) for \(place); expected \(list)")
        }
        var names: [String] = []
        for item in items {
            guard let text = item.scalar, !item.isNull, known.contains(text) else {
                return refused(
                    at: item.location,
                    "found \(item.kindDescription) in \(place); expected \(name)"
                        + Suggestion.hint(for: item.scalar ?? "", in: known))
            }
            names.append(text)
        }
        return .success(names)
    }

    /// `yes`, `no` or `with_consent`; `place` names it in messages.
    private static func parseParents(_ node: YAMLNode, in place: String) -> Result<ParentNotice, ExpectationError> {
        let known = ParentNotice.allCases.map(\.rawValue)
        guard let text = node.scalar, !node.isNull, let notice = ParentNotice(rawValue: text) else {
            return refused(
                at: node.location,
                "found \(node.kindDescription) for \(place); expected one of: \(known.joined(separator: ", "))"
                    + Suggestion.hint(for: node.scalar ?? "", in: known))
        }
        return .success(notice)
    }

    /// `seen_by: {ROLE: {level: l, route: [...], parents: p, fired: [...], withheld: true|false, score: n|withheld}}`:
    /// each role, level and indicator must be the rule set's.
    private static func parseSeenBy(_ node: YAMLNode, rules: RuleSet) -> Result<
        [Expectation.RoleView], ExpectationError
    > {
        let members = "{\(roleViewKeys.joined(separator: ", "))}"
        guard let entries = node.entries else {
            return refused(
                at: node.location,
                "found \(node.kindDescription) for seen_by; expected a mapping of roles to \(members)")
        }
        let known = rules.roles.map(\.id)
        var views: [Expectation.RoleView] = []
        for entry in entries {
            guard known.contains(entry.key) else {
                return refused(
                    at: entry.keyLocation,
                    "found the unknown role \"\(entry.key)\" in seen_by; expected \(expectedRole(rules))"
                        + Suggestion.hint(for: entry.key, in: known))
            }
            guard let parts = entry.value.entries, !parts.isEmpty else {
                return refused(
                    at: entry.value.location,
                    "found \(entry.value.entries == nil ? entry.value.kindDescription : "an empty mapping") for \(entry.key) in seen_by; expected a mapping of one or more of \(members)"
                )
            }
            var view = Expectation.RoleView(role: entry.key)
            for part in parts {
                switch parseRoleViewPart(part, of: entry.key, rules: rules, into: &view) {
                case .success: break
                case .failure(let error): return .failure(error)
                }
            }
            views.append(view)
        }
        return .success(views)
    }

    /// One part of a role's view in `seen_by:`, read into `view`.
    private static func parseRoleViewPart(
        _ part: YAMLNode.Entry, of role: String, rules: RuleSet, into view: inout Expectation.RoleView
    ) -> Result<Void, ExpectationError> {
        let place = "\(part.key) of seen_by: \(role)"
        let value = part.value
        let text = value.isNull ? nil : value.scalar
        switch part.key {
        case "level":
            let levels = rules.levels.map(\.id)
            guard let text, rules.level(named: text) != nil else {
                return refused(
                    at: value.location,
                    "found \(value.kindDescription) for \(place); expected one of: \(levels.joined(separator: ", "))"
                        + Suggestion.hint(for: text ?? "", in: levels))
            }
            view.level = text
        case "route":
            return parseRoute(value, rules: rules, in: place).map { view.route = $0 }
        case "parents":
            return parseParents(value, in: place).map { view.parents = $0 }
        case "fired":
            // As for `fired:` itself: nothing is an empty list.
            return knownNames(
                value, in: place, known: rules.indicators.map(\.id), list: "a list of ids",
                name: "an id of the rule set"
            ).map { view.fired = $0 }
        case "withheld":
            guard let text, text == "true" || text == "false" else {
                return refused(
                    at: value.location, "found \(value.kindDescription) for \(place); expected true or false")
            }
            view.withheld = text == "true"
        case "score":
            if text == "withheld" {
                view.score = .withheld
            } else if let text, let number = Double(text), number.isFinite {
                view.score = .value(number)
            } else {
                return refused(
                    at: value.location, "found \(value.kindDescription) for \(place); expected a number or withheld")
            }
        default:
            return refused(
                at: part.keyLocation,
                "found the unknown key \"\(part.key)\" in seen_by: \(role); expected \(roleViewKeys.joined(separator: ", "))"
                    + Suggestion.hint(for: part.key, in: roleViewKeys))
        }
        return .success(())
    }
}

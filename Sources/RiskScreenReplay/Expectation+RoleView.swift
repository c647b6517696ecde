package import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport

extension Expectation {
    /// What a fixture expects one role to be shown (`seen_by: {dorm_liaison: {level: attention, withheld: true}}`): the
    /// assessment as ``/RiskScreenScoring/Assessment/visible(to:)-(Role)`` that role, as `--audience` shows it. Only
    /// the parts given are compared.
    package struct RoleView: Sendable, Hashable, CustomStringConvertible {
        /// The role's id.
        package var role: String
        /// The level it is expected to be shown, if given.
        package var level: String?
        /// Exactly the roles of the route it is expected to be shown, in order, if given.
        package var route: [String]?
        /// The parent notice it is expected to be shown, if given.
        package var parents: ParentNotice?
        /// Exactly the indicators and protective factors it is expected to be shown as fired, if given.
        package var fired: [String]?
        /// Whether something is expected to be withheld from it, if given.
        package var withheld: Bool?
        /// The score it is expected to be shown, if given.
        package var score: ShownScore?

        /// A score as a role is shown it: a number, or withheld (``/RiskScreenScoring/Assessment/withheld``).
        /// Frozen: a closed set (withheld or a value); a new case comes only with a new major version of the library.
        package enum ShownScore: Sendable, Hashable {
            /// The score is shown, with this value.
            case value(Double)
            /// The score is withheld.
            case withheld
        }

        /// Expects these parts of what `role` is shown; parts left nil are not compared.
        package init(
            role: String, level: String? = nil, route: [String]? = nil, parents: ParentNotice? = nil,
            fired: [String]? = nil, withheld: Bool? = nil, score: ShownScore? = nil
        ) {
            self.role = role
            self.level = level
            self.route = route
            self.parents = parents
            self.fired = fired
            self.withheld = withheld
            self.score = score
        }

        /// The same parts as this expectation, with the values `view` shows now.
        func recording(_ view: Assessment) -> RoleView {
            RoleView(
                role: role, level: level == nil ? nil : view.levelID, route: route == nil ? nil : view.route,
                parents: parents == nil ? nil : view.informParents, fired: fired == nil ? nil : view.fired.map(\.id),
                withheld: withheld == nil ? nil : view.withheld,
                score: score == nil ? nil : Self.shown(view.score))
        }

        /// A score as shown: withheld when it is NaN (``Assessment/score``).
        static func shown(_ score: Double) -> ShownScore {
            score.isNaN ? .withheld : .value(Expectation.recordable(score))
        }

        /// How `view` (the assessment as the role sees it) differs from this expectation, one sentence each.
        func differences(from view: Assessment) -> [String] {
            let name = "seen_by: \(role)"
            var found: [String] = []
            if let level, level != view.levelID {
                found.append("\(name) level expected \(level), got \(view.levelID)")
            }
            if let route, route != view.route {
                found.append(
                    "\(name) route expected \(Expectation.list(route)), got \(Expectation.list(view.route))")
            }
            if let parents, parents != view.informParents {
                found.append("\(name) parents expected \(parents.rawValue), got \(view.informParents.rawValue)")
            }
            if let fired {
                let shown = view.fired.map(\.id)
                let missing = fired.filter { !shown.contains($0) }
                let extra = shown.filter { !fired.contains($0) }
                var parts: [String] = []
                if !missing.isEmpty { parts.append("expected but absent: \(missing.joined(separator: ", "))") }
                if !extra.isEmpty { parts.append("present but not expected: \(extra.joined(separator: ", "))") }
                if !parts.isEmpty { found.append("\(name) fired: " + parts.joined(separator: "; ")) }
            }
            if let withheld, withheld != view.withheld {
                found.append("\(name) withheld expected \(withheld), got \(view.withheld)")
            }
            if let score {
                let shown = view.score
                switch (score, shown.isNaN) {
                case (.withheld, true): break
                case (.value(let value), false) where Expectation.sameNumber(shown, value): break
                default:
                    found.append(
                        "\(name) score expected \(Self.text(score)), got \(Self.text(Self.shown(shown)))")
                }
            }
            return found
        }

        /// A shown score as written: a number, or `withheld`.
        static func text(_ score: ShownScore) -> String {
            switch score {
            case .value(let value): return NumberText.format(value)
            case .withheld: return "withheld"
            }
        }

        /// The view as a YAML flow mapping entry, as `--record` writes it: `dorm_liaison: {level: attention, …}`.
        package var description: String {
            var parts: [String] = []
            if let level { parts.append("level: \(level)") }
            if let route { parts.append("route: \(Expectation.list(route))") }
            if let parents { parts.append("parents: \(parents.rawValue)") }
            if let fired { parts.append("fired: \(Expectation.list(fired))") }
            if let withheld { parts.append("withheld: \(withheld)") }
            if let score { parts.append("score: \(Self.text(score))") }
            return "\(role): {\(parts.joined(separator: ", "))}"
        }
    }
}

public import RiskScreenRecords
public import RiskScreenRules
package import RiskScreenScoring
public import RiskScreenSupport
internal import RiskScreenYAML

/// A fixture cohort: students with the outcome a tester expects, scored on one as-of date.
public struct Fixture: Sendable {
    /// The fixture file.
    public let path: String
    /// Its name, for reports.
    public let name: String
    /// The rule set it names (`rules:`), resolved against the fixture's directory.
    public let rulesPath: String?
    /// The as-of date its students are scored on.
    public let asOf: CivilDate
    /// The students with their expectations, in file order.
    public let cases: [FixtureCase]
    /// Students whose record was rejected.
    public let rejected: [RecordError]
    /// Whether its expectations are reasoned by hand or recorded from the engine: as its header declares
    /// (`expectations:`), else reasoned when any student carries a `why:`.
    public let expectations: ExpectationSource
    /// Where the header declares `expectations:`; nil when the file does not, and ``expectations`` is inferred.
    public let expectationsDeclaredAt: SourceLocation?
    /// Text of the file, kept for re-recording expectations.
    let bytes: [UInt8]
    /// The file's YAML, with the place of every node, kept for re-recording expectations.
    let root: YAMLNode
}

/// One fixture student: the record, what is expected, and why.
public struct FixtureCase: Sendable {
    /// The record.
    public let record: StudentRecord
    /// The expected outcome; nil when the fixture has not recorded one yet.
    package let expectation: Expectation?
    /// The reason for the expectation, citing the seed.
    public let why: String?
    /// Where the student is written.
    public let location: SourceLocation

    /// The student as written, with the place of every node, kept for re-recording its expectation.
    let node: YAMLNode
}

/// What a fixture expects for one student.
package struct Expectation: Sendable, Hashable, CustomStringConvertible {
    /// The expected level.
    package var level: String
    /// Exactly the indicators and protective factors expected to fire, if given.
    package var fired: [String]?
    /// Exactly the escalations expected to hold, if given.
    package var escalations: [String]?
    /// Exactly the caps expected to hold, if given.
    package var caps: [String]?
    /// The expected case status; when not given, the one the level implies with nothing confirmed (`none` for the
    /// lowest level, `new` above it) is expected.
    package var status: CaseStatus?
    /// The expected confirmed level, if given: a level, or nothing confirmed (`confirmed_level: null`).
    package var confirmedLevel: ConfirmedLevelExpectation?
    /// Exactly the duties expected to be owed, if given.
    package var actions: [String]?
    /// Exactly the roles of the route, in order, if given (`route: []` expects none).
    package var route: [String]?
    /// Whether parents are informed, given the status, if given.
    package var parents: ParentNotice?
    /// The expected score (risk points minus protective points, after calendar multipliers), if given.
    package var score: Double?
    /// The expected newest result of each scale named, on or before the as-of date, in the order written; if given.
    package var scales: [ScaleExpectation]?
    /// The expected evidence values of the indicators named, in the order written; if given.
    package var evidence: [EvidenceExpectation]?
    /// With several scores: the expected score and level of each score named, in the order written; if given.
    package var scores: [ScoreExpectation]?
    /// What each role named is expected to be shown (``/RiskScreenScoring/Assessment/visible(to:)-(Role)``), in the
    /// order written; if given.
    package var seenBy: [RoleView]?

    /// What a fixture expects of one of a rule set's several scores (`scores: {self: {score: 3, level: focus}}`).
    package struct ScoreExpectation: Sendable, Hashable {
        /// The score's id.
        package var id: String
        /// The expected sum of its points, if given.
        package var score: Double?
        /// The expected level it gives by its own thresholds, if given.
        package var level: String?

        /// Expects this score and level of score `id`.
        package init(id: String, score: Double? = nil, level: String? = nil) {
            self.id = id
            self.score = score
            self.level = level
        }
    }

    /// What a fixture expects of one scale's newest result (`scales: {phq9: {total: 12, class: moderate}}`).
    package struct ScaleExpectation: Sendable, Hashable {
        /// The scale's id.
        package var scale: String
        /// False when the student is expected to have no result of the scale (`phq9: null`).
        package var hasResult: Bool
        /// The scores expected, by name; scores not named are not compared.
        package var scores: [NamedValue]
        /// The class expected, if given.
        package var className: String?

        /// Expects a result with these scores and class (or none at all, when `hasResult` is false).
        package init(scale: String, hasResult: Bool = true, scores: [NamedValue] = [], className: String? = nil) {
            self.scale = scale
            self.hasResult = hasResult
            self.scores = scores
            self.className = className
        }
    }

    /// A score's name and value.
    package struct NamedValue: Sendable, Hashable {
        /// The score's name.
        package var name: String
        /// Its value.
        package var value: Double

        /// A score's name and value.
        package init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// What a fixture expects of one fired indicator's evidence (`evidence: {night_absence: {"count(…)": 3}}`).
    package struct EvidenceExpectation: Sendable, Hashable {
        /// The indicator's id; it is expected to fire.
        package var indicator: String
        /// The values expected, by the evidence's label (its expression as written); others are not compared.
        package var values: [LabelledText]

        /// Expects the indicator to fire with these evidence values.
        package init(indicator: String, values: [LabelledText]) {
            self.indicator = indicator
            self.values = values
        }
    }

    /// An evidence label and its value as shown (`3`, `2026-09-01`, `moderate`).
    package struct LabelledText: Sendable, Hashable {
        /// The evidence's label.
        package var label: String
        /// Its value as shown.
        package var value: String

        /// An evidence label and its value.
        package init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    /// What a fixture expects of the confirmed level.
    /// Frozen: a closed set (nothing or a level); a new case comes only with a new major version of the library.
    package enum ConfirmedLevelExpectation: Sendable, Hashable {
        /// No confirmation in force.
        case nothing
        /// This level confirmed.
        case level(String)
    }

    /// Creates an expectation.
    package init(
        level: String, fired: [String]? = nil, escalations: [String]? = nil, caps: [String]? = nil,
        status: CaseStatus? = nil, confirmedLevel: ConfirmedLevelExpectation? = nil, actions: [String]? = nil
    ) {
        self.level = level
        self.fired = fired
        self.escalations = escalations
        self.caps = caps
        self.status = status
        self.confirmedLevel = confirmedLevel
        self.actions = actions
    }

    /// The expectation an assessment meets exactly (its status and confirmed level when they are not the ones its level
    /// implies with nothing confirmed). What `previous` expected beyond that (a score, scales, evidence, the route, the
    /// parent notice, what roles are shown) is recorded again with the values of now, for the same scales, indicators,
    /// roles and keys (evidence of an indicator that no longer fires is dropped); `scales` gives the newest results, as
    /// ``ScaleOutcome``s by scale id, and `roles` the rule set's roles, which `seen_by:` names.
    package init(
        recording assessment: Assessment, previous: Expectation?, scales: [String: ScaleOutcome] = [:],
        roles: [Role] = []
    ) {
        self.init(recording: assessment)
        guard let previous else { return }
        if previous.score != nil { score = Self.recordable(assessment.score) }
        if previous.route != nil { route = assessment.route }
        if previous.parents != nil { parents = assessment.informParents }
        seenBy = previous.seenBy.map { expected in
            expected.compactMap { view in
                roles.first { $0.id == view.role }.map { view.recording(assessment.visible(to: $0)) }
            }
        }
        self.scores = previous.scores.map { expected in
            expected.compactMap { expectation in
                // The same parts as before, with the values of now.
                guard let outcome = assessment.scores.first(where: { $0.id == expectation.id }) else { return nil }
                return ScoreExpectation(
                    id: expectation.id, score: expectation.score == nil ? nil : Self.recordable(outcome.score),
                    level: expectation.level == nil ? nil : outcome.levelID)
            }
        }
        self.scales = previous.scales.map { expected in
            expected.map { expectation in
                guard let outcome = scales[expectation.scale] else {
                    return ScaleExpectation(scale: expectation.scale, hasResult: false)
                }
                // The same scores and class as before (a result expected where there was none gets them all).
                let names = expectation.hasResult ? expectation.scores.map(\.name) : outcome.scores.map(\.name)
                return ScaleExpectation(
                    scale: expectation.scale,
                    scores: names.compactMap { name in
                        outcome.score(name).map { NamedValue(name: name, value: Self.recordable($0)) }
                    },
                    className: expectation.hasResult && expectation.className == nil ? nil : outcome.className)
            }
        }
        if let expected = previous.evidence {
            let fired = assessment.fired
            let recorded = expected.compactMap { expectation -> EvidenceExpectation? in
                guard let indicator = fired.first(where: { $0.id == expectation.indicator }) else { return nil }
                let labels =
                    expectation.values.isEmpty ? indicator.evidence.map(\.label) : expectation.values.map(\.label)
                return EvidenceExpectation(
                    indicator: expectation.indicator,
                    values: labels.compactMap { label in
                        indicator.evidence.first { $0.label == label }.map {
                            LabelledText(label: label, value: $0.value)
                        }
                    })
            }
            evidence = recorded.isEmpty ? nil : recorded
        }
    }

    /// The expectation an assessment meets exactly (its status and confirmed level when they are not the ones its level
    /// implies with nothing confirmed), without a score, scales or evidence.
    package init(recording assessment: Assessment) {
        level = assessment.levelID
        fired = assessment.fired.map(\.id)
        escalations = assessment.escalations.isEmpty ? nil : assessment.escalations.map(\.id)
        caps = assessment.caps.isEmpty ? nil : assessment.caps.map(\.id)
        actions = assessment.actions.isEmpty ? nil : assessment.actions.map(\.id)
        // The status and confirmed level are written only when the level alone does not imply them (nothing
        // confirmed: `none` below the first level that acts, `new` from it up), so records without case facts read as
        // before.
        if assessment.confirmedLevel != nil || assessment.status != Self.impliedStatus(of: assessment) {
            status = assessment.status
            confirmedLevel = assessment.confirmedLevel.map { .level($0.id) } ?? .nothing
        }
    }

    /// The status an assessment's level implies with nothing confirmed: `none` at the lowest level, `new` above it.
    static func impliedStatus(of assessment: Assessment) -> CaseStatus { assessment.levelRank == 0 ? .none : .new }

    /// The differences between this expectation and an assessment, one sentence each; empty when it is met. `scales`
    /// gives the student's newest results by scale id (``ScaleOutcome``), which `scales:` expectations compare, and
    /// `roles` the rule set's roles, whose views `seen_by:` compares (a role named but not given is a difference).
    package func differences(
        from assessment: Assessment, scales outcomes: [String: ScaleOutcome] = [:], roles: [Role] = []
    ) -> [String] {
        var found: [String] = []
        if assessment.levelID != level { found.append("level: expected \(level), got \(assessment.levelID)") }
        // Without a status, the one the level implies with nothing confirmed is expected (as --record leaves it out).
        let expectedStatus = status ?? Self.impliedStatus(of: assessment)
        if assessment.status != expectedStatus {
            found.append("status: expected \(expectedStatus.rawValue), got \(assessment.status.rawValue)")
        }
        if let confirmedLevel {
            let expected: String?
            switch confirmedLevel {
            case .nothing: expected = nil
            case .level(let id): expected = id
            }
            if expected != assessment.confirmedLevel?.id {
                found.append(
                    "confirmed_level: expected \(expected ?? "null"), got \(assessment.confirmedLevel?.id ?? "null")")
            }
        }
        func compare(_ name: String, _ expected: [String]?, _ actual: [String]) {
            guard let expected, Set(expected) != Set(actual) else { return }
            let missing = expected.filter { !actual.contains($0) }
            let extra = actual.filter { !expected.contains($0) }
            var parts: [String] = []
            if !missing.isEmpty { parts.append("expected but absent: \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("present but not expected: \(extra.joined(separator: ", "))") }
            found.append("\(name): " + parts.joined(separator: "; "))
        }
        compare("fired", fired, assessment.fired.map(\.id))
        compare("escalations", escalations, assessment.escalations.map(\.id))
        compare("caps", caps, assessment.caps.map(\.id))
        compare("actions", actions, assessment.actions.map(\.id))
        if let route, route != assessment.route {
            found.append("route: expected \(Self.list(route)), got \(Self.list(assessment.route))")
        }
        if let parents, parents != assessment.informParents {
            found.append("parents: expected \(parents.rawValue), got \(assessment.informParents.rawValue)")
        }
        if let score, !Self.sameNumber(score, assessment.score) {
            found.append("score: expected \(NumberText.format(score)), got \(NumberText.format(assessment.score))")
        }
        for expected in scales ?? [] {
            found += Self.differences(expected, outcomes[expected.scale])
        }
        if let scores {
            let outcomes = assessment.scores
            for expected in scores {
                guard let outcome = outcomes.first(where: { $0.id == expected.id }) else {
                    found.append("scores: expected \(expected.id), which the rule set does not score")
                    continue
                }
                if let score = expected.score, !Self.sameNumber(outcome.score, score) {
                    found.append(
                        "scores: \(expected.id) score expected \(NumberText.format(score)), got "
                            + (outcome.score.isNaN ? "withheld" : NumberText.format(outcome.score)))
                }
                if let level = expected.level, level != outcome.levelID {
                    found.append("scores: \(expected.id) level expected \(level), got \(outcome.levelID)")
                }
            }
        }
        if let evidence {
            let fired = assessment.fired
            for expected in evidence {
                guard let indicator = fired.first(where: { $0.id == expected.indicator }) else {
                    found.append("evidence of \(expected.indicator): expected it to fire, and it did not")
                    continue
                }
                for value in expected.values {
                    let shown = indicator.evidence.first { $0.label == value.label }?.value
                    if let shown, Self.sameValue(shown, value.value) { continue }
                    found.append(
                        "evidence of \(expected.indicator), \(value.label): expected \(value.value), got \(shown ?? "no such evidence")"
                    )
                }
            }
        }
        for view in seenBy ?? [] {
            guard let role = roles.first(where: { $0.id == view.role }) else {
                found.append("seen_by: \(view.role): expected a view for it, and the rule set has no such role")
                continue
            }
            found += view.differences(from: assessment.visible(to: role))
        }
        return found
    }

    /// Names as a YAML flow list, as a route is written: `[counsellor, centre]`, `[]`.
    static func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }

    /// How a scale's newest result differs from what is expected of it.
    private static func differences(_ expected: ScaleExpectation, _ outcome: ScaleOutcome?) -> [String] {
        let name = "scales: \(expected.scale)"
        guard let outcome else { return expected.hasResult ? ["\(name): expected a result, found none"] : [] }
        guard expected.hasResult else {
            return ["\(name): expected no result, found one of \(outcome.date)"]
        }
        var found: [String] = []
        for score in expected.scores {
            let value = outcome.score(score.name)
            if value.map({ Self.sameNumber($0, score.value) }) != true {
                found.append(
                    "\(name).\(score.name): expected \(NumberText.format(score.value)), got \(value.map(NumberText.format) ?? "none")"
                )
            }
        }
        if let className = expected.className, className != outcome.className {
            found.append("\(name).class: expected \(className), got \(outcome.className ?? "none")")
        }
        return found
    }

    /// Whether a number computed is the one written: equal but for the last bits of a binary fraction (a score of
    /// 3 × 1.1 is 3.3000000000000003, which `explain` prints and a tester writes as 3.3).
    static func sameNumber(_ computed: Double, _ written: Double) -> Bool {
        abs(computed - written) <= 1e-9 * max(1, abs(computed), abs(written))
    }

    /// A number as `--record` writes it: to nine decimals, so the binary fraction's last bits stay out of the file.
    static func recordable(_ value: Double) -> Double {
        value.isFinite && abs(value) < 1e9 ? (value * 1e9).rounded() / 1e9 : value
    }

    /// Whether an evidence value as shown is the one written: numbers compare as numbers (`3` is `3.0`), anything
    /// else as text.
    static func sameValue(_ shown: String, _ written: String) -> Bool {
        if let left = Double(shown), let right = Double(written) { return sameNumber(left, right) }
        return shown == written
    }

    /// The expectation as a YAML flow mapping, as `--record` writes it.
    package var description: String {
        "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// The expectation's keys in the order `--record` writes them, each with its value as YAML flow text: the
    /// entries of ``description``, or of a block mapping with one key a line.
    var entries: [(key: String, value: String)] {
        var parts: [(key: String, value: String)] = [("level", level)]
        if let status { parts.append(("status", status.rawValue)) }
        switch confirmedLevel {
        case .nothing?: parts.append(("confirmed_level", "null"))
        case .level(let id)?: parts.append(("confirmed_level", id))
        case nil: break
        }
        if let fired { parts.append(("fired", "[\(fired.joined(separator: ", "))]")) }
        if let escalations { parts.append(("escalations", "[\(escalations.joined(separator: ", "))]")) }
        if let caps { parts.append(("caps", "[\(caps.joined(separator: ", "))]")) }
        if let actions { parts.append(("actions", "[\(actions.joined(separator: ", "))]")) }
        if let route { parts.append(("route", Self.list(route))) }
        if let parents { parts.append(("parents", parents.rawValue)) }
        if let score { parts.append(("score", NumberText.format(score))) }
        if let scores {
            let written = scores.map { expectation -> String in
                var members: [String] = []
                if let score = expectation.score { members.append("score: \(NumberText.format(score))") }
                if let level = expectation.level { members.append("level: \(level)") }
                return "\(expectation.id): {\(members.joined(separator: ", "))}"
            }
            parts.append(("scores", "{\(written.joined(separator: ", "))}"))
        }
        if let scales {
            let written = scales.map { expectation -> String in
                guard expectation.hasResult else { return "\(expectation.scale): null" }
                var members = expectation.scores.map { "\($0.name): \(NumberText.format($0.value))" }
                if let className = expectation.className { members.append("class: \(Self.flowScalar(className))") }
                return "\(expectation.scale): {\(members.joined(separator: ", "))}"
            }
            parts.append(("scales", "{\(written.joined(separator: ", "))}"))
        }
        if let evidence {
            let written = evidence.map { expectation in
                let values = expectation.values.map { "\(Self.flowScalar($0.label)): \(Self.flowScalar($0.value))" }
                return "\(expectation.indicator): {\(values.joined(separator: ", "))}"
            }
            parts.append(("evidence", "{\(written.joined(separator: ", "))}"))
        }
        if let seenBy { parts.append(("seen_by", "{\(seenBy.map(\.description).joined(separator: ", "))}")) }
        return parts
    }

    /// A text as a scalar inside a YAML flow mapping: as it is when it is a plain word or number, else double-quoted.
    static func flowScalar(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
        // Words YAML would read as something else stay quoted.
        if plain && !["null", "true", "false", "yes", "no", "on", "off", "~"].contains(text.lowercased()) {
            return text
        }
        var quoted = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(character)
            }
        }
        return quoted + "\""
    }
}

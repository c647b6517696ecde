internal import Foundation
public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Reads a fixture file: its header (`name`, `rules`, `as_of`, `expectations`) and its students with `expect:` and
/// `why:`.
public enum FixtureLoader {
    /// Reads the rule-set path a fixture names, without reading its students (they need the rule set's schema).
    public static func rulesPath(of path: String) throws(RecordFileError) -> String? {
        let root = try parseRoot(path).root
        guard let rules = root.entries?.first(where: { $0.key == "rules" })?.value.scalar else { return nil }
        return resolve(rules, against: path)
    }

    static func resolve(_ rules: String, against path: String) -> String {
        rules.hasPrefix("/")
            ? rules : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(rules)
    }

    private static func parseRoot(_ path: String) throws(RecordFileError) -> (root: YAMLNode, bytes: [UInt8]) {
        let bytes: [UInt8]
        switch BoundedFileReader.read(path, limit: .yamlRecordFile) {
        case .success(let read): bytes = read
        case .failure(let failure):
            throw RecordFileError(
                failure.recordCode, at: SourceLocation(file: path, line: 1, column: 1),
                failure.message(path: path, limit: .yamlRecordFile))
        }
        return (try parseRoot(bytes, file: path), bytes)
    }

    private static func parseRoot(_ bytes: [UInt8], file: String) throws(RecordFileError) -> YAMLNode {
        do throws(YAMLError) {
            return try YAMLParser.parse(bytes, file: file, limits: .recordFile)
        } catch {
            throw RecordFileError(.malformed, at: error.location, error.message)
        }
    }

    /// Reads a fixture's students against a rule set, checking that expectations name its levels and indicators.
    public static func load(_ path: String, rules: RuleSet) throws(RecordFileError) -> Fixture {
        let (root, bytes) = try parseRoot(path)
        return try load(root: root, bytes: bytes, file: path, rules: rules)
    }

    /// Reads a fixture from its bytes, with no file: `file` names it in messages and resolves its `rules:`.
    package static func load(bytes: [UInt8], file: String, rules: RuleSet) throws(RecordFileError) -> Fixture {
        try load(root: try parseRoot(bytes, file: file), bytes: bytes, file: file, rules: rules)
    }

    private static func load(root: YAMLNode, bytes fileBytes: [UInt8], file path: String, rules: RuleSet)
        throws(RecordFileError) -> Fixture
    {
        guard let entries = root.entries else {
            throw RecordFileError(
                .malformed, at: root.location,
                "found \(root.kindDescription); expected a fixture with as_of and students")
        }
        guard let asOfNode = entries.first(where: { $0.key == "as_of" })?.value else {
            throw RecordFileError(.missingRequired, at: root.location, "found no as_of; expected as_of: YYYY-MM-DD")
        }
        guard let asOfText = asOfNode.scalar, let asOf = CivilDate(iso: asOfText) else {
            throw RecordFileError(
                .invalidValue, at: asOfNode.location,
                "found \(asOfNode.kindDescription) for as_of; expected \(CivilDate.expectation)")
        }
        let declared = entries.first { $0.key == "expectations" }
        var declaredSource: ExpectationSource?
        if let declared {
            guard let text = declared.value.scalar, let source = ExpectationSource(rawValue: text) else {
                let kinds = ExpectationSource.allCases.map(\.rawValue)
                throw RecordFileError(
                    .invalidValue, at: declared.value.location,
                    "found \(declared.value.kindDescription) for expectations; expected \(kinds.joined(separator: " or ")) "
                        + "(reasoned: by hand, each student with a why:; recorded: from the engine by replay --record)"
                        + Suggestion.hint(for: declared.value.scalar ?? "", in: kinds))
            }
            declaredSource = source
        }
        let students = try RecordReader.studentNodes(root)
        let decoder = RecordDecoder(schema: rules.schema, syntax: .text, extraKeys: RecordReader.fixtureKeys)
        var cases: [FixtureCase] = []
        var rejected: [RecordError] = []
        var register = StudentIDRegister(capacity: students.count)
        for node in students {
            let record: StudentRecord
            switch decoder.decode(node) {
            case .success(let decoded): record = decoded
            case .failure(let error):
                rejected.append(error)
                continue
            }
            if let rejection = register.register(record.id, at: node.location) {
                rejected.append(rejection)
                continue
            }
            let studentEntries = node.entries ?? []
            var expectation: Expectation?
            if let expect = studentEntries.first(where: { $0.key == "expect" })?.value {
                switch parseExpectation(expect, rules: rules, studentID: record.id) {
                case .success(let parsed): expectation = parsed
                case .failure(let error):
                    rejected.append(error)
                    continue
                }
            }
            // `why:` with nothing after it (or `~`, `null`) gives no reason.
            let whyNode = studentEntries.first(where: { $0.key == "why" })?.value
            let why = whyNode?.isNull == true ? nil : whyNode?.scalar
            cases.append(
                FixtureCase(record: record, expectation: expectation, why: why, location: node.location, node: node))
        }
        let name = entries.first(where: { $0.key == "name" })?.value.scalar ?? (path as NSString).lastPathComponent
        let rulesPath = entries.first(where: { $0.key == "rules" })?.value.scalar.map { resolve($0, against: path) }
        // Without the key, a file whose students give reasons is taken as reasoned, so that none is overwritten silently.
        let carriesWhy = students.contains { $0.entries?.contains { $0.key == "why" && !$0.value.isNull } == true }
        return Fixture(
            path: path, name: name, rulesPath: rulesPath, asOf: asOf, cases: cases, rejected: rejected,
            expectations: declaredSource ?? (carriesWhy ? .reasoned : .recorded),
            expectationsDeclaredAt: declared?.keyLocation, bytes: fileBytes, root: root)
    }

    /// The keys an `expect:` mapping may hold.
    static let expectKeys = [
        "level", "status", "confirmed_level", "fired", "escalations", "caps", "actions", "route", "parents", "score",
        "scales", "evidence", "scores", "seen_by",
    ]

    /// A place and a message, for the parts of an expectation read by helpers.
    struct ExpectationError: Error {
        var location: SourceLocation
        var message: String
    }

    /// A refusal of part of an expectation, at `location`.
    static func refused<Parsed>(at location: SourceLocation, _ message: String) -> Result<
        Parsed, ExpectationError
    > {
        .failure(ExpectationError(location: location, message: message))
    }

    /// `scores: {SCORE: {score: n, level: l}}`, for a rule set with several scores: each score and level must be the
    /// rule set's.
    private static func parseScores(_ node: YAMLNode, rules: RuleSet) -> Result<
        [Expectation.ScoreExpectation], ExpectationError
    > {
        let known = rules.scores.map(\.id)
        guard !known.isEmpty else {
            return refused(
                at: node.location,
                "found scores in expect for the rule set \(rules.id), which has one score; expected score: n")
        }
        guard let entries = node.entries else {
            return refused(
                at: node.location,
                "found \(node.kindDescription) for scores; expected a mapping of score ids to {score: n, level: l}")
        }
        var scores: [Expectation.ScoreExpectation] = []
        for entry in entries {
            guard known.contains(entry.key) else {
                return refused(
                    at: entry.keyLocation,
                    "found the unknown score \"\(entry.key)\" in scores; expected one of: "
                        + known.joined(separator: ", ") + Suggestion.hint(for: entry.key, in: known))
            }
            guard let members = entry.value.entries, !members.isEmpty else {
                return refused(
                    at: entry.value.location,
                    "found \(entry.value.kindDescription) for \(entry.key) in scores; expected {score: n, level: l}")
            }
            var expectation = Expectation.ScoreExpectation(id: entry.key)
            for member in members {
                switch member.key {
                case "score":
                    guard let text = member.value.scalar, !member.value.isNull, let value = Double(text),
                        value.isFinite
                    else {
                        return refused(
                            at: member.value.location,
                            "found \(member.value.kindDescription) for the score of \(entry.key); expected a number")
                    }
                    expectation.score = value
                case "level":
                    guard let level = member.value.scalar, rules.level(named: level) != nil else {
                        let levels = rules.levels.map(\.id)
                        return refused(
                            at: member.value.location,
                            "found \(member.value.kindDescription) for the level of \(entry.key); expected "
                                + "one of: \(levels.joined(separator: ", "))"
                                + Suggestion.hint(for: member.value.scalar ?? "", in: levels))
                    }
                    expectation.level = level
                default:
                    return refused(
                        at: member.keyLocation,
                        "found the unknown key \"\(member.key)\" in scores: \(entry.key); expected score or level"
                            + Suggestion.hint(for: member.key, in: ["score", "level"]))
                }
            }
            scores.append(expectation)
        }
        return .success(scores)
    }

    /// `scales: {SCALE: {SCORE: n, class: c} | null}`: each scale, score and class must be the rule set's.
    private static func parseScales(_ node: YAMLNode, rules: RuleSet) -> Result<
        [Expectation.ScaleExpectation], ExpectationError
    > {
        let known = rules.schema.scales.map(\.name)
        guard let entries = node.entries else {
            return refused(
                at: node.location,
                "found \(node.kindDescription) for scales; expected a mapping of scale ids to {SCORE: n, class: c} or null"
            )
        }
        var scales: [Expectation.ScaleExpectation] = []
        for entry in entries {
            guard let scale = rules.schema.scales.first(where: { $0.name == entry.key }) else {
                return refused(
                    at: entry.keyLocation,
                    "found the unknown scale \"\(entry.key)\" in scales; expected one of: \(known.joined(separator: ", "))"
                        + Suggestion.hint(for: entry.key, in: known))
            }
            if entry.value.isNull {
                scales.append(Expectation.ScaleExpectation(scale: scale.name, hasResult: false))
                continue
            }
            let members = scale.scores.map(\.name) + (scale.classNames.isEmpty ? [] : ["class"])
            guard let values = entry.value.entries, !values.isEmpty else {
                return refused(
                    at: entry.value.location,
                    "found \(entry.value.kindDescription) for scale \(scale.name); expected null (no result) or a mapping of \(members.joined(separator: ", "))"
                )
            }
            var expectation = Expectation.ScaleExpectation(scale: scale.name)
            for value in values {
                if value.key == "class", !scale.classNames.isEmpty {
                    guard let className = value.value.scalar, scale.classNames.contains(className) else {
                        return refused(
                            at: value.value.location,
                            "found \(value.value.kindDescription) for the class of \(scale.name); expected one of: \(scale.classNames.joined(separator: ", "))"
                                + Suggestion.hint(for: value.value.scalar ?? "", in: scale.classNames))
                    }
                    expectation.className = className
                } else if scale.scores.contains(where: { $0.name == value.key }) {
                    guard let text = value.value.scalar, !value.value.isNull, let number = Double(text), number.isFinite
                    else {
                        return refused(
                            at: value.value.location,
                            "found \(value.value.kindDescription) for \(scale.name).\(value.key); expected a number")
                    }
                    expectation.scores.append(Expectation.NamedValue(name: value.key, value: number))
                } else {
                    return refused(
                        at: value.keyLocation,
                        "found \"\(value.key)\" in scale \(scale.name); expected one of: \(members.joined(separator: ", "))"
                            + Suggestion.hint(for: value.key, in: members))
                }
            }
            scales.append(expectation)
        }
        return .success(scales)
    }

    /// `evidence: {INDICATOR: {LABEL: value}}`: each indicator and evidence label must be the rule set's.
    private static func parseEvidence(_ node: YAMLNode, rules: RuleSet) -> Result<
        [Expectation.EvidenceExpectation], ExpectationError
    > {
        let known = rules.indicators.map(\.id)
        guard let entries = node.entries else {
            return refused(
                at: node.location,
                "found \(node.kindDescription) for evidence; expected a mapping of indicator ids to {EVIDENCE: value}")
        }
        var evidence: [Expectation.EvidenceExpectation] = []
        for entry in entries {
            guard let indicator = rules.indicators.first(where: { $0.id == entry.key }) else {
                return refused(
                    at: entry.keyLocation,
                    "found the unknown indicator \"\(entry.key)\" in evidence; expected an id of the rule set"
                        + Suggestion.hint(for: entry.key, in: known))
            }
            let labels = indicator.evidence.map(\.label)
            if labels.isEmpty {
                return refused(
                    at: entry.keyLocation,
                    "found evidence expected of \(indicator.id), which shows none; expected an indicator with evidence:"
                )
            }
            guard let values = entry.value.entries, !values.isEmpty else {
                return refused(
                    at: entry.value.location,
                    "found \(entry.value.kindDescription) for the evidence of \(indicator.id); expected a mapping of \(labels.map { "\"\($0)\"" }.joined(separator: ", ")) to values"
                )
            }
            var expectation = Expectation.EvidenceExpectation(indicator: indicator.id, values: [])
            for value in values {
                guard labels.contains(value.key) else {
                    return refused(
                        at: value.keyLocation,
                        "found \"\(value.key)\" in the evidence of \(indicator.id); expected one of: \(labels.map { "\"\($0)\"" }.joined(separator: ", "))"
                            + Suggestion.hint(for: value.key, in: labels))
                }
                guard let text = value.value.scalar, !value.value.isNull else {
                    return refused(
                        at: value.value.location,
                        "found \(value.value.kindDescription) for the evidence \"\(value.key)\" of \(indicator.id); expected a value as shown (a number, a date or a name)"
                    )
                }
                expectation.values.append(Expectation.LabelledText(label: value.key, value: text))
            }
            evidence.append(expectation)
        }
        return .success(evidence)
    }

    private static func parseExpectation(_ node: YAMLNode, rules: RuleSet, studentID: String) -> Result<
        Expectation, RecordError
    > {
        func failure(_ at: SourceLocation, _ message: String) -> Result<Expectation, RecordError> {
            .failure(RecordError(.invalidExpectation, at: at, studentID: studentID, field: "expect", message))
        }
        if let level = node.scalar, !node.isNull {
            guard rules.level(named: level) != nil else {
                return failure(
                    node.location,
                    "found the unknown level \"\(level)\"; expected one of: \(rules.levels.map(\.id).joined(separator: ", "))"
                )
            }
            return .success(Expectation(level: level))
        }
        guard let entries = node.entries else {
            return failure(
                node.location,
                "found \(node.kindDescription); expected {\(expectKeys.joined(separator: ", "))}"
            )
        }
        var expectation = Expectation(level: "")
        for entry in entries {
            switch entry.key {
            case "level":
                guard let level = entry.value.scalar, rules.level(named: level) != nil else {
                    return failure(
                        entry.value.location,
                        "found \(entry.value.kindDescription) for level; expected one of: \(rules.levels.map(\.id).joined(separator: ", "))"
                    )
                }
                expectation.level = level
            case "fired", "escalations", "caps", "actions":
                let known: [String]
                switch entry.key {
                case "fired": known = rules.indicators.map(\.id)
                case "caps": known = rules.caps.map(\.id)
                case "actions": known = rules.actions.map(\.id)
                default: known = rules.escalations.map(\.id) + rules.cohortRules.map(\.id)
                }
                var names: [String] = []
                for item in entry.value.items ?? [] {
                    guard let name = item.scalar, known.contains(name) else {
                        return failure(
                            item.location,
                            "found \(item.kindDescription) in \(entry.key); expected an id of the rule set"
                                + Suggestion.hint(for: item.scalar ?? "", in: known))
                    }
                    names.append(name)
                }
                if entry.value.items == nil && !entry.value.isNull {
                    return failure(
                        entry.value.location,
                        "found \(entry.value.kindDescription) for \(entry.key); expected a list of ids")
                }
                switch entry.key {
                case "fired": expectation.fired = names
                case "escalations": expectation.escalations = names
                case "actions": expectation.actions = names
                default: expectation.caps = names
                }
            case "status":
                guard let text = entry.value.scalar, let status = CaseStatus(rawValue: text) else {
                    return failure(
                        entry.value.location,
                        "found \(entry.value.kindDescription) for status; expected one of: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                            + Suggestion.hint(for: entry.value.scalar ?? "", in: CaseStatus.allCases.map(\.rawValue)))
                }
                expectation.status = status
            case "confirmed_level":
                if entry.value.isNull {
                    expectation.confirmedLevel = .nothing
                } else if let level = entry.value.scalar, rules.level(named: level) != nil {
                    expectation.confirmedLevel = .level(level)
                } else {
                    return failure(
                        entry.value.location,
                        "found \(entry.value.kindDescription) for confirmed_level; expected null or one of: \(rules.levels.map(\.id).joined(separator: ", "))"
                    )
                }
            case "route", "parents", "seen_by":
                switch parseRoleParts(entry, rules: rules, into: &expectation) {
                case .success: break
                case .failure(let error): return failure(error.location, error.message)
                }
            case "score":
                guard let text = entry.value.scalar, !entry.value.isNull, let score = Double(text), score.isFinite
                else {
                    return failure(
                        entry.value.location, "found \(entry.value.kindDescription) for score; expected a number")
                }
                expectation.score = score
            case "scores":
                switch parseScores(entry.value, rules: rules) {
                case .success(let scores): expectation.scores = scores
                case .failure(let error): return failure(error.location, error.message)
                }
            case "scales":
                switch parseScales(entry.value, rules: rules) {
                case .success(let scales): expectation.scales = scales
                case .failure(let error): return failure(error.location, error.message)
                }
            case "evidence":
                switch parseEvidence(entry.value, rules: rules) {
                case .success(let evidence): expectation.evidence = evidence
                case .failure(let error): return failure(error.location, error.message)
                }
            default:
                return failure(
                    entry.keyLocation,
                    "found the unknown key \"\(entry.key)\" in expect; expected \(expectKeys.joined(separator: ", "))"
                        + Suggestion.hint(for: entry.key, in: expectKeys))
            }
        }
        if expectation.level.isEmpty {
            return failure(node.location, "found an expectation without level; expected level: …")
        }
        return .success(expectation)
    }
}

internal import Foundation
public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Reads a fixture file: its header (`name`, `rules`, `as_of`) and its students with `expect:` and `why:`.
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
                at: SourceLocation(file: path, line: 1, column: 1), failure.message(path: path, limit: .yamlRecordFile))
        }
        return (try parseRoot(bytes, file: path), bytes)
    }

    private static func parseRoot(_ bytes: [UInt8], file: String) throws(RecordFileError) -> YAMLNode {
        do throws(YAMLError) {
            return try YAMLParser.parse(bytes, file: file, limits: .recordFile)
        } catch {
            throw RecordFileError(at: error.location, error.message)
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
                at: root.location, "found \(root.kindDescription); expected a fixture with as_of and students")
        }
        guard let asOfNode = entries.first(where: { $0.key == "as_of" })?.value else {
            throw RecordFileError(at: root.location, "found no as_of; expected as_of: YYYY-MM-DD")
        }
        guard let asOfText = asOfNode.scalar, let asOf = CivilDate(iso: asOfText) else {
            throw RecordFileError(
                at: asOfNode.location, "found \(asOfNode.kindDescription) for as_of; expected \(CivilDate.expectation)")
        }
        let students = try RecordReader.studentNodes(root)
        let decoder = RecordDecoder(schema: rules.schema, syntax: .text, extraKeys: ["expect", "why"])
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
            let why = studentEntries.first(where: { $0.key == "why" })?.value.scalar
            cases.append(
                FixtureCase(record: record, expectation: expectation, why: why, location: node.location, node: node))
        }
        let name = entries.first(where: { $0.key == "name" })?.value.scalar ?? (path as NSString).lastPathComponent
        let rulesPath = entries.first(where: { $0.key == "rules" })?.value.scalar.map { resolve($0, against: path) }
        return Fixture(
            path: path, name: name, rulesPath: rulesPath, asOf: asOf, cases: cases, rejected: rejected,
            bytes: fileBytes,
            root: root)
    }

    private static func parseExpectation(_ node: YAMLNode, rules: RuleSet, studentID: String) -> Result<
        Expectation, RecordError
    > {
        func failure(_ at: SourceLocation, _ message: String) -> Result<Expectation, RecordError> {
            .failure(RecordError(at: at, studentID: studentID, field: "expect", message))
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
                "found \(node.kindDescription); expected {level, status, confirmed_level, fired, escalations, caps, actions}"
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
            default:
                return failure(
                    entry.keyLocation,
                    "found the unknown key \"\(entry.key)\" in expect; expected level, status, confirmed_level, fired, escalations, caps or actions"
                        + Suggestion.hint(
                            for: entry.key,
                            in: ["level", "status", "confirmed_level", "fired", "escalations", "caps", "actions"]))
            }
        }
        if expectation.level.isEmpty {
            return failure(node.location, "found an expectation without level; expected level: …")
        }
        return .success(expectation)
    }
}

public import RiskScreenRecords
public import RiskScreenRules
public import RiskScreenScoring
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
    public let expectation: Expectation?
    /// The reason for the expectation, citing the seed.
    public let why: String?
    /// Where the student is written.
    public let location: SourceLocation

    /// The student as written, with the place of every node, kept for re-recording its expectation.
    let node: YAMLNode
}

/// What a fixture expects for one student.
public struct Expectation: Sendable, Hashable, CustomStringConvertible {
    /// The expected level.
    public var level: String
    /// Exactly the indicators and protective factors expected to fire, if given.
    public var fired: [String]?
    /// Exactly the escalations expected to hold, if given.
    public var escalations: [String]?
    /// Exactly the caps expected to hold, if given.
    public var caps: [String]?
    /// The expected case status; when not given, the one the level implies with nothing confirmed (`none` for the
    /// lowest level, `new` above it) is expected.
    public var status: CaseStatus?
    /// The expected confirmed level, if given: a level, or nothing confirmed (`confirmed_level: null`).
    public var confirmedLevel: ConfirmedLevelExpectation?
    /// Exactly the duties expected to be owed, if given.
    public var actions: [String]?

    /// What a fixture expects of the confirmed level.
    public enum ConfirmedLevelExpectation: Sendable, Hashable {
        /// No confirmation in force.
        case nothing
        /// This level confirmed.
        case level(String)
    }

    /// Creates an expectation.
    public init(
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
    /// implies with nothing confirmed).
    public init(recording assessment: Assessment) {
        level = assessment.level
        fired = assessment.fired.map(\.id)
        escalations = assessment.escalations.isEmpty ? nil : assessment.escalations.map(\.id)
        caps = assessment.caps.isEmpty ? nil : assessment.caps.map(\.id)
        actions = assessment.actions.isEmpty ? nil : assessment.actions.map(\.id)
        // The status and confirmed level are written only when the level alone does not imply them (nothing
        // confirmed: `none` below the first level that acts, `new` from it up), so records without case facts read as
        // before.
        if assessment.confirmedLevel != nil || assessment.status != Self.impliedStatus(of: assessment) {
            status = assessment.status
            confirmedLevel = assessment.confirmedLevel.map { .level($0) } ?? .nothing
        }
    }

    /// The status an assessment's level implies with nothing confirmed: `none` at the lowest level, `new` above it.
    static func impliedStatus(of assessment: Assessment) -> CaseStatus { assessment.levelRank == 0 ? .none : .new }

    /// The differences between this expectation and an assessment, one sentence each; empty when it is met.
    public func differences(from assessment: Assessment) -> [String] {
        var found: [String] = []
        if assessment.level != level { found.append("level: expected \(level), got \(assessment.level)") }
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
            if expected != assessment.confirmedLevel {
                found.append(
                    "confirmed_level: expected \(expected ?? "null"), got \(assessment.confirmedLevel ?? "null")")
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
        return found
    }

    /// The expectation as a YAML flow mapping, as `--record` writes it.
    public var description: String {
        var parts = ["level: \(level)"]
        if let status { parts.append("status: \(status.rawValue)") }
        switch confirmedLevel {
        case .nothing?: parts.append("confirmed_level: null")
        case .level(let id)?: parts.append("confirmed_level: \(id)")
        case nil: break
        }
        if let fired { parts.append("fired: [\(fired.joined(separator: ", "))]") }
        if let escalations { parts.append("escalations: [\(escalations.joined(separator: ", "))]") }
        if let caps { parts.append("caps: [\(caps.joined(separator: ", "))]") }
        if let actions { parts.append("actions: [\(actions.joined(separator: ", "))]") }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

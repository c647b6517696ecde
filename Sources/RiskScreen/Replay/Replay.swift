/// Replays fixture cohorts against a rule set like a regression suite: mismatches, coverage, and re-recording.
public struct Replay: Sendable {
    /// One student's outcome against its expectation.
    public struct CaseResult: Sendable {
        /// The student's id.
        public let studentID: String
        /// Where the student is written.
        public let location: SourceLocation
        /// What was expected (nil when nothing was recorded).
        public let expected: Expectation?
        /// What the engine found.
        public let actual: Assessment
        /// How they differ; empty when the expectation holds.
        public let differences: [String]
        /// Why the expectation is what it is.
        public let why: String?

        /// True when the expectation holds (or none was given).
        public var matches: Bool { differences.isEmpty }
    }

    /// The result of replaying one fixture file.
    public struct Report: Sendable {
        /// The fixture.
        public let fixture: String
        /// Its as-of date.
        public let asOf: CivilDate
        /// Every student's result, in file order.
        public let results: [CaseResult]
        /// Rejected fixture records.
        public let rejected: [RecordError]
        /// What the fixture exercised.
        public let coverage: Coverage

        /// The students whose expectation does not hold.
        public var mismatches: [CaseResult] { results.filter { !$0.matches } }
        /// Students with no expectation recorded.
        public var unrecorded: [CaseResult] { results.filter { $0.expected == nil } }
    }

    /// The engine it replays with.
    public let engine: ScoringEngine

    /// Creates a replay for a rule set.
    public init(rules: RuleSet) throws(RuleSetError) {
        engine = try ScoringEngine(rules: rules)
    }

    /// Scores every student of a fixture and compares it with its expectation.
    public func run(_ fixture: Fixture) -> Report {
        let assessments = engine.assess(fixture.cases.map(\.record), asOf: fixture.asOf)
        var coverage = Coverage(rules: engine.rules)
        var results: [CaseResult] = []
        for (fixtureCase, assessment) in zip(fixture.cases, assessments) {
            coverage.count(assessment, record: fixtureCase.record, rules: engine.rules, asOf: fixture.asOf)
            let differences: [String]
            if let expected = fixtureCase.expectation {
                differences = expected.differences(from: assessment)
            } else {
                differences = ["no expectation recorded"]
            }
            results.append(
                CaseResult(
                    studentID: fixtureCase.record.id, location: fixtureCase.location, expected: fixtureCase.expectation,
                    actual: assessment, differences: differences, why: fixtureCase.why))
        }
        return Report(fixture: fixture.path, asOf: fixture.asOf, results: results, rejected: fixture.rejected, coverage: coverage)
    }

    /// One expectation rewritten by ``record(_:)``.
    public struct RecordedChange: Sendable {
        /// The student's id.
        public let studentID: String
        /// The expectation before (nil if none was written).
        public let before: Expectation?
        /// The expectation after.
        public let after: Expectation
    }

    /// Rewrites the fixture's expectations to what the engine finds now; returns the new file text and what changed.
    ///
    /// Only `expect:` values are replaced (written as flow mappings); the rest of the file, comments included, stays as it is.
    public func record(_ fixture: Fixture) -> (text: [UInt8], changes: [RecordedChange]) {
        let report = run(fixture)
        var edits: [(range: Range<Int>, text: String)] = []
        var changes: [RecordedChange] = []
        for (fixtureCase, result) in zip(fixture.cases, report.results) {
            // An expectation that still holds is left as the tester wrote it.
            if result.matches { continue }
            let after = Expectation(recording: result.actual)
            changes.append(RecordedChange(studentID: fixtureCase.record.id, before: fixtureCase.expectation, after: after))
            if let range = fixtureCase.expectRange {
                var end = range.upperBound
                while end > range.lowerBound, [0x20, 0x0A, 0x0D, 0x09].contains(fixture.bytes[end - 1]) { end -= 1 }
                edits.append((range.lowerBound..<end, after.description))
            } else if fixtureCase.studentIsFlow {
                var close = fixtureCase.studentRange.upperBound - 1
                while close > fixtureCase.studentRange.lowerBound, fixture.bytes[close] != UInt8(ascii: "}") { close -= 1 }
                edits.append((close..<close, ", expect: \(after.description)"))
            } else {
                var end = fixtureCase.lastEntryEnd
                while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(fixture.bytes[end - 1]) { end -= 1 }
                let indent = String(repeating: " ", count: max(0, fixtureCase.keyColumn - 1))
                edits.append((end..<end, "\n\(indent)expect: \(after.description)"))
            }
        }
        var bytes = fixture.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return (bytes, changes)
    }
}

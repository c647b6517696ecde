public import RiskScreenRecords
public import RiskScreenRules
public import RiskScreenScoring
public import RiskScreenSupport

/// Replays fixture cohorts against a rule set like a regression suite: mismatches, coverage, and re-recording.
///
/// A tester's tool on fixture cohorts: it scores in full (``/RiskScreenRules/Audience/fullView``), and a fixture's
/// `seen_by:` expectations check each role's view.
public struct Replay: Sendable {
    /// One student's outcome against its expectation.
    public struct CaseResult: Sendable {
        /// The student's id.
        public let studentID: String
        /// Where the student is written.
        public let location: SourceLocation
        /// What was expected (nil when nothing was recorded).
        package let expected: Expectation?
        /// What the engine found, in full (``/RiskScreenRules/Audience/fullView``): a fixture student is synthetic, and
        /// its `seen_by:` expectations check each role's view; show it to a role through
        /// ``/RiskScreenScoring/Assessment/visible(to:)-(Audience)``.
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
        /// Students whose `why:` still carries the mark of a re-recording (``ReviewMark``): their reason awaits review.
        public var markedForReview: [CaseResult] { results.filter { ReviewMark.isMarked($0.why) } }
    }

    /// The engine it replays with.
    public let engine: ScoringEngine

    /// Creates a replay for a rule set.
    public init(rules: RuleSet) throws(RuleSetError) {
        engine = try ScoringEngine(rules: rules)
    }

    /// Scores every student of a fixture and compares it with its expectation.
    public func run(_ fixture: Fixture) -> Report {
        let assessments = engine.assessInFull(fixture.cases.map(\.record), asOf: fixture.asOf)
        var coverage = Coverage(rules: engine.rules)
        var results: [CaseResult] = []
        for (fixtureCase, assessment) in zip(fixture.cases, assessments) {
            coverage.count(assessment, record: fixtureCase.record, rules: engine.rules, asOf: fixture.asOf)
            let differences: [String]
            if let expected = fixtureCase.expectation {
                differences = expected.differences(
                    from: assessment,
                    scales: expected.scales == nil
                        ? [:] : Self.scaleOutcomes(of: fixtureCase.record, rules: engine.rules, asOf: fixture.asOf),
                    roles: engine.rules.roles)
            } else {
                differences = ["no expectation recorded"]
            }
            results.append(
                CaseResult(
                    studentID: fixtureCase.record.id, location: fixtureCase.location, expected: fixtureCase.expectation,
                    actual: assessment, differences: differences, why: fixtureCase.why))
        }
        return Report(
            fixture: fixture.path, asOf: fixture.asOf, results: results, rejected: fixture.rejected, coverage: coverage)
    }

    /// One expectation rewritten by ``record(_:overwritingReasoned:)``.
    public struct RecordedChange: Sendable {
        /// The student's id.
        public let studentID: String
        /// The expectation before (nil if none was written).
        package let before: Expectation?
        /// The expectation after.
        package let after: Expectation
        /// The student's `why:` with the review mark at its front, when the fixture is reasoned and the mark was given;
        /// nil when the `why:` was left as it was.
        public let markedWhy: String?
    }

    /// A student's newest result of each scale on or before the as-of date, by scale id (what `expect: scales:`
    /// compares); worked out only for students whose expectation names scales.
    static func scaleOutcomes(of record: StudentRecord, rules: RuleSet, asOf: CivilDate) -> [String: ScaleOutcome] {
        var outcomes: [String: ScaleOutcome] = [:]
        for scale in rules.schema.scales {
            if let outcome = ScaleOutcome(of: record, scale: scale, asOf: asOf) { outcomes[scale.name] = outcome }
        }
        return outcomes
    }

    /// Rewrites the fixture's expectations to what the engine finds now; returns the new file text and what changed.
    ///
    /// Only `expect:` values are replaced or added (a block mapping stays one; anything else is written as a flow
    /// mapping); every other byte of the file, comments, blank lines and block scalars included, stays as it is. A
    /// fixture of hand-reasoned expectations (``Fixture/expectations``) is refused when anything would change, unless
    /// `mark` is given: then the `why:` of every student whose expectation changes gets the mark at its front (one is
    /// added where there is none), and the others are left as they are. The new text is read again before it is
    /// returned: it must give the same students and exactly the recorded expectations and `why:` texts. A student
    /// whose rewrite would not is refused with its place, and then nothing is rewritten.
    public func record(_ fixture: Fixture, overwritingReasoned mark: ReviewMark? = nil) throws(RecordRefusal) -> (
        text: [UInt8], changes: [RecordedChange]
    ) {
        let report = run(fixture)
        var rewritten: [(index: Int, after: Expectation)] = []
        for (index, (fixtureCase, result)) in zip(fixture.cases, report.results).enumerated() {
            // An expectation that still holds is left as the tester wrote it.
            if result.matches { continue }
            let after = Expectation(
                recording: result.actual, previous: fixtureCase.expectation,
                scales: fixtureCase.expectation?.scales == nil
                    ? [:] : Self.scaleOutcomes(of: fixtureCase.record, rules: engine.rules, asOf: fixture.asOf),
                roles: engine.rules.roles)
            rewritten.append((index, after))
        }
        let marking = fixture.expectations == .reasoned ? mark : nil
        if fixture.expectations == .reasoned, mark == nil, !rewritten.isEmpty {
            throw RecordRefusal([Self.reasonedRefusal(fixture, students: rewritten.map { fixture.cases[$0.index] })])
        }
        let recorder = FixtureRecorder(fixture)
        var edits: [FixtureRecorder.Edit] = []
        var changes: [RecordedChange] = []
        var errors: [RecordFileError] = []
        var expected = fixture.cases.map(\.expectation)
        var whys = fixture.cases.map(\.why)
        for (index, after) in rewritten {
            let fixtureCase = fixture.cases[index]
            expected[index] = after
            let markText = marking.map { $0.text(before: fixtureCase.expectation, after: after) }
            switch recorder.edits(caseIndex: index, writing: after, mark: markText) {
            case .success(let (caseEdits, why)):
                edits += caseEdits
                whys[index] = why
            case .failure(let error): errors.append(error)
            }
            changes.append(
                RecordedChange(
                    studentID: fixtureCase.record.id, before: fixtureCase.expectation, after: after,
                    markedWhy: markText == nil ? nil : whys[index]))
        }
        if !errors.isEmpty { throw RecordRefusal(errors) }
        if edits.isEmpty { return (fixture.bytes, changes) }
        let text = recorder.apply(edits)
        if recorder.readsAsBefore(text, expected: expected, whys: whys, rules: engine.rules) { return (text, changes) }
        // Find the students whose own rewrite reads differently, to name them.
        for index in Set(edits.map(\.caseIndex)).sorted() {
            var alone = fixture.cases.map(\.expectation)
            alone[index] = expected[index]
            var aloneWhys = fixture.cases.map(\.why)
            aloneWhys[index] = whys[index]
            let own = edits.filter { $0.caseIndex == index }
            if recorder.readsAsBefore(recorder.apply(own), expected: alone, whys: aloneWhys, rules: engine.rules) {
                continue
            }
            let fixtureCase = fixture.cases[index]
            let marked =
                whys[index] == fixtureCase.why
                ? "" : " and put \(Expectation.flowScalar(whys[index] ?? "")) as its why:"
            errors.append(
                RecordFileError(
                    .cannotRewrite, at: fixtureCase.location,
                    "found student \(fixtureCase.record.id) written in a form --record cannot rewrite without changing how the file reads; expected a plain block or flow mapping (write expect: \(expected[index]?.description ?? "")\(marked) by hand)"
                ))
        }
        if errors.isEmpty {
            errors.append(
                RecordFileError(
                    .cannotRewrite, at: SourceLocation(file: fixture.path, line: 1, column: 1),
                    "found that the re-recorded file would read differently from this one; expected only expect: values to change (re-record the students one at a time)"
                ))
        }
        throw RecordRefusal(errors)
    }

    /// The refusal to rewrite the expectations of `students` in a reasoned fixture: where and why it is taken as
    /// reasoned, and the two ways on.
    private static func reasonedRefusal(_ fixture: Fixture, students: [FixtureCase]) -> RecordFileError {
        let ids =
            students.prefix(5).map(\.record.id).joined(separator: ", ")
            + (students.count > 5 ? " and \(students.count - 5) more" : "")
        let would = "--record would rewrite \(students.count) expectation\(students.count == 1 ? "" : "s") (\(ids))"
        let ways =
            "re-reason them by hand, or give --record --overwrite-reasoned to rewrite them and mark each rewritten why: "
            + "\"\(ReviewMark.prefix)…\" for review"
        if let declared = fixture.expectationsDeclaredAt {
            return RecordFileError(
                .cannotRewrite, at: declared,
                "found a hand-reasoned fixture (expectations: reasoned), in which \(would) and leave their why: stale; "
                    + "expected a recorded one: \(ways)")
        }
        return RecordFileError(
            .cannotRewrite, at: SourceLocation(file: fixture.path, line: 1, column: 1),
            "found a fixture whose students carry why: and whose header declares no expectations:, so it counts as "
                + "hand-reasoned, and \(would) and leave their why: stale; expected expectations: recorded in its header "
                + "if it is recorded from the engine, or else: \(ways)")
    }

    /// Re-records a fixture given as bytes, with no file: `file` names it in messages.
    ///
    /// Returns the new text and what changed, or every error: the fixture's own (unreadable YAML, no `as_of`)
    /// and the students it could not rewrite. Rejected student records are not errors here; they stay as written.
    package func record(fixtureBytes: [UInt8], file: String, overwritingReasoned mark: ReviewMark? = nil)
        throws(RecordRefusal) -> (
            text: [UInt8], changes: [RecordedChange]
        )
    {
        let fixture: Fixture
        do throws(RecordFileError) {
            fixture = try FixtureLoader.load(bytes: fixtureBytes, file: file, rules: engine.rules)
        } catch {
            throw RecordRefusal([error])
        }
        return try record(fixture, overwritingReasoned: mark)
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenYAML

/// `replay --record` rewrites only `expect:` values: the file parses again, loads to the same students, re-records
/// to itself, and keeps every other byte; a student it cannot rewrite safely is refused with its place.
@Suite struct FixtureRecorderTests {
    /// WRONG1 scores focus with three indicators; NEW1 scores crisis; B2 scores none.
    static let wrongExpect = "{level: focus, fired: [family_change, mood_swing, family_change_with_mood]}"
    static let newExpect = "{level: crisis, fired: [suicidal_ideation], escalations: [red_flag]}"
    static let noneExpect = "{level: none, fired: []}"

    /// Records `text` as a fixture file of the test campus rules; returns the new text and the rule set.
    func record(_ text: String) throws -> (text: String, rules: RuleSet) {
        let directory = try TestSupport.directory(["f.yaml": text])
        let rules = try TestSupport.loadCampus()
        let fixture = try FixtureLoader.load(directory + "/f.yaml", rules: rules)
        #expect(fixture.rejected.isEmpty, "\(fixture.rejected.map(\.description))")
        let (bytes, _) = try Replay(rules: rules).record(fixture)
        return (String(decoding: bytes, as: UTF8.self), rules)
    }

    /// Loads `text` as a fixture from bytes.
    func load(_ text: String, rules: RuleSet) throws -> Fixture {
        try FixtureLoader.load(bytes: Array(text.utf8), file: "f.yaml", rules: rules)
    }

    @Test func commentLinesAfterABlockExpectMappingAreKept() throws {
        let text = """
            as_of: 2026-11-23
            students:
              - id: WRONG1
                events: {family_change: [2026-09-01], mood_swing_report: [2026-11-01]}
                expect:
                  level: attention
                  fired: [family_change]
                # B2 is the control student: nothing known about them.

              - id: B2
                expect: \(Self.noneExpect)

            """
        let (recorded, _) = try record(text)
        #expect(
            recorded
                == text.replacingOccurrences(
                    of: "level: attention\n      fired: [family_change]",
                    with: "level: focus\n      fired: [family_change, mood_swing, family_change_with_mood]"))
    }

    @Test func keptTrailingBlankLinesOfABlockWhyStayInTheWhy() throws {
        let text = """
            as_of: 2026-11-23
            expectations: recorded
            students:
              - id: B2
                why: |+
                  kept lines


              - id: B3
                expect: \(Self.noneExpect)

            """
        let (recorded, rules) = try record(text)
        #expect(
            recorded
                == text.replacingOccurrences(
                    of: "\n  - id: B3", with: "\n    expect: \(Self.noneExpect)\n  - id: B3"))
        let again = try load(recorded, rules: rules)
        #expect(again.cases.map(\.why) == ["kept lines\n\n\n", nil])
    }

    /// A block scalar `why:` ending the student, in the forms whose text the old splice changed.
    static let blockWhys: [(why: String, value: String)] = [
        ("why: |\n      spaces after  \n", "spaces after  \n"),
        ("why: >-\n      folded\n      tab after\t\n", "folded tab after\t"),
        ("why: |\n      no line break at the end of the file", "no line break at the end of the file"),
        ("why: |+\n      kept at the end of the file\n\n", "kept at the end of the file\n\n"),
    ]

    @Test(arguments: blockWhys)
    func blockScalarWhyAtTheEndOfAStudentWithoutExpectationKeepsItsText(why: String, value: String) throws {
        let text = "as_of: 2026-11-23\nexpectations: recorded\nstudents:\n  - id: B2\n    " + why
        let (recorded, rules) = try record(text)
        let again = try load(recorded, rules: rules)
        #expect(again.cases.map(\.why) == [value])
        #expect(again.cases.map(\.expectation) == [Expectation(level: "none", fired: [])])
        #expect(recorded.contains("expect: \(Self.noneExpect)"))
    }

    @Test func flowStudentWithATrailingCommaGetsItsExpectationBeforeTheComma() throws {
        let text = """
            as_of: 2026-11-23
            expectations: recorded
            students:
              - {id: NEW1, self_harm_risk: true, }
              - {id: B2,
                 why: "a flow student over two lines",  # the comma stays
                }

            """
        let (recorded, rules) = try record(text)
        #expect(
            recorded == """
                as_of: 2026-11-23
                expectations: recorded
                students:
                  - {id: NEW1, self_harm_risk: true, expect: \(Self.newExpect), }
                  - {id: B2,
                     why: "a flow student over two lines", expect: \(Self.noneExpect),  # the comma stays
                    }

                """)
        #expect(try load(recorded, rules: rules).cases.count == 2)
    }

    @Test func flowStudentWithAnAnchorOrTagIsRecordedAsAFlowStudent() throws {
        let text = """
            as_of: 2026-11-23
            students:
              - &first {id: NEW1, self_harm_risk: true}
              - !!map {id: B2}
            """
        let (recorded, rules) = try record(text)
        #expect(
            recorded == """
                as_of: 2026-11-23
                students:
                  - &first {id: NEW1, self_harm_risk: true, expect: \(Self.newExpect)}
                  - !!map {id: B2, expect: \(Self.noneExpect)}
                """)
        #expect(try load(recorded, rules: rules).cases.count == 2)
    }

    @Test func studentInAFormTooUnusualToRewriteIsRefusedWithItsPlaceAndNothingIsWritten() throws {
        // Explicit keys (`? key`) put the value on another line than the key: there is no safe line for expect:.
        let text = """
            as_of: 2026-11-23
            students:
              - id: B1
              - ? id
                : B2

            """
        let rules = try TestSupport.loadCampus()
        let replay = try Replay(rules: rules)
        #expect {
            try replay.record(fixtureBytes: Array(text.utf8), file: "f.yaml")
        } throws: { error in
            guard let refusal = error as? RecordRefusal else { return false }
            return refusal.errors.map(\.location.description) == ["f.yaml:4:5"]
                && refusal.errors[0].message.contains("student B2")
                && refusal.errors[0].message.contains("write expect: \(Self.noneExpect) by hand")
        }
    }

    @Test func refusedRecordLeavesEveryFixtureFileAsItWas() throws {
        let good = "rules: \(TestSupport.campusRules)\nas_of: 2026-11-23\nstudents:\n  - id: B1\n"
        let awkward = "rules: \(TestSupport.campusRules)\nas_of: 2026-11-23\nstudents:\n  - ? id\n    : B2\n"
        let directory = try TestSupport.directory(["a.yaml": good, "b.yaml": awkward])
        let result = try CommandRunner.run(["replay", "--record", directory + "/a.yaml", directory + "/b.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("b.yaml:4:5: error: found student B2"))
        #expect(result.stderr.contains("no file was written"))
        #expect(try String(contentsOfFile: directory + "/a.yaml", encoding: .utf8) == good)
        #expect(try String(contentsOfFile: directory + "/b.yaml", encoding: .utf8) == awkward)
    }

    @Test func byteLevelRecordReturnsTheErrorsOfAnUnreadableFixture() throws {
        let replay = try Replay(rules: try TestSupport.loadCampus())
        #expect {
            try replay.record(fixtureBytes: Array("students: []\n".utf8), file: "f.yaml")
        } throws: { error in
            (error as? RecordRefusal)?.description == "f.yaml:1:1: error: found no as_of; expected as_of: YYYY-MM-DD"
        }
    }

    // MARK: Properties

    /// Hand-written files in awkward but valid forms, each with students lacking or contradicting their expect:.
    static let awkwardFiles: [String] = [
        // CRLF line ends, comments everywhere, a block expect with a comment inside and after.
        "as_of: 2026-11-23 # date\r\nexpectations: recorded\r\nstudents: # list\r\n  # first\r\n  - id: B1 # one\r\n    why: |\r\n      block\r\n\r\n  - id: WRONG1\r\n    events: {family_change: [2026-09-01], mood_swing_report: [2026-11-01]}\r\n    expect: # old\r\n      level: none # wrong\r\n      # inside\r\n      fired: []\r\n    # after\r\n",
        // Non-ASCII text before the splice points, flow students over several lines, an empty why.
        "as_of: 2026-11-23\nexpectations: recorded\nstudents:\n  - {id: 学生一, why: \"心理\", self_harm_risk: true}\n  - {\n    id: B2,\n    why: ,\n  }\n  - {id: B3, why}\n  - id: 学生四\n    why: 夜不归寝 # 注\n",
        // Indentless students list, expect written as a block scalar, a tag, an anchor on a block student.
        "as_of: 2026-11-23\nexpectations: recorded\nstudents:\n- id: B1\n  expect: >-\n    attention\n\n- &b2\n  id: B2\n  why: 'quoted'\n- id: B3\n  expect: !!map {level: high}\n  why: >\n    folded\n",
        // A students: key after the header, a nested last value (events), students at deep indentation.
        "name: deep\nas_of: 2026-11-23\nstudents:\n        -   id: B1\n            events:\n              night_absence:\n                - 2026-11-01\n                - 2026-11-10\n        -   id: B2\n            events: {night_absence: [2026-11-01]}   \n        -   id: B3\n            events:\n              night_absence: []\n",
        // A whole-file flow students list.
        "as_of: 2026-11-23\nstudents: [{id: B1}, {id: NEW1, self_harm_risk: true,}, {id: B3, expect: none}]\n",
    ]

    @Test(arguments: awkwardFiles.indices)
    func awkwardFileRecordsToItsOutcomesAndThenToItself(index: Int) throws {
        let rules = try TestSupport.loadCampus()
        let replay = try Replay(rules: rules)
        let original = try load(Self.awkwardFiles[index], rules: rules)
        #expect(original.rejected.isEmpty, "\(original.rejected.map(\.description))")
        let results = replay.run(original).results
        #expect(results.contains { !$0.matches })
        // An expectation that holds stays as written; the others become the outcome.
        let expected = results.map { $0.matches ? $0.expected : Expectation(recording: $0.actual) }
        let (text, _) = try replay.record(original)
        try expectReRecordsToItself(text, original: original, expected: expected, replay: replay)
    }

    @Test(arguments: FixtureReplayTests.fixtures)
    func everyBundledFixtureReRecordedInFullReadsTheSameAndKeepsEveryOtherByte(path: String) throws {
        let rulesPath = try #require(try FixtureLoader.rulesPath(of: path))
        let rules = try RuleSet.load(from: rulesPath)
        let replay = try Replay(rules: rules)
        let loaded = try FixtureLoader.load(path, rules: rules)
        // Contradict every expectation, so that every one is rewritten.
        let contradicted = Fixture(
            path: loaded.path, name: loaded.name, rulesPath: loaded.rulesPath, asOf: loaded.asOf,
            cases: loaded.cases.map {
                FixtureCase(
                    record: $0.record, expectation: Expectation(level: "none", fired: ["contradicted"]), why: $0.why,
                    location: $0.location, node: $0.node)
            },
            rejected: loaded.rejected, expectations: loaded.expectations,
            expectationsDeclaredAt: loaded.expectationsDeclaredAt, bytes: loaded.bytes, root: loaded.root)
        let outcomes = replay.run(loaded).results.map { Expectation(recording: $0.actual) }
        // A reasoned fixture is refused, and rewritten only with a review mark on every why:.
        let reasoned = loaded.expectations == .reasoned
        #expect(reasoned == !path.hasSuffix("regression-500.yaml"))
        if reasoned { #expect(throws: RecordRefusal.self) { try replay.record(contradicted) } }
        let mark = ReviewMark(date: try #require(CivilDate(iso: "2026-12-01")))
        let (text, changes) = try replay.record(contradicted, overwritingReasoned: mark)
        #expect(changes.count == loaded.cases.count)
        let whys = zip(loaded.cases, outcomes).map { fixtureCase, outcome in
            reasoned
                ? mark.text(before: Expectation(level: "none"), after: outcome) + (fixtureCase.why ?? "")
                : fixtureCase.why
        }
        #expect(changes.map(\.markedWhy) == (reasoned ? whys : loaded.cases.map { _ in nil }))
        let again = try expectReRecordsToItself(text, original: loaded, expected: outcomes, whys: whys, replay: replay)
        // Outside the expect: values and the marks, not one byte differs.
        let unmarked = String(decoding: Self.withoutExpectValues(again), as: UTF8.self).replacing(
            #/REVIEW \(re-recorded 2026-12-01: was none, now [a-z_]+\): /#, with: "")
        #expect(Self.withoutExpectValues(loaded) == Array(unmarked.utf8))
    }

    /// Checks that `text` loads to the students of `original` with the `expected` expectations, that these hold,
    /// and that it re-records to itself.
    @discardableResult
    func expectReRecordsToItself(
        _ text: [UInt8], original: Fixture, expected: [RiskScreen.Expectation?], whys: [String?]? = nil,
        replay: Replay
    ) throws -> Fixture {
        let again = try FixtureLoader.load(bytes: text, file: original.path, rules: replay.engine.rules)
        #expect(again.rejected.map(\.message) == original.rejected.map(\.message))
        #expect(again.cases.map(\.record.id) == original.cases.map(\.record.id))
        #expect(again.cases.map(\.why) == whys ?? original.cases.map(\.why))
        #expect(again.cases.map(\.expectation) == expected)
        let report = replay.run(again)
        #expect(report.mismatches.isEmpty)
        // The same records: they score the same.
        let before = replay.run(original).results.map { Expectation(recording: $0.actual) }
        #expect(report.results.map { Expectation(recording: $0.actual) } == before)
        // Through the byte-level entry point a fuzz target calls.
        let (twice, changes) = try replay.record(fixtureBytes: text, file: original.path)
        #expect(changes.isEmpty)
        #expect(twice == text)
        return again
    }

    /// The file's bytes with the text of every `expect:` value cut out (from its first character to its last non-blank one).
    static func withoutExpectValues(_ fixture: Fixture) -> [UInt8] {
        var characterStarts: [Int] = []
        for (offset, byte) in fixture.bytes.enumerated() where byte & 0xC0 != 0x80 { characterStarts.append(offset) }
        characterStarts.append(fixture.bytes.count)
        var cuts: [Range<Int>] = []
        for fixtureCase in fixture.cases {
            guard let value = fixtureCase.node.entries?.first(where: { $0.key == "expect" })?.value else { continue }
            var last = value
            while last.style == .blockCollection, let child = last.entries?.last?.value ?? last.items?.last {
                last = child
            }
            let start = characterStarts[value.characterRange.lowerBound]
            var end = characterStarts[last.characterRange.upperBound]
            while end > start, [0x20, 0x09, 0x0A, 0x0D].contains(fixture.bytes[end - 1]) { end -= 1 }
            cuts.append(start..<end)
        }
        var bytes = fixture.bytes
        for cut in cuts.reversed() { bytes.replaceSubrange(cut, with: [UInt8(ascii: "@")]) }
        return bytes
    }
}

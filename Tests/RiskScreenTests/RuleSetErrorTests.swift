internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Every kind of rule-file error, with its exact message and position.
@Suite struct RuleSetErrorTests {
    static let base = """
        parameters:
          w_absent: 2
        schema:
          fields:
            gpa: number
            family: {type: enumeration, values: [intact, single]}
            note: text
          events:
            absence: {}
        levels:
          - id: none
          - id: attention
            from: 2
        indicators:
          - id: absent
            label: Absent
            dimension: knowable
            when: "count(absence, 30d) >= 2"
            points: w_absent

        """

    /// Loads `base` with `extra` appended (or with a replacement applied) and returns the diagnostics.
    func diagnostics(_ text: String) throws -> [Diagnostic] {
        let path = try TestSupport.directory(["rules.yaml": text])
        do {
            let rules = try RuleSet.load(from: path)
            return rules.warnings
        } catch {
            return error.diagnostics
        }
    }

    func messages(_ text: String) throws -> [String] {
        try diagnostics(text).map {
            "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)"
        }
    }

    @Test func baseRuleSetIsValid() throws {
        #expect(try diagnostics(Self.base).isEmpty)
    }

    @Test func unknownKeySuggestsTheKnownOne() throws {
        let text = Self.base.replacingOccurrences(of: "    when: \"count", with: "    wehn: \"count")
        #expect(
            try messages(text).contains(
                "18:5: error: found the unknown key \"wehn\" in indicator absent; expected one of: id, label, dimension, group, source, when, points, evidence, during, enabled, note, display_only (did you mean \"when\"?)"
            ))
        #expect(try diagnostics(text).map(\.code).contains(.unknownKey))
    }

    @Test func missingKeyIsNamed() throws {
        let text = Self.base.replacingOccurrences(of: "    label: Absent\n", with: "")
        #expect(try messages(text) == ["15:5: error: found no label in indicator absent; expected label: …"])
        #expect(try diagnostics(text).map(\.code) == [.missingKey])
    }

    @Test func wrongTypeSaysWhatWasExpected() throws {
        let text = Self.base.replacingOccurrences(of: "points: w_absent", with: "points: [1, 2]")
        #expect(
            try messages(text) == [
                "19:13: error: found a list for points of absent; expected a number (within ±1e9) or a parameter name"
            ])
        #expect(try diagnostics(text).map(\.code) == [.typeMismatch])
        let unknownParameter = Self.base.replacingOccurrences(of: "points: w_absent", with: "points: w_absnt")
        #expect(
            try messages(unknownParameter) == [
                "19:13: error: found the unknown parameter \"w_absnt\" (did you mean \"w_absent\"?) for points of absent; expected a number (within ±1e9) or a parameter name"
            ])
        #expect(try diagnostics(unknownParameter).map(\.code) == [.unknownName])
        let tooLarge = Self.base.replacingOccurrences(of: "points: w_absent", with: "points: 1e12")
        #expect(try diagnostics(tooLarge).map(\.code) == [.outOfRange])
    }

    @Test func unknownNameInsideAnExpressionPointsAtItsColumn() throws {
        let text = Self.base.replacingOccurrences(
            of: "\"count(absence, 30d) >= 2\"", with: "\"gpaa < 2 and count(absence) > 1\"")
        let found = try diagnostics(text)
        #expect(found.count == 1)
        // The scalar starts at column 11 with its quote; "gpaa" is the first character inside: column 12.
        #expect(found.first?.location.column == 12)
        #expect(found.first?.code == .unknownName)
        #expect(
            found.first?.message
                == "in the condition of absent: found the unknown name \"gpaa\"; expected a field, parameter or indicator (did you mean \"gpa\"?)"
        )
        #expect(
            found.first?.description.hasSuffix("    when: \"gpaa < 2 and count(absence) > 1\"\n               ^")
                == true)
    }

    @Test func typeMismatchInsideAnExpression() throws {
        let enumVersusNumber = Self.base.replacingOccurrences(
            of: "\"count(absence, 30d) >= 2\"", with: "\"family > 2\"")
        #expect(
            try messages(enumVersusNumber) == [
                "18:12: error: in the condition of absent: found the enumeration field family (one of: intact, single) with \">\"; expected a number (an enumeration or a scale class is not a number: compare it with == or != or test it with in [..] instead)"
            ])
        let unknownValue = Self.base.replacingOccurrences(
            of: "\"count(absence, 30d) >= 2\"", with: "\"family == singel\"")
        #expect(
            try messages(unknownValue) == [
                "18:22: error: in the condition of absent: found \"singel\", which is not a value of family; expected one of: intact, single (did you mean \"single\"?)"
            ])
        let text = Self.base.replacingOccurrences(of: "\"count(absence, 30d) >= 2\"", with: "\"note == 'x'\"")
        #expect(
            try messages(text) == [
                "18:12: error: in the condition of absent: found a text field (text can be shown but not compared; use an enumeration) == the text \"x\"; expected two values of the same type"
            ])
        let notACondition = Self.base.replacingOccurrences(of: "\"count(absence, 30d) >= 2\"", with: "\"gpa + 1\"")
        #expect(
            try messages(notACondition) == [
                "18:12: error: in the condition of absent: found a number; expected a condition that is true or false"
            ])
    }

    @Test func syntaxErrorInsideAnExpression() throws {
        let text = Self.base.replacingOccurrences(
            of: "\"count(absence, 30d) >= 2\"", with: "\"count(absence, 30d) >= \"")
        #expect(
            try messages(text) == [
                "18:35: error: in the condition of absent: found the end of the condition; expected a value"
            ])
        let single = Self.base.replacingOccurrences(of: "\"count(absence, 30d) >= 2\"", with: "\"gpa = 2\"")
        #expect(
            try messages(single) == [
                "18:16: error: in the condition of absent: found \"=\"; expected \"==\" to compare"
            ])
    }

    @Test func duplicateIdIsReportedWithTheFirstPlace() throws {
        let text =
            Self.base + """
                  - id: absent
                    label: Again
                    dimension: knowable
                    when: "gpa < 1"
                    points: 1

                """
        let found = try diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 20)
        #expect(
            found.first?.message.hasPrefix("found the id \"absent\" a second time in indicators (first at ") == true)
        #expect(found.first?.message.hasSuffix("rules.yaml:15:9); expected each id once") == true)
    }

    @Test func thresholdsOutOfOrder() throws {
        let text = Self.base.replacingOccurrences(
            of: "    from: 2\n", with: "    from: 2\n  - id: focus\n    from: 1\n")
        #expect(
            try messages(text) == [
                "15:11: error: found level focus from 1, not above attention from 2; expected thresholds rising with each level"
            ])
    }

    @Test func levelNoScoreCanReach() throws {
        let text = Self.base.replacingOccurrences(
            of: "    from: 2\n", with: "    from: 2\n  - id: crisis\n    from: 100\n")
        #expect(
            try messages(text) == [
                "14:5: error: found level crisis from 100, which no student can reach: all indicators together give at most 2 and no escalation sets it; expected a lower threshold or an escalation"
            ])
    }

    @Test func escalationNamingAnUndefinedLevelOrIndicator() throws {
        let text =
            Self.base + """
                escalations:
                  - id: red
                    when: "absent and absentt"
                    level: crissis

                """
        #expect(
            try messages(text) == [
                "22:23: error: in escalation red: found the unknown name \"absentt\"; expected a field, parameter or indicator (did you mean \"absent\"?)",
                "23:12: error: found \"crissis\" for level; expected one of the levels: none, attention",
            ])
    }

    @Test func everyErrorIsReportedInOnePass() throws {
        let text = Self.base
            .replacingOccurrences(of: "dimension: knowable", with: "dimension: knowabel")
            .replacingOccurrences(of: "points: w_absent", with: "points: -3")
            .replacingOccurrences(of: "    gpa: number", with: "    gpa: numbr")
        let found = try messages(text)
        #expect(found.count == 3)
        #expect(found[0].hasPrefix("5:10: error: found \"numbr\" as the type of gpa"))
        #expect(found[1].hasPrefix("17:16: error: found \"knowabel\" for dimension"))
        #expect(
            found[2]
                == "19:13: error: found negative points -3; expected 0 or more (protective factors subtract theirs)")
    }

    @Test func cycleThroughExtendsIsAnError() throws {
        let path = try TestSupport.directory([
            "a/rules.yaml": "ruleset: {id: a, extends: ../b}\n",
            "b/rules.yaml": "ruleset: {id: b, extends: ../a}\n",
        ])
        #expect(throws: RuleSetError.self) { try RuleSet.load(from: path + "/a") }
        do {
            _ = try RuleSet.load(from: path + "/a")
        } catch {
            #expect(error.errors.count == 1)
            #expect(
                error.errors.first?.message
                    == "found a cycle through extends: a → b → a; expected each rule set to extend another at most once"
            )
        }
    }

    @Test func indicatorThatCanNeverChangeAnOutcomeIsAWarning() throws {
        let text =
            Self.base + """
                  - id: idle
                    label: Idle
                    dimension: knowable
                    when: "gpa < 1"
                    points: 0

                """
        let found = try diagnostics(text)
        #expect(found.map(\.severity) == [.warning])
        #expect(found.map(\.code) == [.unusedDefinition])
        #expect(
            found.first?.message
                == "found the indicator idle with no points that no escalation, cap or indicator names; it can never change an outcome"
        )
    }

    @Test func indicatorsThatDependOnEachOtherAreACycle() throws {
        let text =
            Self.base.replacingOccurrences(of: "\"count(absence, 30d) >= 2\"", with: "\"other\"") + """
                  - id: other
                    label: Other
                    dimension: knowable
                    when: "absent"
                    points: 1

                """
        #expect(
            try messages(text).contains {
                $0.contains("found indicators that depend on each other: absent → other → absent; expected no cycle")
            })
    }

    @Test func unknownSectionAndOverrideOfUnknownId() throws {
        let text = Self.base + "indicator:\n  - id: x\noverrides:\n  indicators:\n    absnt: {points: 3}\n"
        let found = try messages(text)
        #expect(
            found.contains {
                $0.hasPrefix("20:1: error: found the unknown section \"indicator\"")
                    && $0.hasSuffix("(did you mean \"indicators\"?)")
            })
        #expect(
            found.contains {
                $0.hasPrefix(
                    "24:5: error: found an override of \"absnt\", which no earlier layer defines in indicators")
            })
    }

    /// Each rule-file name, written with an escape or a right-to-left override, and the escaped form the error shows.
    static let namesWithControls: [(String, String, String)] = [
        ("  w_absent: 2\n", "  w_absent: 2\n  \"w\\e1\": 1\n", #"found the name "w\u{1B}1" in parameters;"#),
        (
            "schema:\n", "roles:\n  \"liaison\\u202E\": Liaison\nschema:\n",
            #"found the name "liaison\u{202E}" in roles;"#
        ),
        ("    note: text\n", "    \"no\\nte\": text\n", #"found the name "no\u{A}te" in fields;"#),
        ("    absence: {}\n", "    absence: {}\n    \"ab\\u2066x\": {}\n", #"found the name "ab\u{2066}x" in events;"#),
        (
            "levels:\n", "calendar:\n  windows:\n    \"exams\\u200F\": {from: \"01-01\", to: \"01-10\"}\nlevels:\n",
            #"found the name "exams\u{200F}" in windows;"#
        ),
        (
            "    absence: {}\n", "    absence: {}\n  scales:\n    \"s\\e\": {items: 2, answers: [0, 3]}\n",
            #"found the name "s\u{1B}" in scales;"#
        ),
        (
            "    absence: {}\n",
            "    absence: {}\n  scales:\n    s: {items: 2, answers: [0, 3], scores: {\"to\\u202Etal\": {sum: all}}}\n",
            #"found the name "to\u{202E}tal" in the scores of s;"#
        ),
        (
            "    absence: {}\n",
            "    absence: {}\n  scales:\n    s: {items: 2, answers: [0, 3], classes: [{class: \"hi\\u061C\", when: \"item(1) >= 1\"}]}\n",
            #"found the name "hi\u{61C}" in the classes of s;"#
        ),
        (
            "    absence: {}\n",
            "    absence: {}\n  scales:\n    s: {items: 2, answers: [0, 3], otherwise: \"lo\\x85\"}\n",
            #"found the name "lo\u{85}" in otherwise of s;"#
        ),
        ("  - id: attention\n", "  - id: \"attention\\e[2J\"\n", #"found the name "attention\u{1B}[2J" in levels;"#),
        ("levels:\n", "ruleset: {id: \"rules\\u202E\"}\nlevels:\n", #"found the id "rules\u{202E}" in ruleset;"#),
        (
            "levels:\n", "ruleset: {id: campus-x, name: \"Campus\\r\"}\nlevels:\n",
            #"found the name "Campus\u{D}" in ruleset;"#
        ),
    ]

    @Test(arguments: namesWithControls)
    func namesWithControlOrBidiCharactersAreRefusedWithTheNameEscaped(replace: String, with: String, expected: String)
        throws
    {
        let text = Self.base.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.base)
        let found = try diagnostics(text).filter { $0.severity == .error }
        #expect(found.contains { $0.message.hasPrefix(expected) && $0.location.line > 1 }, "\(found)")
        // No message shows the character itself.
        #expect(!found.contains { PrintableText.needsEscape($0.message) })
    }

    @Test func extendingAFileThatIsNotARuleFileShowsNoneOfItsContent() throws {
        let secret = try TestSupport.directory(["passwd": "root:x:0:0:secret-line:/root:/bin/bash\n"]) + "/passwd"
        let text = "ruleset: {id: layer, extends: \(secret)}\n" + Self.base
        let found = try diagnostics(text)
        #expect(
            found.map(\.message) == [
                "found \(secret), which is not a .yaml or .yml file; expected a rule file or a directory of them"
            ])
        #expect(found.first?.location.line == 1)
        #expect(!found.contains { $0.description.contains("secret-line") || $0.description.contains("root:x") })
    }
}

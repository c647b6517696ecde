internal import Foundation
import Testing

@testable import RiskScreenRules
@testable import RiskScreenSupport

/// Every rule-set diagnostic code, each given by a small bad rule set at the place it points to: a program can tell
/// one problem from another by its code, without reading the English message.
@Suite struct DiagnosticCodeTests {
    static let base = """
        parameters:
          w_absent: 2
        schema:
          fields:
            gpa: number
            enrolled: date
            family: {type: enumeration, values: [intact, single]}
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

    /// An indicator appended to `base` (under `indicators:`, from line 20).
    static func indicator(_ id: String, when: String, points: String = "1", extra: String = "") -> String {
        base + "  - id: \(id)\n    label: X\n    dimension: knowable\n    when: \"\(when)\"\n    points: \(points)\n"
            + extra
    }

    /// A bad rule set, the code it must be refused (or warned) with, and where.
    struct Case: CustomStringConvertible, Sendable {
        var code: Diagnostic.Code
        var yaml: String
        var place: String
        var severity: Diagnostic.Severity = .error
        var description: String { "\(code) at \(place)" }
    }

    static let cases: [Case] = [
        Case(code: .yamlSyntax, yaml: base + "  - id: [unclosed\n", place: "21:1"),
        Case(code: .expressionSyntax, yaml: indicator("x", when: "gpa > "), place: "23:18"),
        Case(
            code: .unknownKey, yaml: base.replacingOccurrences(of: "    when: \"count", with: "    wehn: \"count"),
            place: "18:5"),
        Case(code: .missingKey, yaml: base.replacingOccurrences(of: "    points: w_absent\n", with: ""), place: "15:5"),
        Case(code: .typeMismatch, yaml: indicator("x", when: "gpa"), place: "23:12"),
        Case(code: .typeMismatch, yaml: base + "calendar: [a]\n", place: "20:11"),
        Case(code: .invalidValue, yaml: indicator("bad-name", when: "gpa > 1"), place: "20:9"),
        Case(
            code: .outOfRange, yaml: base.replacingOccurrences(of: "w_absent: 2", with: "w_absent: 2e10"),
            place: "2:13"),
        Case(code: .unknownName, yaml: indicator("x", when: "gpaa > 1"), place: "23:12"),
        Case(code: .duplicateID, yaml: indicator("absent", when: "gpa > 1"), place: "20:9"),
        Case(code: .reservedName, yaml: indicator("withheld", when: "gpa > 1"), place: "20:9"),
        Case(
            code: .conflictingKeys,
            yaml: "dimensions:\n  - {id: d, protective: true, red_flag: true}\nlevels:\n  - {id: none}\n",
            place: "2:31"),
        Case(
            code: .misplaced,
            yaml: base.replacingOccurrences(of: "gpa: number", with: "gpa: {type: number, values: [a]}"),
            place: "5:25"),
        Case(
            code: .outOfOrder,
            yaml: base.replacingOccurrences(of: "    from: 2\n", with: "    from: 2\n  - id: high\n    from: 1\n"),
            place: "15:11"),
        Case(
            code: .cycle,
            yaml: indicator("a", when: "b", extra: "  - {id: b, label: B, dimension: knowable, when: a, points: 1}\n"),
            place: "20:5"),
        Case(
            code: .limitExceeded,
            yaml: indicator(
                "x",
                when: String(repeating: "(", count: 20) + "gpa > 1"
                    + String(repeating: ")", count: 20)), place: "23:29"),
        Case(
            code: .unreachable, yaml: base.replacingOccurrences(of: "    from: 2\n", with: "    from: 200\n"),
            place: "12:5"),
        Case(code: .neverHolds, yaml: indicator("x", when: "1 > 2"), place: "20:5", severity: .warning),
        Case(
            code: .unusedDefinition, yaml: indicator("x", when: "gpa < 1", points: "0"), place: "20:5",
            severity: .warning),
        Case(
            code: .sensitivity,
            yaml:
                "roles: {liaison: L}\nschema:\n  scales:\n    s: {items: 2, answers: [0, 3], scores: {total: {sum: all}}}\n"
                + "levels:\n  - {id: none}\n",
            place: "4:8", severity: .warning),
        Case(
            code: .scheduling,
            yaml: base.replacingOccurrences(of: "enrolled: date", with: "enrolled: {type: date, scheduled: true}")
                .replacingOccurrences(of: "  events:", with: "  enrolment: enrolled\n  events:"),
            place: "8:14"),
    ]

    @Test(arguments: cases)
    func eachCodeIsGivenAtThePlaceOfTheProblem(_ example: Case) throws {
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try RuleSet.load(yaml: Array(example.yaml.utf8), file: "rules.yaml").warnings
        } catch {
            diagnostics = error.diagnostics
        }
        let found = diagnostics.map { "\($0.code) at \($0.location.line):\($0.location.column) \($0.severity)" }
        #expect(found.contains("\(example.code) at \(example.place) \(example.severity)"), "\(found)")
    }

    @Test func aPathWithNothingThereIsFileNotFound() throws {
        let directory = try TestSupport.directory(["rules.yaml": Self.base])
        do {
            _ = try RuleSet.load(from: directory + "/missing")
            Issue.record("loaded a rule set from a path with nothing there")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.fileNotFound])
        }
    }

    @Test func aRuleFileThatCannotBeReadIsUnreadableFile() throws {
        let directory = try TestSupport.directory(["rules.yaml": Self.base])
        try FileManager.default.createDirectory(
            atPath: directory + "/more.yaml", withIntermediateDirectories: false)
        do {
            _ = try RuleSet.load(from: directory)
            Issue.record("loaded a rule set with a directory for a rule file")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.unreadableFile])
        }
    }

    @Test func codesAreStableNamesComparedByValue() {
        #expect(Diagnostic.Code.unknownName.rawValue == "unknownName")
        #expect(Diagnostic.Code(rawValue: "unknownName") == .unknownName)
        #expect("\(Diagnostic.Code.duplicateID)" == "duplicateID")
        #expect(Set([Diagnostic.Code.typeMismatch, .typeMismatch, .outOfRange]).count == 2)
    }
}

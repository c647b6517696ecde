internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// The compiler's type checks: an enumeration's value or a scale's class is a name, never a number.
@Suite struct ExpressionCompilerTests {
    /// A rule set with an enumeration field (`family`), a number (`gpa`) and a scale with classes (`gad7`); the
    /// indicator's `when:` is line 26, its `points:` line 27.
    static let base = """
        schema:
          fields:
            gpa: number
            family: {type: enumeration, values: [intact, single]}
          events:
            absence: {}
          scales:
            gad7:
              items: 7
              answers: [0, 3]
              scores:
                total: {sum: all}
              classes:
                - {class: severe, when: "total >= 15"}
              otherwise: minimal
        levels:
          - id: none
          - id: attention
            from: 2
        roles:
          counsellor: {sees_sensitive: true}
        indicators:
          - id: flagged
            label: Flagged
            dimension: knowable
            when: "WHEN"
            points: POINTS
            evidence: [family, latest(gad7).class]

        """

    /// The error messages of loading `base` with a condition and points put in.
    func messages(when condition: String = "count(absence, 30d) >= 2", points: String = "2") throws -> [String] {
        let text = Self.base.replacingOccurrences(of: "WHEN", with: condition).replacingOccurrences(
            of: "POINTS", with: points)
        let path = try TestSupport.directory(["rules.yaml": text])
        do {
            let rules = try RuleSet.load(from: path)
            return rules.warnings.filter { $0.severity == .error }.map(\.message)
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map {
                "\($0.location.line):\($0.location.column): \($0.message)"
            }
        }
    }

    /// What a refusal of `<`, `>=`, `min` or `max` adds for an unordered enumeration field (not for a scale class, and
    /// not beside a number, which no enumeration is compared with).
    static let rankHint = "; to rank its values as listed, declare family with ordered: true"

    static let notANumber =
        "; expected a number (an enumeration or a scale class is not a number: compare it with == or != or test it with in [..] instead)"

    @Test(arguments: [
        // Bands by an enumeration or a class were accepted and banded the value's position in the list.
        (
            "count(absence) >= 1", "{by: family, bands: [{from: 1, points: 2}]}",
            "27:18: in the points of flagged: found the enumeration field family (one of: intact, single)" + notANumber
        ),
        (
            "count(absence) >= 1", "{by: \"latest(gad7).class\", bands: [{from: 1, points: 2}]}",
            "27:19: in the points of flagged: found the scale class latest(gad7).class (one of: severe, minimal)"
                + notANumber
        ),
        // min() and max() took the kind of their first argument: an enumeration second one passed as a number.
        (
            "min(gpa, family) > 1", "2",
            "26:21: in the condition of flagged: found the enumeration field family (one of: intact, single) in min()"
                + notANumber + rankHint
        ),
        (
            "max(latest(gad7).class, 0) >= 1", "2",
            "26:16: in the condition of flagged: found the scale class latest(gad7).class (one of: severe, minimal) in max()"
                + notANumber
        ),
        // Ordering, arithmetic, negation and equality with a number were refused, but without saying why.
        (
            "family > 0", "2",
            "26:12: in the condition of flagged: found the enumeration field family (one of: intact, single) with \">\""
                + notANumber
        ),
        (
            "family < single", "2",
            "26:12: in the condition of flagged: found the enumeration field family (one of: intact, single) with \"<\""
                + notANumber + rankHint
        ),
        (
            "latest(gad7).class >= severe", "2",
            "26:12: in the condition of flagged: found the scale class latest(gad7).class (one of: severe, minimal) with \">=\""
                + notANumber
        ),
        (
            "gpa + family > 1", "2",
            "26:18: in the condition of flagged: found the enumeration field family (one of: intact, single) in arithmetic"
                + notANumber
        ),
        (
            "-latest(gad7).class < 0", "2",
            "26:13: in the condition of flagged: found the scale class latest(gad7).class (one of: severe, minimal) after \"-\""
                + notANumber
        ),
        (
            "family == 1", "2",
            "26:12: in the condition of flagged: found the enumeration field family compared with a number by \"==\"; expected "
                + "one of its values by name: intact, single (an enumeration or a scale class is not a number)"
        ),
        (
            "0 != latest(gad7).class", "2",
            "26:17: in the condition of flagged: found the scale class latest(gad7).class compared with a number by \"!=\"; "
                + "expected one of its values by name: severe, minimal (an enumeration or a scale class is not a number)"
        ),
    ])
    func numericUseOfAnEnumerationOrAScaleClassIsRefused(condition: String, points: String, message: String) throws {
        let found = try messages(when: condition, points: points)
        #expect(found == [message], "\(found)")
    }

    @Test(arguments: [
        "family == single", "family != intact", "family in [single]", "family not in [intact, single]",
        "latest(gad7).class == severe", "latest(gad7).class != minimal", "latest(gad7).class in [severe]",
        "severe == latest(gad7).class", "family == 'single'", "family is set",
    ])
    func equalityAndMembershipByNameStillWork(condition: String) throws {
        #expect(try messages(when: condition).isEmpty)
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Ordered enumerations (ratings, `ordered: true`): `<`, `<=`, `>`, `>=`, `max` and `min` rank their values as
/// listed; an unordered enumeration, two lists of values, or a number are refused with where and what.
@Suite struct OrderedEnumerationTests {
    static let rulesPath = TestSupport.testsDirectory + "/Rules/test-ratings"
    static let fixturePath = rulesPath + "/fixtures/replay.yaml"

    /// Two ratings of one list, a rating of another list, an unordered enumeration with the first list's values and
    /// a number; the indicator's `when:` is line 14, its points line 15.
    static let base = """
        schema:
          fields:
            a: {type: enumeration, values: [none, low, moderate, high], ordered: true}
            b: {type: enumeration, values: [none, low, moderate, high], ordered: true}
            c: {type: enumeration, values: [low, high], ordered: true}
            fam: {type: enumeration, values: [none, low, moderate, high]}
            gpa: number
        levels:
          - id: none
          - id: attention
            from: 2
        indicators:
          - id: probe
            when: "WHEN"
            points: POINTS
            label: Probe
            dimension: knowable

        """

    static func ruleFile(_ condition: String, points: String = "2") -> String {
        base.replacingOccurrences(of: "WHEN", with: condition).replacingOccurrences(of: "POINTS", with: points)
    }

    /// The truth of `condition` for a record written as YAML flow mapping entries.
    static func truth(_ condition: String, _ record: String) throws -> Truth {
        let rules = try RuleSet.load(from: try TestSupport.directory(["rules.yaml": ruleFile(condition)]))
        let program = try #require(rules.indicators.first?.condition)
        let student = try #require(try TestSupport.records("- {id: S, \(record)}", schema: rules.schema).first)
        return TestTruth.of(program, student)
    }

    @Test func orderedIsReadFromTheSchemaAndAnEnumerationIsUnorderedWithoutIt() throws {
        let rules = try RuleSet.load(from: try TestSupport.directory(["rules.yaml": Self.ruleFile("a > low")]))
        #expect(
            rules.schema.field(named: "a")?.type == .enumeration(["none", "low", "moderate", "high"], ordered: true))
        #expect(rules.schema.field(named: "fam")?.type == .enumeration(["none", "low", "moderate", "high"]))
        #expect(rules.schema.field(named: "a")?.type.description == "ordered enumeration of none, low, moderate, high")
    }

    @Test(arguments: [
        // A rating against one of its values, on either side, by name or as text.
        ("a >= moderate", "a: high", Truth.true),
        ("a >= moderate", "a: moderate", .true),
        ("a >= moderate", "a: low", .false),
        ("a >= moderate", "b: high", .unknown),
        ("a < low", "a: none", .true),
        ("moderate <= a", "a: low", .false),
        ("'high' > a", "a: moderate", .true),
        // Two ratings of the same list against each other.
        ("a < b", "a: low, b: high", .true),
        ("a < b", "a: high, b: low", .false),
        ("a <= b", "a: low, b: low", .true),
        ("a < b", "a: low", .unknown),
        // max and min give a rating, compared by name, by in [..] and with other ratings; missing when any is.
        ("max(a, b) == high", "a: high, b: none", .true),
        ("max(a, b) >= moderate", "a: none, b: low", .false),
        ("max(a, b) >= moderate", "a: high", .unknown),
        ("min(a, b) == none", "a: high, b: none", .true),
        ("min(a, b) is set", "a: high", .false),
        ("max(a, b) in [moderate, high]", "a: moderate, b: low", .true),
        ("max(a, b) not in [moderate, high]", "a: moderate, b: low", .false),
        ("max(a, b) > min(a, b)", "a: low, b: high", .true),
        ("max(a, b) > min(a, b)", "a: low, b: low", .false),
        ("max(max(a, b), low) == low", "a: none, b: none", .true),
        // A value named among the ratings: at least low, at most moderate.
        ("max(a, low) > none", "a: none", .true),
        ("min(a, b, moderate) >= moderate", "a: high, b: high", .true),
        ("min(a, b, moderate) >= moderate", "a: high, b: low", .false),
        // Equality with an unordered enumeration of the same values is as before.
        ("a == fam", "a: low, fam: low", .true),
        ("fam == low", "fam: low", .true),
    ])
    func ratingsRankByTheirListedOrder(condition: String, record: String, expected: Truth) throws {
        #expect(try Self.truth(condition, record) == expected)
    }

    /// The errors of a rule file as `line:column: message`.
    static func errors(_ condition: String, points: String = "2") throws -> [String] {
        try TestSupport.ruleErrors(ruleFile(condition, points: points))
    }

    static let unordered =
        "expected a number (an enumeration or a scale class is not a number: compare it with == or != or test it "
        + "with in [..] instead); to rank its values as listed, declare fam with ordered: true"
    static let notANumber =
        "expected a number (an ordered enumeration ranks its values but is not a number: compare it with one of its "
        + "values by name, such as >= moderate, or take max or min of ordered enumerations with the same values)"
    static let sameValues =
        "expected ordered enumerations with the same values (each declared with ordered: true and values: [none, low, "
        + "moderate, high])"

    /// Misuses and the one error each gives (typed once here: a literal this long in `@Test(arguments:)` takes the
    /// type checker too long).
    static let misuses: [(condition: String, message: String)] = [
        // An unordered enumeration has no order: it is refused, and the message says what would give it one.
        (
            "a < fam",
            "14:16: in the condition of probe: found the enumeration field fam (one of: none, low, moderate, high) "
                + "with \"<\"; " + unordered
        ),
        (
            "fam >= low",
            "14:12: in the condition of probe: found the enumeration field fam (one of: none, low, moderate, high) "
                + "with \">=\"; " + unordered
        ),
        (
            "max(a, fam) == low",
            "14:19: in the condition of probe: found the enumeration field fam (one of: none, low, moderate, high) "
                + "in max(); " + unordered
        ),
        // Ratings with different values.
        (
            "a < c",
            "14:16: in the condition of probe: found the ordered enumeration field a (none < low < moderate < high) "
                + "and the ordered enumeration field c (low < high) ranked by \"<\"; " + sameValues
        ),
        (
            "min(a, c) == low",
            "14:19: in the condition of probe: found the ordered enumeration field a (none < low < moderate < high) "
                + "and the ordered enumeration field c (low < high) ranked by min(); " + sameValues
        ),
        // A rating is not a number: not beside one, not with one, not in arithmetic, not banded.
        (
            "max(a, gpa) == low",
            "14:19: in the condition of probe: found the ordered enumeration field a and a number in max(); expected "
                + "all values of ordered enumerations with the same values (each declared with ordered: true), all "
                + "numbers, all dates or all conditions"
        ),
        (
            "a > 1",
            "14:12: in the condition of probe: found the ordered enumeration field a compared with a number by \">\"; "
                + "expected one of its values by name: none, low, moderate, high (an enumeration or a scale class is "
                + "not a number)"
        ),
        (
            "a + 1 > 1",
            "14:12: in the condition of probe: found the ordered enumeration field a (one of: none < low < moderate "
                + "< high) in arithmetic; " + notANumber
        ),
        // A value that is not in the list, beside a rating or compared with max().
        (
            "max(a, b) >= modrate",
            "14:25: in the condition of probe: found \"modrate\", which is not a value of max(…); expected one of: "
                + "none, low, moderate, high (did you mean \"moderate\"?)"
        ),
        (
            "max(a, medium) > low",
            "14:19: in the condition of probe: found \"medium\", which is not a value of a; expected one of: none, "
                + "low, moderate, high"
        ),
        // Without a rating, names are unknown names, as before.
        (
            "max(low, 1) > 0",
            "14:16: in the condition of probe: found the unknown name \"low\"; expected a field, parameter or indicator"
        ),
    ]

    @Test(arguments: misuses)
    func misusesAreRefusedWithWhereAndWhat(condition: String, message: String) throws {
        let found = try Self.errors(condition)
        #expect(found == [message], "\(found)")
    }

    @Test func bandsOverARatingStayRefused() throws {
        let found = try Self.errors("gpa > 1", points: "{by: a, bands: [{from: 1, points: 2}]}")
        #expect(
            found == [
                "15:18: in the points of probe: found the ordered enumeration field a (one of: none < low < moderate < high); "
                    + Self.notANumber
            ],
            "\(found)")
    }

    @Test(arguments: [
        (
            "gpa: {type: number, ordered: true}",
            "7:25: found ordered: for a field of type number; expected ordered only on an enumeration (ordered: true "
                + "ranks its values as listed)"
        ),
        (
            "gpa: {type: enumeration, values: [x, y], ordered: maybe}",
            "7:55: found \"maybe\" for ordered; expected true or false"
        ),
        (
            "gpa: {type: enumeration, values: [x, y], ordered: [true]}",
            "7:55: found a list for ordered; expected true or false"
        ),
    ])
    func orderedMustBeABooleanOnAnEnumeration(field: String, message: String) throws {
        let text = Self.ruleFile("a > low").replacingOccurrences(of: "gpa: number", with: field)
        let found = try TestSupport.ruleErrors(text)
        #expect(found == [message], "\(found)")
    }

    @Test func evidenceShowsTheHigherRatingByName() throws {
        let rules = try RuleSet.load(from: Self.rulesPath)
        let engine = try ScoringEngine(rules: rules)
        let record = try #require(
            try TestSupport.records("- {id: S, self_rating: low, others_rating: high}", schema: rules.schema).first)
        let assessment = engine.assess(record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        #expect(assessment.level.id == "focus")
        #expect(assessment.escalations.map(\.id) == ["higher_of_two_high"])
        let shown = try #require(assessment.fired.first { $0.id == "higher_rating" })
        #expect(shown.evidence.map(\.value) == ["high", "low"])
    }

    @Test func theRuleFileFixtureReplaysGreenAndCoversEveryRule() throws {
        let rules = try RuleSet.load(from: Self.rulesPath)
        #expect(rules.warnings.isEmpty, "\(rules.warnings.map(\.message))")
        let fixture = try FixtureLoader.load(Self.fixturePath, rules: rules)
        #expect(fixture.rejected.isEmpty)
        let report = try Replay(rules: rules).run(fixture)
        #expect(report.mismatches.isEmpty, "\(report.mismatches.map { "\($0.studentID): \($0.differences)" })")
        #expect(report.coverage.unexercised.isEmpty, "\(report.coverage.unexercised.map(\.id))")
    }
}

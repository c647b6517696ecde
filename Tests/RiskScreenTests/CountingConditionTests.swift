internal import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Counting conditions (`at_least`, `count_true`) and `max`/`min` over conditions, on the rule file
/// `Rules/test-counting`: missing answers never flag a student and never let a cap lower a level.
@Suite struct CountingConditionTests {
    let rules: RuleSet
    let engine: ScoringEngine

    init() throws {
        rules = try RuleSet.load(from: TestSupport.testsDirectory + "/Rules/test-counting")
        engine = try ScoringEngine(rules: rules)
    }

    func assess(_ yaml: String) throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: rules.schema).first)
        return engine.assess(record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
    }

    func fired(_ yaml: String) throws -> Set<String> { Set(try assess(yaml).fired.map(\.id)) }

    @Test(arguments: [
        // Two known to hold: true, whatever the others.
        ("sleeps_badly: true, withdrawn: true", true),
        ("sleeps_badly: true, withdrawn: true, hopeless: false, appetite_change: false", true),
        // One holds, three false: even the unknown ones could not make two.
        ("sleeps_badly: true, withdrawn: false, hopeless: false, appetite_change: false", false),
        // One holds and one unanswered: it could be two, so unknown, and an unknown condition never fires.
        ("sleeps_badly: true, withdrawn: false, hopeless: false", false),
        ("", false),
    ])
    func atLeastFiresOnlyWhenEnoughAreKnownToHold(signs: String, fires: Bool) throws {
        #expect(try fired("{id: S, \(signs)}").contains("two_of_four_signs") == fires)
    }

    @Test func atLeastIsUnknownWhileTheUnansweredCouldStillMakeIt() throws {
        let program = try #require(rules.indicators.first { $0.id == "two_of_four_signs" }?.condition)
        let cases: [(String, Truth)] = [
            ("sleeps_badly: true, withdrawn: true", .true),
            ("sleeps_badly: true, withdrawn: false, hopeless: false, appetite_change: false", .false),
            ("sleeps_badly: true, withdrawn: false, hopeless: false", .unknown),
            ("sleeps_badly: false, withdrawn: false, hopeless: false", .false),
            ("sleeps_badly: false, withdrawn: false", .unknown),
        ]
        for (signs, expected) in cases {
            let record = try #require(try TestSupport.records("- {id: S, \(signs)}", schema: rules.schema).first)
            #expect(TestTruth.of(program, record) == expected, "\(signs)")
        }
    }

    @Test func countTrueIsMissingWhenAnySignIsUnanswered() throws {
        // Three hold and the fourth is unanswered: count_true is missing, so ">= 3" is unknown and does not fire
        // (at_least(3, …) would say true here: that is why both exist).
        let partial = try assess("{id: S, sleeps_badly: true, withdrawn: true, hopeless: true}")
        #expect(!partial.fired.map(\.id).contains("three_signs_counted"))
        #expect(partial.escalations.map(\.id) == ["three_of_four_signs"])
        let evidence = try #require(partial.fired.first { $0.id == "two_of_four_signs" }?.evidence.first)
        #expect(evidence.value == "missing")
        let full = try assess("{id: S, sleeps_badly: true, withdrawn: true, hopeless: true, appetite_change: false}")
        #expect(full.fired.map(\.id).contains("three_signs_counted"))
        #expect(full.fired.first { $0.id == "two_of_four_signs" }?.evidence.first?.value == "3")
    }

    @Test func aCapNeverLowersALevelOnMissingSigns() throws {
        // gpa 0.5 gives 4 points (focus). The cap lowers to attention only when fewer than two signs are known for
        // certain: with three unanswered it could be two, so the level stays.
        let unknown = try assess("{id: S, gpa: 0.5, stable_support: true, withdrawn: true}")
        #expect(unknown.level.id == "focus")
        #expect(unknown.caps.isEmpty)
        let known = try assess(
            "{id: S, gpa: 0.5, stable_support: true, withdrawn: true, sleeps_badly: false, hopeless: false, "
                + "appetite_change: false}")
        #expect(known.level.id == "attention")
        #expect(known.caps.map(\.id) == ["fewer_than_two_signs"])
    }

    @Test(arguments: [
        // max is Kleene's or: true when either holds, even with the other missing; min is Kleene's and.
        ("{id: S, events: {night_absence: [2026-11-01, 2026-11-20]}}", ["worse_of_two"]),
        ("{id: S, gpa: 1.5, events: {night_absence: [2026-11-01, 2026-11-20]}}", ["worse_of_two", "both_of_two"]),
        ("{id: S, gpa: 1.5}", ["worse_of_two"]),
        ("{id: S, gpa: 3}", []),
        ("{id: S}", []),
    ])
    func maxAndMinOfConditionsFollowThreeValuedLogic(record: String, expected: [String]) throws {
        let found = try fired(record).intersection(["worse_of_two", "both_of_two"])
        #expect(found == Set(expected))
    }

    /// A rule set with four yes/no signs, a number, an enumeration and a scale; the indicator's `when:` is line 16.
    static let base = """
        schema:
          fields:
            a: boolean
            b: boolean
            c: boolean
            gpa: number
            family: {type: enumeration, values: [intact, single]}
        levels:
          - id: none
          - id: attention
            from: 2
        indicators:
          - id: flagged
            label: Flagged
            dimension: knowable
            when: "WHEN"
            points: 2

        """

    @Test(arguments: [
        (
            "at_least(4, a, b, c)",
            "16:21: in the condition of flagged: found a number as how many must hold in at_least; expected a fixed "
                + "whole number from 1 to 3, the number of conditions after it"
        ),
        (
            "at_least(1.5, a, b)",
            "16:21: in the condition of flagged: found a number as how many must hold in at_least; expected a fixed "
                + "whole number from 1 to 2, the number of conditions after it"
        ),
        (
            "at_least(gpa, a, b)",
            "16:21: in the condition of flagged: found a number as how many must hold in at_least; expected a fixed "
                + "whole number from 1 to 2, the number of conditions after it"
        ),
        ("at_least(1, a)", "16:12: in the condition of flagged: found 2 arguments to at_least; expected 3 to 65"),
        ("count_true(a) >= 1", "16:12: in the condition of flagged: found 1 argument to count_true; expected 2 to 64"),
        (
            "count_true(a, gpa) >= 1",
            "16:26: in the condition of flagged: found a number; expected a condition that is true or false"
        ),
        (
            "max(a, gpa)",
            "16:19: in the condition of flagged: found a condition (true or false) and a number in max(); expected all "
                + "numbers, all dates or all conditions (of conditions, max holds when any holds and min when all hold)"
        ),
        (
            "min(gpa, a) > 1",
            "16:21: in the condition of flagged: found a number and a condition (true or false) in min(); expected all "
                + "numbers, all dates or all conditions (of conditions, max holds when any holds and min when all hold)"
        ),
        (
            "max(family, a)",
            "16:16: in the condition of flagged: found the enumeration field family (one of: intact, single) in max(); "
                + "expected a number (an enumeration or a scale class is not a number: compare it with == or != or "
                + "test it with in [..] instead); to rank its values as listed, declare family with ordered: true"
        ),
        ("max(a)", "16:12: in the condition of flagged: found 1 argument to max; expected 2 to 64"),
    ])
    func badCountsAndExtremesAreRefusedWithWhereAndWhat(condition: String, message: String) throws {
        let found = try TestSupport.ruleErrors(Self.base.replacingOccurrences(of: "WHEN", with: condition))
        #expect(found == [message], "\(found)")
    }

    @Test(arguments: [
        "at_least(2, a, b, c)", "count_true(a, b, gpa < 2) >= 2", "max(a, b, c)", "min(a, not b)",
        "max(gpa, 1, 2) >= 2", "not at_least(1, a, b)", "at_least(1, true, a) and count_true(false, true) == 1",
    ])
    func countsAndExtremesOfConditionsLoad(condition: String) throws {
        #expect(try TestSupport.ruleErrors(Self.base.replacingOccurrences(of: "WHEN", with: condition)).isEmpty)
    }
}

/// The truth of a compiled condition on a record, outside the engine.
enum TestTruth {
    static func of(_ program: TruthProgram, _ record: StudentRecord, asOf: String = "2026-11-23") -> Truth {
        let firedBits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { firedBits.deallocate() }
        firedBits.pointee = 0
        let active = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        defer { active.deallocate() }
        var frame = EvalFrame(
            storage: record.storage, asOf: Int32(TestSupport.date(asOf).dayNumber), asOfAcademicYear: 2026,
            windowActive: active, firedBits: firedBits)
        return withExtendedLifetime(record) { withUnsafePointer(to: &frame) { program.run($0) } }
    }
}

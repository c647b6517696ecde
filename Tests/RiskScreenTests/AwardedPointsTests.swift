import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Rules that read the points indicators awarded (`points`, `max_points`, `sum_points`, groups) and points from a
/// value, on the small early-warning score of `Rules/test-points`; every expected level is reasoned in the comment.
@Suite struct AwardedPointsTests {
    static let pointsRules = TestSupport.testsDirectory + "/Rules/test-points"
    let rules: RuleSet
    let engine: ScoringEngine
    let asOf = TestSupport.date("2026-11-20")

    init() throws {
        rules = try RuleSet.load(from: Self.pointsRules)
        engine = try ScoringEngine(rules: rules)
    }

    func assess(_ yaml: String, engine: ScoringEngine? = nil) throws -> Assessment {
        let engine = engine ?? self.engine
        let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
        return engine.assess(record, asOf: asOf, for: .fullView)
    }

    /// A GAD-7 result whose total is `total` (answers of 3 first, then the rest).
    static func gad7(total: Int) -> String {
        let items = (0..<7).map { min(3, max(0, total - 3 * $0)) }
        return "scales: [{scale: gad7, date: 2026-11-01, items: \(items)}]"
    }

    // MARK: Reading awarded points

    @Test func anySingleParameterScoringThreeRaisesTheLevel() throws {
        // Respiration 26 is in its 3-point band: score 3 (low), but one parameter at 3 points gives at least medium.
        let one = try assess("{id: A, respiration_rate: 26}")
        #expect(one.score == 3 && one.scoreLevel?.id == "low")
        #expect(one.level.id == "medium" && one.escalations.map(\.id) == ["any_parameter_3"])
        // 2 + 1 + 1 = 4 points on three parameters, none at 3: low, no escalation.
        let spread = try assess("{id: B, respiration_rate: 22, heart_rate: 100, oxygen_saturation: 95}")
        #expect(spread.fired.map(\.points) == [2, 1, 1])
        #expect(spread.level.id == "low" && spread.escalations.isEmpty)
    }

    @Test func theDriftingCopiesExampleMovesWithTheBandWhenWrittenWithPoints() throws {
        // The case: the heart rate's 3-point band moves from 131 to 121 in the indicator. An escalation that
        // restated the bands by hand still says 131 and misses a student scored 3 points on heart rate; the one
        // written with max_points() moves with the band.
        let original = try String(contentsOfFile: Self.pointsRules + "/rules.yaml", encoding: .utf8)
        #expect(original.contains("{from: 131, points: 3}"))
        let moved =
            original.replacingOccurrences(of: "{from: 131, points: 3}", with: "{from: 121, points: 3}") + """
                  - id: hand_copy
                    when: "respiration_rate >= 25 or heart_rate >= 131 or 100 - oxygen_saturation >= 9"
                    level: medium
                    reason: The same rule with the bands copied by hand.

                """
        let path = try TestSupport.directory(["rules.yaml": moved])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let student = try assess("{id: H, heart_rate: 125}", engine: engine)
        #expect(student.fired.map(\.id) == ["heart"] && student.fired.map(\.points) == [3])
        #expect(student.escalations.map(\.id) == ["any_parameter_3"])
        #expect(student.level.id == "medium")
        // Under the bands as first written, 125 is 2 points: neither rule holds.
        let before = try assess("{id: H, heart_rate: 125}")
        #expect(before.fired.map(\.points) == [2] && before.level.id == "low" && before.escalations.isEmpty)
    }

    @Test func sumPointsAddsTheGroupAndPointsOfAnIndicatorThatDidNotFireIsZero() throws {
        // Anxiety 5 (GAD-7 total 5) + short sleep 3 (5 hours) = 8 mood points: mood_sum gives high.
        let both = try assess("{id: M, \(Self.gad7(total: 5)), sleep_hours: 5}")
        #expect(both.fired.map(\.id) == ["anxiety", "short_sleep"] && both.fired.map(\.points) == [5, 3])
        #expect(both.escalations.map(\.id) == ["mood_sum"] && both.level.id == "high")
        // Anxiety 5 + short sleep 2 = 7: below 8, and the score 7 alone gives high; mood_sum does not hold.
        let less = try assess("{id: M2, \(Self.gad7(total: 5)), sleep_hours: 6}")
        #expect(less.escalations.isEmpty)
        // points(thoughts) of a student whose thoughts did not fire is 0, not missing: a cap over it can hold.
        let capped = try TestSupport.directory([
            "rules.yaml": try String(contentsOfFile: Self.pointsRules + "/rules.yaml", encoding: .utf8) + """
                caps:
                  - id: no_thoughts
                    when: "points(thoughts) == 0 and max_points(red_flag) == 0 and sum_points(red_flag) < 1"
                    level: low
                    reason: Without a red flag, at most low.

                """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: capped))
        let calm = try assess("{id: N, \(Self.gad7(total: 5)), sleep_hours: 5}", engine: engine)
        #expect(calm.caps.map(\.id) == ["no_thoughts"])
        let flagged = try assess("{id: N2, \(Self.gad7(total: 5)), self_harm_thoughts: true}", engine: engine)
        #expect(flagged.caps.isEmpty)
    }

    @Test func groupsAndDimensionsReadRiskIndicatorsOnlyAfterCalendarMultipliers() throws {
        // A protective factor's points are left out of sum_points (it is in a protective dimension of its own, as
        // every protective factor must be); a multiplier counts as in the score.
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: sums}
            calendar:
              windows:
                exams: {from: 2026-11-01, to: 2026-11-30}
              effects:
                - {window: exams, indicators: [tired], multiply: 2}
            schema:
              fields:
                hours: {type: number, min: 0, max: 24}
                sport: boolean
            levels:
              - {id: none, response: "-"}
              - {id: low, from: 1, response: "-"}
              - {id: high, from: 20, response: "-"}
            indicators:
              - {id: tired, label: tired, dimension: observable, group: body, when: "hours < 6", points: 2}
              - {id: restless, label: restless, dimension: observable, when: "hours < 4", points: 1}
            protective:
              - {id: active, label: active, when: "sport", points: 5}
            escalations:
              - {id: sum4, when: "sum_points(observable) >= 5 and max_points(body) == 4", level: high}
              - {id: fired_group, when: "fired_count(body) == 1 and fired_count(observable) == 2", level: low}
            """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        // tired 2 × 2 = 4, restless 1: sum 5, largest in body 4; the protective factor's 5 points are not
        // subtracted from the sum.
        let student = try assess("{id: S, hours: 3, sport: true}", engine: engine)
        #expect(student.score == 0)
        #expect(student.escalations.map(\.id) == ["sum4", "fired_group"])
        #expect(student.level.id == "high")
    }

    // MARK: Points from a value

    @Test func pointsFromAValueAreClampedAndShownWithTheValue() throws {
        // GAD-7 total 21, clamped to anxiety_cap (6); the explanation shows the value and the points.
        let high = try assess("{id: C, \(Self.gad7(total: 21))}")
        let anxiety = try #require(high.fired.first)
        #expect(anxiety.id == "anxiety" && anxiety.points == 6)
        #expect(anxiety.evidence.map(\.label) == ["latest(gad7).total"] && anxiety.evidence.map(\.value) == ["21"])
        #expect(high.explanation.contains("+6  anxiety") && high.explanation.contains("latest(gad7).total: 21"))
        // Total 2: 2 points. A fractional value gives fractional points (7.5 hours: 0.5).
        #expect(try assess("{id: C2, \(Self.gad7(total: 2))}").fired.map(\.points) == [2])
        #expect(try assess("{id: C3, sleep_hours: 7.5}").fired.map(\.points) == [0.5])
        // A value that gives no points does not fire (as a value below the first band does not), so it is not a
        // sign that fired_count() counts: a total of 0, or 9 hours of sleep (8 - 9 = -1, clamped to 0).
        #expect(try assess("{id: C4, \(Self.gad7(total: 0))}").fired.isEmpty)
    }

    @Test func aValueThatGivesNoPointsDoesNotFireSoACapOnASignAloneStillHolds() throws {
        // More sleep must never raise a level: 9 hours gives 8 - 9 = -1, clamped to 0, which fires nothing, so the
        // cap "a scale alone is attention" still holds (before, the 0-point indicator counted as a second sign).
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: sleep}
            schema:
              fields:
                positive: boolean
                sleep_hours: {type: number, min: 0, max: 24}
                big: {type: number, min: 0, max: 1000000000}
            levels:
              - {id: none, response: "-"}
              - {id: attention, from: 1, response: "-"}
              - {id: focus, from: 3, response: "-"}
            indicators:
              - {id: scale, label: scale, dimension: knowable, when: "positive", points: 3}
              - {id: short_sleep, label: short sleep, dimension: observable, points: {value: "8 - sleep_hours", max: 3}}
              - {id: huge, label: huge, dimension: observable, points: {value: "big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big * big"}}
            caps:
              - {id: scale_alone, when: "scale and fired_count() == 1", level: attention}
            """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        let rested = try assess("{id: R, positive: true, sleep_hours: 9}", engine: engine)
        #expect(rested.fired.map(\.id) == ["scale"] && rested.level.id == "attention")
        let tired = try assess("{id: T, positive: true, sleep_hours: 6}", engine: engine)
        #expect(tired.fired.map(\.id) == ["scale", "short_sleep"] && tired.level.id == "focus")
        // A value beyond every number (overflow) with no max awards nothing, rather than an infinite score.
        let overflow = try assess("{id: O, big: 1000000000}", engine: engine)
        #expect(overflow.fired.isEmpty && overflow.score == 0)
    }

    @Test func aMissingValueAwardsNothingAndTheIndicatorDoesNotFire() throws {
        let none = try assess("{id: E}")
        #expect(none.fired.isEmpty && none.score == 0)
        // Its near miss says which value is missing.
        let misses = engine.nearMisses(
            try #require(try TestSupport.records("- {id: E}", schema: rules.schema).first), asOf: asOf, for: .fullView)
        let anxiety = try #require(misses.first { $0.indicatorID == "anxiety" })
        #expect(anxiety.reason == .unknown)
        #expect(anxiety.description.contains("latest(gad7).total needs a value the record does not have"))
    }

    @Test func aValueBelowMinGivesMinAndTheMultiplierAppliesAfterTheBounds() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: bounds}
            calendar:
              windows:
                exams: {from: 2026-11-01, to: 2026-11-30}
              effects:
                - {window: exams, indicators: [debt], multiply: 2}
            schema:
              fields:
                balance: {type: number, min: -100000, max: 100000}
            levels:
              - {id: none, response: "-"}
              - {id: low, from: 1, response: "-"}
            indicators:
              - {id: debt, label: debt, dimension: checkable, points: {value: "-balance / 1000", min: 1, max: 4}}
            """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path))
        // A positive balance gives -1, clamped to min 1; × 2 in the exam window.
        #expect(try assess("{id: P, balance: 1000}", engine: engine).fired.map(\.points) == [2])
        // A debt of 9,000 gives 9, clamped to max 4, × 2 = 8.
        let debt = try assess("{id: Q, balance: -9000}", engine: engine)
        #expect(debt.fired.map(\.points) == [8] && debt.fired.map(\.basePoints) == [4])
    }

    // MARK: Load errors

    /// A one-file rule set with these indicators, protective factors and escalations (each a YAML list's items).
    static func ruleSet(indicators: String, protective: String = "", escalations: String = "") -> String {
        """
        ruleset: {id: t}
        schema:
          fields:
            hours: {type: number, min: 0, max: 24}
            mood: {type: enumeration, values: [calm, low]}
          scales:
            gad7: {items: 7, answers: [0, 3], sensitive: false, scores: {total: {sum: all}}}
        levels:
          - {id: none, response: "-"}
          - {id: low, from: 1, response: "-"}
        indicators:
        \(indicators)
        """ + (protective.isEmpty ? "" : "\nprotective:\n\(protective)")
            + (escalations.isEmpty ? "" : "\nescalations:\n\(escalations)") + "\n"
    }

    static let tired =
        "  - {id: tired, label: tired, dimension: observable, group: body, when: \"hours < 6\", points: 2}"

    @Test func readingPointsOutsideEscalationsCapsAndDutiesIsRefusedWithWhereTheyMayBeUsed() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators: Self.tired
                    + "\n  - {id: worn, label: worn, dimension: observable, when: \"max_points(body) >= 2\", points: 1}"
            ))
        #expect(
            errors == [
                "13:59: in the condition of worn: found max_points() in an indicator; expected it only in escalations, "
                    + "caps and duties, which run once every indicator has given its points"
            ])
    }

    @Test func aDisplayOnlyIndicatorIsNeitherReadByPointsNorInAGroup() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators: Self.tired
                    + "\n  - {id: shown, label: shown, dimension: observable, group: body, when: \"hours < 8\", display_only: true}",
                escalations: """
                      - {id: e1, when: "points(shown) >= 0", level: low}
                    """))
        #expect(
            errors == [
                "13:61: found group: on the display-only indicator shown; expected groups on indicators that count "
                    + "(max_points, sum_points and fired_count read them; a display-only indicator gives no points)",
                "15:28: in escalation e1: found the display-only indicator shown in points(); expected an indicator "
                    + "that gives points (a display-only indicator gives none: remove display_only from shown to read it)",
            ])
    }

    @Test func theProtectiveDimensionIsRefusedInMaxPointsAndSumPoints() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators: Self.tired,
                escalations: """
                      - {id: e1, when: "max_points(controllable) >= 1", level: low}
                      - {id: e2, when: "sum_points(controllable) >= 1", level: low}
                    """))
        #expect(
            errors == [
                "14:32: in escalation e1: found the protective dimension controllable in max_points(); expected a "
                    + "dimension of risk indicators or a group (protective factors subtract their points; name one to "
                    + "test whether it held)",
                "15:32: in escalation e2: found the protective dimension controllable in sum_points(); expected a "
                    + "dimension of risk indicators or a group (protective factors subtract their points; name one to "
                    + "test whether it held)",
            ])
    }

    @Test func anUnknownGroupOrIndicatorIsRefusedWithASuggestion() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators: Self.tired,
                escalations: """
                      - {id: e1, when: "sum_points(bodi) >= 2", level: low}
                      - {id: e2, when: "points(tierd) >= 2", level: low}
                      - {id: e3, when: "points(body) >= 2", level: low}
                      - {id: e4, when: "fired_count(bodyy) >= 1", level: low}
                    """))
        let dimensions = "observable, checkable, knowable, controllable, time_node, history, clinical, red_flag"
        #expect(
            errors == [
                "14:32: in escalation e1: found \"bodi\"; expected a dimension: \(dimensions), or a group declared "
                    + "with group: on an indicator: body (did you mean \"body\"?)",
                "15:28: in escalation e2: found \"tierd\" in points(); expected an indicator (did you mean \"tired\"?)",
                "16:28: in escalation e3: found \"body\" in points(); expected an indicator (max_points and "
                    + "sum_points read a dimension or a group)",
                "17:33: in escalation e4: found \"bodyy\"; expected a dimension: \(dimensions), or a group declared "
                    + "with group: on an indicator: body (did you mean \"body\"?)",
            ])
    }

    @Test func groupsAreRefusedOnProtectiveFactorsAndWhenTheyNameADimension() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators:
                    "  - {id: tired, label: tired, dimension: observable, group: [body, knowable], when: \"hours < 6\", points: 2}",
                protective: "  - {id: rested, label: rested, group: body, when: \"hours >= 8\", points: 1}",
                escalations: "  - {id: e1, when: \"points(rested) >= 1\", level: low}"))
        #expect(
            errors == [
                "12:68: found the group \"knowable\", which is also a dimension; expected a group name that is not one "
                    + "of: observable, checkable, knowable, controllable, time_node, history, clinical, red_flag",
                "14:40: found group: on the protective factor rested; expected groups on risk indicators only "
                    + "(max_points, sum_points and fired_count read risk indicators)",
                "16:28: in escalation e1: found the protective factor rested in points(); expected a risk indicator "
                    + "(a protective factor subtracts its points: name it alone to test whether it held)",
            ])
    }

    @Test func pointsFromAValueThatIsNotANumberOrWithBadBoundsAreRefused() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                indicators: """
                      - {id: a, label: a, dimension: knowable, points: {value: "latest(gad7).date"}}
                      - {id: b, label: b, dimension: knowable, points: {value: "mood"}}
                      - {id: c, label: c, dimension: knowable, points: {value: "hours", min: -1}}
                      - {id: d, label: d, dimension: knowable, points: {value: "hours", min: 3, max: 2}}
                      - {id: e, label: e, dimension: knowable, points: "latest(gad7).total"}
                      - {id: f, label: f, dimension: knowable, points: {value: "hours", by: hours}}
                    """))
        #expect(
            errors == [
                "12:74: in the points of a: found a date; expected a number",
                "13:61: in the points of b: found the enumeration field mood (one of: calm, low); expected a number "
                    + "(an enumeration or a scale class is not a number: compare it with == or != or test it with in "
                    + "[..] instead)",
                "14:74: found min -1; expected 0 or more (protective factors subtract their points)",
                "15:82: found max 2 below min 3; expected max at least min",
                "16:52: found the expression \"latest(gad7).total\" for points of e; expected a number, a parameter, "
                    + "{by, bands}, or points from a value written as {value: \"latest(gad7).total\", min: …, max: …}",
                "17:69: found the unknown key \"by\" in points of f; expected one of: value, min, max",
            ])
    }

    // MARK: Privacy

    @Test func aRuleReadingThePointsOfASensitiveIndicatorIsSensitive() throws {
        let sensitive = Dictionary(uniqueKeysWithValues: rules.escalations.map { ($0.id, $0.isSensitive) })
        // thoughts reads a sensitive field: points(thoughts) and sum_points(mood), which holds it, read it too.
        #expect(
            sensitive == [
                "any_parameter_3": false, "mood_sum": true, "thoughts_points": true, "diagnosis_high": true,
            ])
    }

    @Test func aRoleThatMayNotSeeSensitiveFactsCannotTellWhichSensitiveIndicatorThePointsCameFrom() throws {
        // Two students at high with the same visible facts: one has self-harm thoughts (3 mood points: anxiety 5 + 3
        // = 8 sets mood_sum, and thoughts_points holds), the other a diagnosis (diagnosis_high). A reader who may not
        // see sensitive facts sees the same in every format: had mood_sum shown, it would tell that the withheld
        // points were mood points, which only the thoughts give.
        let thoughts = try assess("{id: T, \(Self.gad7(total: 5)), self_harm_thoughts: true}")
        let diagnosis = try assess("{id: T, \(Self.gad7(total: 5)), diagnosed: true}")
        #expect(thoughts.level.id == "high" && diagnosis.level.id == "high")
        #expect(thoughts.escalations.map(\.id) == ["mood_sum", "thoughts_points"])
        let reader = rules.leastPrivilegedRole
        #expect(!reader.seesSensitive)
        let seen = [thoughts, diagnosis].map { RedactionTests.shown($0.visible(to: reader), misses: []) }
        #expect(seen[0] == seen[1])
        #expect(!seen[0].contains("mood_sum") && !seen[0].contains("thoughts"))
        // The counsellor sees both rules.
        let counsellor = try #require(rules.role(named: "counsellor"))
        #expect(thoughts.visible(to: counsellor).escalations.map(\.id) == ["mood_sum", "thoughts_points"])
    }

    // MARK: Speed and verification

    @Test func theVerifierChecksTheAwardedPointsStep() throws {
        let schema = rules.schema
        let levelRule = ExpressionCodeVerifier(
            bounds: .init(schema: schema, indicators: 3, windows: 0, readsScore: true))
        let indicator = ExpressionCodeVerifier(
            bounds: .init(schema: schema, indicators: 3, windows: 0, readsScore: false))
        let good = ExpressionCode.awardedPoints(of: [0, 2], mode: .largest)
        #expect(levelRule.verify(good, leaving: .number) == nil)
        // Outside an escalation, cap or duty there are no points to read.
        #expect(
            indicator.verify(good, leaving: .number)?.message
                == "found an awarded-points step outside an escalation, cap or duty; expected none")
        // An indicator past the last, a word past the last, a mode that does not exist, a set past the code.
        let past = ExpressionCode.awardedPoints(of: [3], mode: .sum)
        #expect(
            levelRule.verify(past, leaving: .number)?.message
                == "found a fired set naming an indicator past the last; expected indicators that exist")
        let farWord = ExpressionCode.awardedPoints(of: [64], mode: .sum)
        #expect(levelRule.verify(farWord, leaving: .number)?.message == "found the fired-set word 1; expected 0 to 0")
        var badMode = good.instructions
        badMode[0].c = 7
        #expect(
            levelRule.verify(ExpressionCode(instructions: badMode, depth: 1), leaving: .number)?.message
                == "found the points mode 7; expected one of PointsMode")
        var short = good.instructions
        short[0].b = 5
        #expect(
            levelRule.verify(ExpressionCode(instructions: short, depth: 1), leaving: .number)?.message
                == "found 5 data steps after an awarded-points step; expected them within the code")
    }

    @Test func aRuleSetThatReadsNoPointsCompilesNoPointsStep() throws {
        // Reading points costs nothing where no rule reads them: campus-default has no such step to run.
        let campus = try RuleSet.load(
            from: URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
                .deletingLastPathComponent().path + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: campus)
        #expect(!engine.kernel.code.contains { $0.operation == .awardedPoints })
        #expect(engine.kernel.valueBounds.allSatisfy { $0 == nil })
        #expect(self.engine.kernel.code.contains { $0.operation == .awardedPoints })
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic
@testable import RiskScreenYAML

/// The check of compiled code at load: what the compiler makes passes, broken code is caught before it runs.
@Suite struct ExpressionCodeVerifierTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A piece of hand-made code, what the check must say about it, and at which step.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Instruction]
        var depth: Int
        var leaving: ExpressionCodeVerifier.Shape?
        var step: Int
        var message: String

        var testDescription: String { name }
    }

    static func step(
        _ operation: Instruction.Operation, a: Int32 = 0, b: Int32 = 0, c: Int32 = 0, constant: Double = 0,
        fold: Instruction.Fold = .push
    ) -> Instruction {
        Instruction(operation: operation, fold: fold, a: a, b: b, c: c, constant: constant)
    }

    /// Code the check must refuse; test-campus has 14 indicators (one fired-set word) and no slot 999.
    static let broken: [Case] = [
        Case(
            name: "a skip past the end",
            steps: [step(.booleanSlot), step(.skipIfFalse, a: 5), step(.booleanSlot, fold: .and)],
            depth: 1, leaving: .truth, step: 1,
            message: "found a skip of 5 steps to step 7; expected a forward skip within the 3 steps"),
        Case(
            name: "a skip backwards",
            steps: [step(.booleanSlot), step(.skipIfTrue, a: -2), step(.booleanSlot, fold: .or)],
            depth: 1, leaving: .truth, step: 1,
            message: "found a skip of -2 steps to step 0; expected a forward skip within the 3 steps"),
        Case(
            name: "a skip into a member list",
            steps: [
                step(.booleanSlot), step(.skipIfFalse, a: 2), step(.slot), step(.member, b: 1), step(.data), step(.and),
            ],
            depth: 2, leaving: .truth, step: 4,
            message: "found a skip landing on a data step; expected it to land on a step"),
        Case(
            name: "a skip that lands with another stack",
            steps: [step(.booleanSlot), step(.skipIfFalse, a: 1), step(.booleanSlot), step(.and)],
            depth: 2, leaving: .truth, step: 3,
            message:
                "found a skip landing here with [truth] while [truth, truth] reach it in order; expected the same stack"
        ),
        Case(
            name: "a stack underflow", steps: [step(.constant, constant: 1), step(.add)], depth: 1, leaving: .number,
            step: 1,
            message: "found 1 values; expected two for add"),
        Case(
            name: "a unary step on an empty stack", steps: [step(.not)], depth: 1, leaving: .truth, step: 0,
            message: "found an empty stack; expected a truth for not"),
        Case(
            name: "a fold into an empty stack", steps: [step(.fired, fold: .and)], depth: 1, leaving: .truth, step: 0,
            message: "found a step folded into an empty stack; expected a truth on top"),
        Case(
            name: "more values than the declared depth",
            steps: [step(.constant), step(.constant), step(.add)], depth: 1, leaving: .number, step: 1,
            message: "found 2 values on the stack; expected at most the declared depth 1"),
        Case(
            name: "two values left", steps: [step(.constant), step(.constant)], depth: 2, leaving: nil, step: 2,
            message: "found 2 values left at the end; expected exactly one"),
        Case(
            name: "no steps", steps: [], depth: 1, leaving: nil, step: 0,
            message: "found no steps; expected at least one"),
        Case(
            name: "a slot out of range", steps: [step(.slot, a: 999)], depth: 1, leaving: .number, step: 0,
            message: "found the slot 999; expected 0 to"),
        Case(
            name: "a negative slot", steps: [step(.compareSlot, a: -1)], depth: 1, leaving: .truth, step: 0,
            message: "found the slot -1; expected 0 to"),
        Case(
            name: "an indicator out of range", steps: [step(.fired, a: 14)], depth: 1, leaving: .truth, step: 0,
            message: "found the indicator 14; expected 0 to 13"),
        Case(
            name: "a fired-set word out of range",
            steps: [
                step(.firedCount, b: 1, c: Instruction.FiredSetMode.count.rawValue),
                step(.data, a: 1, constant: Double(bitPattern: 1)),
            ],
            depth: 1, leaving: .number, step: 0, message: "found the fired-set word 1; expected 0 to 0"),
        Case(
            name: "a fired set naming a missing indicator",
            steps: [
                step(.firedCount, b: 1, c: Instruction.FiredSetMode.count.rawValue),
                step(.data, a: 0, constant: Double(bitPattern: 1 << 20)),
            ],
            depth: 1, leaving: .number, step: 0,
            message: "found a fired set naming an indicator past the last; expected indicators that exist"),
        Case(
            name: "a fired set whose data runs past the end",
            steps: [step(.firedCount, b: 3, c: Instruction.FiredSetMode.any.rawValue), step(.data)], depth: 1,
            leaving: .truth,
            step: 0, message: "found 3 data steps after a fired-set step; expected them within the code"),
        Case(
            name: "an unknown fired-set mode", steps: [step(.firedCount, c: 9)], depth: 1, leaving: nil, step: 0,
            message: "found the fired-set mode 9; expected one of FiredSetMode"),
        Case(
            name: "a data step run", steps: [step(.data)], depth: 1, leaving: nil, step: 0,
            message: "found a data step outside the fired set or member list it belongs to; expected it skipped"),
        Case(
            name: "a member list past the end", steps: [step(.slot), step(.member, b: 2), step(.data)], depth: 1,
            leaving: .truth, step: 1, message: "found 2 values after a member step; expected them within the code"),
        Case(
            name: "an event kind out of range", steps: [step(.count, a: 99, b: -1)], depth: 1, leaving: .number,
            step: 0,
            message: "found the event kind 99; expected 0 to"),
        Case(
            name: "a scale score out of range", steps: [step(.latestScore, a: 0, b: -1, c: 50)], depth: 1,
            leaving: .number,
            step: 0, message: "found the score 50; expected 0 to"),
        Case(
            name: "a scale out of range", steps: [step(.latestClass, a: 40, b: -1)], depth: 1, leaving: .number,
            step: 0,
            message: "found the scale 40; expected 0 to"),
        Case(
            name: "the score read by an indicator", steps: [step(.score)], depth: 1, leaving: .number, step: 0,
            message: "found a score step outside an escalation or cap; expected none"),
        Case(
            name: "a class-rule item outside a class rule", steps: [step(.classItem)], depth: 1, leaving: .number,
            step: 0,
            message: "found a class-rule item step outside a class rule; expected none"),
        Case(
            name: "and over numbers", steps: [step(.constant, constant: 2), step(.slot), step(.and)], depth: 2,
            leaving: .truth, step: 2,
            message: "found a number and a number for and; expected two of truth"),
        Case(
            name: "a number where a condition is expected", steps: [step(.constant, constant: 7)], depth: 1,
            leaving: .truth, step: 1,
            message: "found a number left at the end; expected a truth"),
        Case(
            name: "a scale match without its header", steps: [step(.matchAny, a: 0, b: -1)], depth: 1,
            leaving: .truth, step: 0, message: "found a match step without its header; expected a data step after it"),
        Case(
            name: "a scale match whose condition runs past the end",
            steps: [step(.matchAny, a: 0, b: -1), step(.data, a: 3, b: 1), step(.classItem)], depth: 1,
            leaving: .truth, step: 0, message: "found a condition of 3 steps and depth 1; expected at least one step"),
        Case(
            name: "a condition on one result that reads an event",
            steps: [step(.matchLatestDate, a: 0, b: 30), step(.data, a: 1, b: 1), step(.compareCount, a: 0, b: -1)],
            depth: 1, leaving: .number, step: 0,
            message: "found a condition on one result that fails its check (step 0: found the event kind 0; expected "
                + "none, as this code has none to read)"),
        Case(
            name: "a condition on one result that leaves a number",
            steps: [step(.matchAny, a: 0, b: 30), step(.data, a: 1, b: 1), step(.classItem, c: 8)], depth: 1,
            leaving: .truth, step: 0,
            message: "found a condition on one result that fails its check (step 1: found a number left at the end"),
        Case(
            name: "a scale match reading an item the scale lacks",
            steps: [step(.matchLatestItem, a: 0, b: 30, c: 9), step(.data, a: 1, b: 1), step(.constant, constant: 1)],
            depth: 1, leaving: .number, step: 0, message: "found the item 9; expected 0 to 8"),
        Case(
            name: "a result class outside a condition on one result", steps: [step(.entryClass)], depth: 1,
            leaving: .number, step: 0,
            message: "found a result-class step outside a condition on one scale result; expected none"),
        Case(
            name: "followed_by with days that are not a whole number",
            steps: [step(.followedBy, a: 0, b: -1, c: 1, constant: .nan)], depth: 1, leaving: .truth, step: 0,
            message: "found nan days between the events; expected a whole number from 0 to 1000000"),
        Case(
            name: "followed_by with a second kind out of range",
            steps: [step(.followedBy, a: 0, b: -1, c: 99, constant: 7)], depth: 1, leaving: .truth, step: 0,
            message: "found the event kind 99; expected 0 to"),
        Case(
            name: "days since a date field as neither a fact nor a plan",
            steps: [step(.daysSinceField, a: 0, c: 2)], depth: 1, leaving: .number, step: 0,
            message: "found 2 as whether the date is a fact; expected 0 (a plan) or 1 (a fact)"),
        Case(
            name: "a truth count over more values than the stack holds",
            steps: [step(.booleanSlot), step(.booleanSlot), step(.countTruths, a: 3)], depth: 2, leaving: .number,
            step: 2, message: "found 2 values; expected 3 truths for countTruths, at least one"),
        Case(
            name: "a truth count over a number",
            steps: [step(.booleanSlot), step(.slot), step(.countTruths, a: 2)], depth: 2, leaving: .number,
            step: 2, message: "found a number for countTruths; expected 2 truths"),
        Case(
            name: "at least more truths than it counts",
            steps: [step(.booleanSlot), step(.booleanSlot), step(.countTruths, a: 2, c: 1, constant: 3)], depth: 2,
            leaving: .truth, step: 2, message: "found at least 3.0 of 2; expected 0 to 2"),
        Case(
            name: "a truth count of an unknown mode",
            steps: [step(.booleanSlot), step(.countTruths, a: 1, c: 7)], depth: 1, leaving: .number,
            step: 1, message: "found the truth-count mode 7; expected one of TruthCountMode"),
    ]

    static func campusVerifier() throws -> ExpressionCodeVerifier {
        let rules = try TestSupport.loadCampus()
        #expect(rules.indicators.count == 14)
        return ExpressionCodeVerifier(
            bounds: .init(
                schema: rules.schema, indicators: rules.indicators.count, windows: rules.windows.count,
                readsScore: false))
    }

    @Test(arguments: broken)
    func brokenCodeIsCaughtBeforeItRuns(_ broken: Case) throws {
        let failure = try Self.campusVerifier().verify(
            ExpressionCode(instructions: broken.steps, depth: broken.depth), leaving: broken.leaving)
        let found = try #require(failure)
        #expect(found.step == broken.step)
        #expect(found.message.hasPrefix(broken.message), "\(found.message)")
    }

    @Test func wellFormedHandMadeCodePasses() throws {
        let verifier = try Self.campusVerifier()
        // `flag and (x in [1, 2] or y > 3)`, with a skip to the end over the member list.
        let code = ExpressionCode(
            instructions: [
                Self.step(.booleanSlot), Self.step(.skipIfFalse, a: 6), Self.step(.slot), Self.step(.member, b: 2),
                Self.step(.data, constant: 1), Self.step(.data, constant: 2), Self.step(.fired, a: 13, fold: .or),
                Self.step(.and),
            ],
            depth: 2)
        #expect(verifier.verify(code, leaving: .truth) == nil)
    }

    @Test func classRulesMayReadOnlyTheirScoresItemsAndFields() throws {
        let rules = try TestSupport.loadCampus()
        let scale = try #require(rules.schema.scale(named: "mini"))
        let verifier = ExpressionCodeVerifier(bounds: .init(classRuleOf: scale, fieldSlots: 3))
        let item = ExpressionCode(instructions: [Self.step(.classItem, c: 3)], depth: 1)
        #expect(verifier.verify(item, leaving: .number) == nil)
        let missingItem = ExpressionCode(instructions: [Self.step(.classItem, c: 4)], depth: 1)
        #expect(verifier.verify(missingItem, leaving: .number)?.message == "found the item 4; expected 0 to 3")
        let field = ExpressionCode(instructions: [Self.step(.booleanSlot)], depth: 1)
        #expect(
            verifier.verify(field, leaving: .truth)?.message
                == "found a booleanSlot step in a class rule; expected only scores and items")
        let event = ExpressionCode(instructions: [Self.step(.count)], depth: 1)
        #expect(
            verifier.verify(event, leaving: .number)?.message
                == "found the event kind 0; expected none, as this code has none to read")
        // A field is read beside the scores, within the record's slots; never outside a class rule.
        #expect(
            verifier.verify(ExpressionCode(instructions: [Self.step(.fieldSlot, a: 2)], depth: 1), leaving: .number)
                == nil)
        #expect(
            verifier.verify(ExpressionCode(instructions: [Self.step(.fieldSlot, a: 3)], depth: 1), leaving: .number)?
                .message == "found the field slot 3; expected 0 to 2")
        #expect(
            try Self.campusVerifier().verify(
                ExpressionCode(instructions: [Self.step(.fieldSlot)], depth: 1), leaving: .number)?.message
                == "found a field step outside a class rule or a condition on one result; expected none")
    }

    /// Random conditions over test-campus (splitmix64, fixed seeds): numbers and truths of every kind the language
    /// has, nested and chained.
    struct ConditionGenerator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        mutating func pick(_ choices: [String]) -> String { choices[next(choices.count)] }

        mutating func number(_ depth: Int) -> String {
            let leaves = [
                "gpa", "failed_courses", "count(night_absence, 30d)", "count(family_change)",
                "days_since(night_absence)",
                "days_since(enrolled_on)", "study_year()", "latest(phq9).total", "latest(phq9, 90d).item(9)",
                "latest(mini).mood", "latest(mini, 1w).high_items", "1", "2.5", "0", "score", "fired_count()",
                "fired_count(knowable)", "as_of - enrolled_on", "count_days(night_absence, 30d)",
                "count_days(mood_swing_report)", "latest(phq9, 90d, item(9) >= 1).total", "count(night_absence, 3m)",
                "latest(phq9, 6m).total", "count_days(night_absence, 1m)",
                "latest(phq9, 30d, total >= 10 and class != severe).item(9)", "latest(phq9, 1w, true).total",
                "count_true(diagnosed, seeks_help or during(exams), gpa < 2)", "max(gpa, 1, failed_courses)",
            ]
            guard depth > 0, next(3) != 0 else { return pick(leaves) }
            switch next(5) {
            case 0: return "\(number(depth - 1)) \(pick(["+", "-", "*", "/"])) \(number(depth - 1))"
            case 1: return "\(pick(["min", "max"]))(\(number(depth - 1)), \(number(depth - 1)))"
            case 2: return "-(\(number(depth - 1)))"
            case 3: return "(\(number(depth - 1)) + \(number(depth - 1)) * \(number(depth - 1)))"
            default: return pick(leaves)
            }
        }

        mutating func truth(_ depth: Int) -> String {
            let leaves = [
                "academic_warning", "diagnosed", "seeks_help", "during(exams)", "during(winter_break)", "night_absence",
                "low_gpa", "mood_swing", "true", "false", "family_structure in [intact, single_parent]",
                "family_structure not in [reconstituted]", "family_structure == intact", "family_structure != 'intact'",
                "latest(phq9).class == severe", "latest(phq9).class in [mild, moderate]",
                "latest(mini).class != positive",
                "gpa is set", "latest(phq9).total is missing", "enrolled_on >= 2025-09-01",
                "failed_courses in [1, 2, 3]", "any(phq9, 180d, item(9) >= 1)",
                "any(mini, 30d, class == positive or item(1) > 1)",
                "followed_by(family_change, mood_swing_report, 30d)",
                "followed_by(night_absence, counsellor_contact, 3d, 90d)", "any(phq9, 12m, item(9) >= 1)",
                "followed_by(night_absence, counsellor_contact, 3d, 2m)",
                "latest(phq9, 60d, class in [mild, moderate]).class == mild",
                "latest(phq9, 60d, item(9) >= 1).date > enrolled_on",
                "at_least(2, academic_warning, seeks_help, gpa < 2, not diagnosed)",
                "max(academic_warning, count(night_absence, 30d) >= 2)", "min(seeks_help, gpa >= 3, diagnosed)",
            ]
            guard depth > 0, next(4) != 0 else { return pick(leaves) }
            switch next(7) {
            case 0, 1: return "\(number(depth - 1)) \(pick(["<", "<=", ">", ">=", "==", "!="])) \(number(depth - 1))"
            case 2: return "\(number(depth - 1)) \(pick(["<", ">=", "=="])) \(pick(["2", "0.5", "10"]))"
            case 3: return "not (\(truth(depth - 1)))"
            case 4:
                let op = pick(["and", "or"])
                return (0..<(2 + next(4))).map { _ in truth(depth - 1) }.joined(separator: " \(op) ")
            case 5: return "(\(truth(depth - 1))) \(pick(["and", "or"])) (\(truth(depth - 1)))"
            default: return "(\(truth(depth - 1))) \(pick(["==", "!="])) (\(truth(depth - 1)))"
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func generatedConditionsThatCompilePassTheCheckAndRun(seed: UInt64) throws {
        let rules = try TestSupport.loadCampus()
        let builder = RuleSetBuilder(definitions: Definitions(), bag: DiagnosticBag())
        var scope = builder.makeScope(
            context: .levelRule, indicators: rules.indicators.map { ($0.id, $0.dimension, !$0.isProtective) })
        scope.schema = rules.schema
        scope.windowIndex = Dictionary(uniqueKeysWithValues: rules.windows.enumerated().map { ($1.name, $0) })
        let verifier = ExpressionCodeVerifier(
            bounds: .init(
                schema: rules.schema, indicators: rules.indicators.count, windows: rules.windows.count, readsScore: true
            ))
        let record = try #require(
            try TestSupport.records(
                "- {id: X, gpa: 1.5, failed_courses: 2, enrolled_on: 2025-09-01, family_structure: intact, "
                    + "academic_warning: true, events: {night_absence: [2026-11-01, 2026-11-20]}, "
                    + "scales: [{scale: phq9, date: 2026-11-01, items: [1, 2, 3, 0, 1, 2, 3, 0, 1]}]}",
                schema: rules.schema
            ).first)
        let date = TestSupport.date("2026-11-23")
        let windows = rules.windows.map { $0.holds(on: date) }
        var generator = ConditionGenerator(state: seed)
        var compiled = 0
        var numbers = 0
        for _ in 0..<100 {
            let text = generator.number(4)
            var compiler = ExpressionCompiler(scope: scope)
            guard let code = compiler.compileNumber(try ExpressionParser.parse(text))?.0, compiler.errors.isEmpty else {
                continue
            }
            numbers += 1
            let failure = verifier.verify(code, leaving: .number)
            #expect(failure == nil, "\(text): \(failure.map(\.description) ?? "")")
        }
        #expect(numbers > 50, "\(numbers) of 100 compiled")
        for _ in 0..<400 {
            let text = generator.truth(4)
            let syntax = try ExpressionParser.parse(text)
            var compiler = ExpressionCompiler(scope: scope)
            guard let code = compiler.compileCondition(syntax)?.0, compiler.errors.isEmpty else { continue }
            compiled += 1
            let failure = verifier.verify(code, leaving: .truth)
            #expect(failure == nil, "\(text): \(failure.map(\.description) ?? "")")
            guard failure == nil else { continue }
            var firedBits: UInt64 = 0b1010_0110
            let truth = withUnsafeMutablePointer(to: &firedBits) { bits in
                windows.withUnsafeBufferPointer { active in
                    var frame = EvalFrame(
                        storage: record.storage, asOf: Int32(date.dayNumber),
                        asOfAcademicYear: AcademicYear.of(dayNumber: date.dayNumber, start: (9, 1)),
                        windowActive: active.baseAddress.unsafelyUnwrapped, firedBits: bits)
                    return withExtendedLifetime(record) { withUnsafePointer(to: &frame) { code.truth($0) } }
                }
            }
            #expect([Truth.true, .false, .unknown].contains(truth))
        }
        // Most generated conditions are well typed: the check saw a broad sample of what the compiler makes.
        #expect(compiled > 200, "\(compiled) of 400 compiled")
    }

    @Test(arguments: [
        "/Rules/campus-default", "/Rules/college-arts", "/Rules/scales", "/Tests/RiskScreenTests/Rules/test-campus",
        "/Tests/RiskScreenTests/Rules/test-college", "/Tests/RiskScreenTests/Rules/test-counting",
        "/Tests/RiskScreenTests/Rules/test-class-fields", "/Tests/RiskScreenTests/Rules/test-months",
        "/Tests/RiskScreenTests/Rules/test-ratings",
    ])
    func everyBundledAndTestRuleSetPasses(path: String) throws {
        let rules = try RuleSet.load(from: Self.root + path)
        let failures = ExpressionCodeVerifier.failures(in: rules)
        #expect(failures.isEmpty, "\(failures.map(\.message))")
        // The check saw code: conditions, or (in a scale library) class rules.
        #expect(
            rules.indicators.contains { $0.condition != nil } || rules.schema.scales.contains { !$0.classRules.isEmpty }
        )
    }
}

internal import RiskScreenSupport

/// Checks compiled code once, when the rules load, so the interpreter can run it without checking anything per
/// record: the stack never runs dry or above the declared ``ExpressionCode/depth``, skips land forward on a step
/// inside the code, every operand indexes something that exists (slots, event kinds, scales and their scores and
/// items, indicators, calendar windows, fired-set words), each step finds values of the kind it needs (numbers or
/// truths), and the code leaves exactly one value.
///
/// A failure can only come from a compiler bug: the rule set is refused with an internal error at the rule's
/// location instead of scoring with code that could read out of bounds.
struct ExpressionCodeVerifier: Sendable {
    /// What code may read: how many there are of each thing its operands index.
    struct Bounds: Sendable {
        /// Numeric value slots of a record (in a class rule: the scale's scores, which the frame holds as values).
        var valueSlots: Int
        var eventKinds: Int
        /// Per scale: how many scores and items it has.
        var scaleScores: [Int]
        var scaleItems: [Int]
        var indicators: Int
        var windows: Int
        /// Whether `score` may be read (escalations and caps).
        var readsScore: Bool
        /// In a class rule: how many items the administration has; nil elsewhere.
        var classItems: Int?
        /// In a condition on one scale result (`latest(scale, window, condition)`): its class may be read.
        var readsClass = false
        /// In a class rule or a condition on one scale result: how many field slots the record has beside the
        /// result's scores (``Instruction/Operation/fieldSlot``); 0 elsewhere, where fields are the values.
        var fieldSlots = 0

        /// The bounds of an indicator (`readsScore` false) or an escalation or cap (`readsScore` true) of a rule set.
        init(schema: Schema, indicators: Int, windows: Int, readsScore: Bool) {
            valueSlots = schema.valueSlotCount
            eventKinds = schema.eventKinds.count
            scaleScores = schema.scales.map(\.scores.count)
            scaleItems = schema.scales.map(\.itemCount)
            self.indicators = indicators
            self.windows = windows
            self.readsScore = readsScore
            classItems = nil
        }

        /// The bounds of a class rule of `scale`: its scores and items, and the record's `fieldSlots` fields.
        init(classRuleOf scale: ScaleDefinition, fieldSlots: Int) {
            self.fieldSlots = fieldSlots
            valueSlots = scale.scores.count
            eventKinds = 0
            scaleScores = []
            scaleItems = []
            indicators = 0
            windows = 0
            readsScore = false
            classItems = scale.itemCount
        }

        /// The bounds of a condition on one result of scale `index` of these bounds: its scores, items and class.
        init(resultOf index: Int, in record: Bounds) {
            fieldSlots = record.valueSlots
            valueSlots = record.scaleScores[index]
            eventKinds = 0
            scaleScores = []
            scaleItems = []
            indicators = 0
            windows = 0
            readsScore = false
            classItems = record.scaleItems[index]
            readsClass = true
        }
    }

    /// What a value on the stack is.
    enum Shape: Sendable, Equatable {
        /// A number (NaN when missing).
        case number
        /// A truth: 0, 1 or 0.5.
        case truth
        /// A constant 0, 0.5 or 1, which serves as a number or as a truth (`true`, `false` compile to constants).
        case either

        /// Whether a value of this shape serves where `needed` is.
        func fits(_ needed: Shape) -> Bool { self == needed || self == .either }

        /// A stack as a message shows it: `[truth, number]`.
        static func describe(_ stack: [Shape]) -> String { "[" + stack.map { "\($0)" }.joined(separator: ", ") + "]" }

        /// The stack where two ways meet (a skip and the steps it skips): the same values, a constant taking the
        /// shape of what meets it; nil when they differ.
        static func join(_ first: [Shape], _ second: [Shape]) -> [Shape]? {
            guard first.count == second.count else { return nil }
            var joined: [Shape] = []
            for (a, b) in zip(first, second) {
                if a.fits(b) {
                    joined.append(b)
                } else if b.fits(a) {
                    joined.append(a)
                } else {
                    return nil
                }
            }
            return joined
        }
    }

    /// Why code failed its check, and at which step.
    struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The index of the step, or the number of steps for a failure at the end.
        var step: Int
        var message: String

        var description: String { "step \(step): \(message)" }
    }

    let bounds: Bounds

    /// Checks `code`; `leaving` is the shape the code must leave (nil: either, as evidence may show both).
    func verify(_ code: ExpressionCode, leaving: Shape?) -> Failure? {
        let steps = code.instructions
        guard !steps.isEmpty else { return Failure(step: 0, message: "found no steps; expected at least one") }
        guard code.depth >= 1 else {
            return Failure(step: 0, message: "found a declared depth of \(code.depth); expected at least 1")
        }
        var stack: [Shape] = []
        // The stack a skip expects where it lands, by step.
        var landings: [Int: [Shape]] = [:]
        var starts: Set<Int> = []
        var pc = 0
        while pc < steps.count {
            if let expected = landings[pc] {
                guard let joined = Shape.join(expected, stack) else {
                    return Failure(
                        step: pc,
                        message:
                            "found a skip landing here with \(Shape.describe(expected)) while \(Shape.describe(stack)) reach it in order; expected the same stack"
                    )
                }
                stack = joined
            }
            starts.insert(pc)
            let step = steps[pc]
            if let failure = check(step, at: pc, steps, &stack, &landings) { return failure }
            if stack.count > code.depth {
                return Failure(
                    step: pc,
                    message:
                        "found \(stack.count) values on the stack; expected at most the declared depth \(code.depth)")
            }
            switch step.operation {
            case .firedCount, .awardedPoints, .member: pc += Int(step.b)
            case .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny:
                pc += 1 + Int(steps[pc + 1].a)
            case .dateSlot, .countDays, .followedBy, .entryClass, .compareDateSlot, .compareCountDays, .constant, .asOf,
                .slot, .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent,
                .daysSinceField, .studyYear, .latestScore, .latestItem, .latestClass, .latestDate, .classItem,
                .fieldSlot, .negate,
                .not, .truthOfBoolean, .numberIsSet, .truthIsSet, .compareConstant, .add, .subtract, .multiply, .divide,
                .minimum, .maximum, .compare, .compareTruths, .and, .or, .countTruths, .skipIfFalse, .skipIfTrue, .data,
                .compareSlot,
                .compareCount, .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask,
                .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField:
                break
            }
            pc += 1
        }
        for target in landings.keys where target != steps.count && !starts.contains(target) {
            return Failure(step: target, message: "found a skip landing on a data step; expected it to land on a step")
        }
        if let expected = landings[steps.count] {
            guard let joined = Shape.join(expected, stack) else {
                return Failure(
                    step: steps.count,
                    message:
                        "found a skip to the end with \(Shape.describe(expected)) while \(Shape.describe(stack)) reach it in order; expected the same stack"
                )
            }
            stack = joined
        }
        guard stack.count == 1 else {
            return Failure(
                step: steps.count, message: "found \(stack.count) values left at the end; expected exactly one")
        }
        if let leaving, !stack[0].fits(leaving) {
            return Failure(step: steps.count, message: "found a \(stack[0]) left at the end; expected a \(leaving)")
        }
        return nil
    }

    /// Checks a scale match step's operands, its header and its condition (as code of its own, over one result of
    /// the scale), not its effect on the stack.
    private func scaleMatch(
        _ step: Instruction, at pc: Int, _ steps: [Instruction], _ fail: (String) -> Failure
    ) -> Failure? {
        guard step.a >= 0, Int(step.a) < bounds.scaleScores.count else {
            return fail("found the scale \(step.a) in a match step; expected one of the \(bounds.scaleScores.count)")
        }
        let scale = Int(step.a)
        if step.operation == .matchLatestScore, step.c < 0 || Int(step.c) >= bounds.scaleScores[scale] {
            return fail("found the score \(step.c); expected 0 to \(bounds.scaleScores[scale] - 1)")
        }
        if step.operation == .matchLatestItem, step.c < 0 || Int(step.c) >= bounds.scaleItems[scale] {
            return fail("found the item \(step.c); expected 0 to \(bounds.scaleItems[scale] - 1)")
        }
        guard step.fold == .push else { return fail("found a \(step.operation) step folded; expected it pushed") }
        guard pc + 1 < steps.count, steps[pc + 1].operation == .data else {
            return fail("found a match step without its header; expected a data step after it")
        }
        let header = steps[pc + 1]
        guard header.a >= 1, header.b >= 1, pc + 1 + Int(header.a) < steps.count else {
            return fail(
                "found a condition of \(header.a) steps and depth \(header.b); expected at least one step, within the code"
            )
        }
        let condition = ExpressionCode(
            instructions: Array(steps[(pc + 2)...(pc + 1 + Int(header.a))]), depth: Int(header.b))
        let inner = Self(bounds: Bounds(resultOf: scale, in: bounds))
        if let failure = inner.verify(condition, leaving: .truth) {
            return fail("found a condition on one result that fails its check (\(failure)); expected valid code")
        }
        return nil
    }

    /// Checks the set of indicators that follows a fired-set or awarded-points step: `b` data steps within the code,
    /// each a word that exists with bits of indicators that exist. Gives how many indicators the set holds.
    private func indicatorSet(
        _ step: Instruction, at pc: Int, _ steps: [Instruction], _ fail: (String) -> Failure
    ) -> Result<Int, Failure> {
        guard step.b >= 0, pc + Int(step.b) < steps.count else {
            let what = step.operation == .firedCount ? "a fired-set" : "an awarded-points"
            return .failure(fail("found \(step.b) data steps after \(what) step; expected them within the code"))
        }
        let words = (bounds.indicators + 63) / 64
        var members = 0
        for data in steps[(pc + 1)..<(pc + 1 + Int(step.b))] {
            guard data.operation == .data else {
                return .failure(fail("found a \(data.operation) step in a fired set; expected data steps"))
            }
            guard data.a >= 0, Int(data.a) < words else {
                return .failure(
                    fail(
                        "found the fired-set word \(data.a); expected "
                            + (words == 0 ? "none, as this code has none to read" : "0 to \(words - 1)")))
            }
            let bits = data.constant.bitPattern
            let allowed =
                Int(data.a) == words - 1 && bounds.indicators % 64 != 0
                ? (UInt64(1) << UInt64(bounds.indicators % 64)) - 1 : ~0
            guard bits & ~allowed == 0 else {
                return .failure(
                    fail("found a fired set naming an indicator past the last; expected indicators that exist"))
            }
            members += bits.nonzeroBitCount
        }
        return .success(members)
    }

    /// The steps whose `b` is a window (``EventQueries/window(_:_:)``).
    static let windowOperations: Set<Instruction.Operation> = [
        .count, .countDays, .compareCount, .compareCountDays, .followedBy, .latestScore, .latestItem, .latestClass,
        .latestDate, .compareLatestScore, .compareLatestItem, .latestClassInMask, .matchLatestScore, .matchLatestItem,
        .matchLatestClass, .matchLatestDate, .matchAny,
    ]

    /// Checks one step's operands and applies its effect to the stack of shapes.
    private func check(
        _ step: Instruction, at pc: Int, _ steps: [Instruction], _ stack: inout [Shape],
        _ landings: inout [Int: [Shape]]
    ) -> Failure? {
        func fail(_ message: String) -> Failure { Failure(step: pc, message: message) }
        func within(_ value: Int32, _ count: Int, _ what: String) -> Failure? {
            if value >= 0 && Int(value) < count { return nil }
            return fail(
                "found \(what) \(value); expected "
                    + (count == 0 ? "none, as this code has none to read" : "0 to \(count - 1)"))
        }
        /// A leaf: checks that only the steps that can fold do, then pushes its value or folds it into the top truth.
        func leaf(_ shape: Shape, canFold: Bool = false) -> Failure? {
            switch step.fold {
            case .push:
                stack.append(shape)
                return nil
            case .and, .or:
                guard canFold, shape == .truth else {
                    return fail("found a \(step.operation) step folded into the top; expected it pushed")
                }
                guard stack.last?.fits(.truth) == true else {
                    return fail(
                        "found a step folded into \(stack.last.map { "a \($0)" } ?? "an empty stack"); expected a truth on top"
                    )
                }
                return nil
            }
        }
        func unary(_ input: Shape, _ output: Shape) -> Failure? {
            guard step.fold == .push else { return fail("found a \(step.operation) step folded; expected it plain") }
            guard let top = stack.popLast() else {
                return fail("found an empty stack; expected a \(input) for \(step.operation)")
            }
            guard top.fits(input) else { return fail("found a \(top) for \(step.operation); expected a \(input)") }
            stack.append(output)
            return nil
        }
        func binary(_ input: Shape, _ output: Shape) -> Failure? {
            guard step.fold == .push else { return fail("found a \(step.operation) step folded; expected it plain") }
            guard stack.count >= 2 else {
                return fail("found \(stack.count) values; expected two for \(step.operation)")
            }
            let right = stack.removeLast()
            let left = stack.removeLast()
            guard left.fits(input), right.fits(input) else {
                return fail("found a \(left) and a \(right) for \(step.operation); expected two of \(input)")
            }
            stack.append(output)
            return nil
        }
        /// Reading a record's boolean or date slot: not in a class rule, whose frame holds the scale's scores as its
        /// values (they are read as numbers only).
        func recordSlot(_ slot: Int32) -> Failure? {
            if bounds.classItems != nil {
                return fail("found a \(step.operation) step in a class rule; expected only scores and items")
            }
            return within(slot, bounds.valueSlots, "the slot")
        }
        func scale(score: Int32?, item: Int32?) -> Failure? {
            if let failure = within(step.a, bounds.scaleScores.count, "the scale") { return failure }
            if let score, let failure = within(score, bounds.scaleScores[Int(step.a)], "the score") { return failure }
            if let item, let failure = within(item, bounds.scaleItems[Int(step.a)], "the item") { return failure }
            return nil
        }

        // A window is days (0 or more), none (-1) or calendar months (-1 - months), within what the language allows.
        if Self.windowOperations.contains(step.operation), step.b < -1 - Int32(ExpressionLexer.maximumMonths) {
            return fail(
                "found the window \(step.b); expected 0 or more days, -1 for none, or -2 to "
                    + "\(-1 - ExpressionLexer.maximumMonths) for 1 to \(ExpressionLexer.maximumMonths) months")
        }
        switch step.operation {
        case .constant:
            return leaf([0, 0.5, 1].contains(step.constant) ? .either : .number)
        case .asOf:
            return leaf(.number)
        case .slot:
            return within(step.a, bounds.valueSlots, "the slot") ?? leaf(.number)
        case .booleanSlot:
            return recordSlot(step.a) ?? leaf(.truth, canFold: true)
        case .compareSlot, .slotInMask:
            return within(step.a, bounds.valueSlots, "the slot") ?? leaf(.truth, canFold: true)
        case .daysSinceField, .compareDaysSinceField:
            if let failure = recordSlot(step.a) { return failure }
            guard step.c == 0 || step.c == 1 else {
                return fail("found \(step.c) as whether the date is a fact; expected 0 (a plan) or 1 (a fact)")
            }
            return step.operation == .daysSinceField ? leaf(.number) : leaf(.truth, canFold: true)
        case .dateSlot:
            return recordSlot(step.a) ?? leaf(.number)
        case .compareDateSlot:
            return recordSlot(step.a) ?? leaf(.truth, canFold: true)
        case .countDays:
            return within(step.a, bounds.eventKinds, "the event kind") ?? leaf(.number)
        case .compareCountDays:
            return within(step.a, bounds.eventKinds, "the event kind") ?? leaf(.truth, canFold: true)
        case .followedBy:
            if let failure = within(step.a, bounds.eventKinds, "the event kind") { return failure }
            if let failure = within(step.c, bounds.eventKinds, "the event kind") { return failure }
            guard step.constant >= 0, step.constant <= 1e6, step.constant == step.constant.rounded() else {
                return fail("found \(step.constant) days between the events; expected a whole number from 0 to 1000000")
            }
            return leaf(.truth, canFold: true)
        case .entryClass:
            guard bounds.classItems != nil, bounds.readsClass else {
                return fail("found a result-class step outside a condition on one scale result; expected none")
            }
            return leaf(.number)
        case .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny:
            return scaleMatch(step, at: pc, steps, fail) ?? leaf(step.operation == .matchAny ? .truth : .number)
        case .studyYear, .compareStudyYear:
            if let failure = recordSlot(step.a) { return failure }
            guard (1...12).contains(step.b), (1...31).contains(step.c) else {
                return fail(
                    "found the academic year starting on month \(step.b), day \(step.c); expected a month and a day")
            }
            return leaf(step.operation == .studyYear ? .number : .truth, canFold: true)
        case .fired:
            return within(step.a, bounds.indicators, "the indicator") ?? leaf(.truth, canFold: true)
        case .score:
            guard bounds.readsScore else {
                return fail("found a score step outside an escalation or cap; expected none")
            }
            return leaf(.number)
        case .window:
            return within(step.a, bounds.windows, "the window") ?? leaf(.truth, canFold: true)
        case .count, .daysSinceEvent:
            return within(step.a, bounds.eventKinds, "the event kind") ?? leaf(.number)
        case .compareCount, .compareDaysSinceEvent:
            return within(step.a, bounds.eventKinds, "the event kind") ?? leaf(.truth, canFold: true)
        case .latestScore:
            return scale(score: step.c, item: nil) ?? leaf(.number)
        case .compareLatestScore:
            return scale(score: step.c, item: nil) ?? leaf(.truth, canFold: true)
        case .latestItem:
            return scale(score: nil, item: step.c) ?? leaf(.number)
        case .compareLatestItem:
            return scale(score: nil, item: step.c) ?? leaf(.truth, canFold: true)
        case .latestClass, .latestDate:
            return scale(score: nil, item: nil) ?? leaf(.number)
        case .latestClassInMask:
            return scale(score: nil, item: nil) ?? leaf(.truth, canFold: true)
        case .classItem:
            guard let items = bounds.classItems else {
                return fail("found a class-rule item step outside a class rule; expected none")
            }
            return within(step.c, items, "the item") ?? leaf(.number)
        case .fieldSlot:
            guard bounds.classItems != nil else {
                return fail("found a field step outside a class rule or a condition on one result; expected none")
            }
            return within(step.a, bounds.fieldSlots, "the field slot") ?? leaf(.number)
        case .firedCount:
            guard let mode = Instruction.FiredSetMode(rawValue: step.c) else {
                return fail("found the fired-set mode \(step.c); expected one of FiredSetMode")
            }
            let members: Int
            switch indicatorSet(step, at: pc, steps, fail) {
            case .failure(let failure): return failure
            case .success(let count): members = count
            }
            if mode == .all, step.upper != Double(members) {
                return fail("found an all-of set of \(members) counting \(step.upper); expected its own size")
            }
            return leaf(mode == .count ? .number : .truth, canFold: mode != .count)
        case .awardedPoints:
            guard bounds.readsScore else {
                return fail("found an awarded-points step outside an escalation, cap or duty; expected none")
            }
            guard Instruction.PointsMode(rawValue: step.c) != nil else {
                return fail("found the points mode \(step.c); expected one of PointsMode")
            }
            guard step.fold == .push else { return fail("found an awarded-points step folded; expected it pushed") }
            if case .failure(let failure) = indicatorSet(step, at: pc, steps, fail) { return failure }
            return leaf(.number)
        case .negate:
            return unary(.number, .number)
        case .not, .truthIsSet:
            return unary(.truth, .truth)
        case .truthOfBoolean, .numberIsSet, .compareConstant:
            return unary(.number, .truth)
        case .member:
            guard step.b >= 0, pc + Int(step.b) < steps.count else {
                return fail("found \(step.b) values after a member step; expected them within the code")
            }
            for data in steps[(pc + 1)..<(pc + 1 + Int(step.b))] where data.operation != .data {
                return fail("found a \(data.operation) step in a member list; expected data steps")
            }
            return unary(.number, .truth)
        case .add, .subtract, .multiply, .divide, .minimum, .maximum:
            return binary(.number, .number)
        case .compare:
            return binary(.number, .truth)
        case .compareTruths, .and, .or:
            return binary(.truth, .truth)
        case .countTruths:
            guard step.fold == .push else { return fail("found a countTruths step folded; expected it plain") }
            guard let mode = Instruction.TruthCountMode(rawValue: step.c) else {
                return fail("found the truth-count mode \(step.c); expected one of TruthCountMode")
            }
            guard step.a >= 1, Int(step.a) <= stack.count else {
                return fail("found \(stack.count) values; expected \(step.a) truths for countTruths, at least one")
            }
            for shape in stack.suffix(Int(step.a)) where !shape.fits(.truth) {
                return fail("found a \(shape) for countTruths; expected \(step.a) truths")
            }
            if mode == .atLeast, !(step.constant >= 0 && step.constant <= Double(step.a)) {
                return fail("found at least \(step.constant) of \(step.a); expected 0 to \(step.a)")
            }
            stack.removeLast(Int(step.a))
            stack.append(mode == .count ? .number : .truth)
            return nil
        case .skipIfFalse, .skipIfTrue:
            guard step.fold == .push else { return fail("found a skip step folded; expected it plain") }
            guard stack.last?.fits(.truth) == true else {
                return fail(
                    "found a skip over \(stack.last.map { "a \($0)" } ?? "an empty stack"); expected a truth on top")
            }
            let target = pc + 1 + Int(step.a)
            guard step.a >= 0, target <= steps.count else {
                return fail(
                    "found a skip of \(step.a) steps to step \(target); expected a forward skip within the \(steps.count) steps"
                )
            }
            if let expected = landings[target] {
                guard let joined = Shape.join(expected, stack) else {
                    return fail(
                        "found a skip to step \(target) with \(Shape.describe(stack)) where another lands with \(Shape.describe(expected)); expected the same stack"
                    )
                }
                landings[target] = joined
            } else {
                landings[target] = stack
            }
            return nil
        case .data:
            return fail("found a data step outside the fired set or member list it belongs to; expected it skipped")
        }
    }
}

extension ExpressionCodeVerifier {
    /// Checks every piece of code a rule set holds: each indicator's condition, banded value and evidence, each
    /// escalation and cap, and each scale's class rules. Returns a message and the rule's location for each failure.
    static func failures(in rules: RuleSet) -> [(message: String, location: SourceLocation)] {
        var found: [(message: String, location: SourceLocation)] = []
        func check(
            _ code: ExpressionCode, _ shape: Shape?, _ verifier: Self, _ what: String, _ location: SourceLocation
        ) {
            guard let failure = verifier.verify(code, leaving: shape) else { return }
            found.append(
                (
                    "internal error: the compiled code of \(what) fails its check (\(failure)); this is a bug in "
                        + "RiskScreen's compiler, not in the rule file: please report it", location
                ))
        }
        let schema = rules.schema
        let forIndicators = Self(
            bounds: Bounds(
                schema: schema, indicators: rules.indicators.count, windows: rules.windows.count, readsScore: false))
        for indicator in rules.indicators {
            if let condition = indicator.condition {
                check(condition.code, .truth, forIndicators, "the condition of \(indicator.id)", condition.location)
            }
            switch indicator.points {
            case .banded(let program, _), .value(let program, _, _):
                check(program.code, .number, forIndicators, "the points of \(indicator.id)", program.location)
            case .fixed:
                break
            }
            for evidence in indicator.evidence {
                let shape: Shape = evidence.value.kind == nil ? .truth : .number
                check(
                    evidence.value.code, shape, forIndicators, "the evidence \(evidence.label) of \(indicator.id)",
                    indicator.location)
            }
        }
        let forLevelRules = Self(
            bounds: Bounds(
                schema: schema, indicators: rules.indicators.count, windows: rules.windows.count, readsScore: true))
        for rule in rules.escalations + rules.caps {
            check(
                rule.condition.code, .truth, forLevelRules, "the \(rule.kind.rawValue) \(rule.id)",
                rule.condition.location)
        }
        // Duties' conditions run in the scoring loop like an escalation's; their dates are numbers.
        for action in rules.actions {
            if let condition = action.condition {
                check(condition.code, .truth, forLevelRules, "the duty \(action.id)", condition.location)
            }
            for date in action.after + (action.by.map { [$0] } ?? []) {
                check(date.code, .number, forLevelRules, "a date of the duty \(action.id)", action.location)
            }
        }
        for scale in schema.scales {
            let forClasses = Self(bounds: Bounds(classRuleOf: scale, fieldSlots: schema.valueSlotCount))
            for rule in scale.classRules {
                let name =
                    scale.classNames.indices.contains(rule.classIndex)
                    ? scale.classNames[rule.classIndex] : "\(rule.classIndex)"
                check(
                    rule.condition.code, .truth, forClasses, "the class \(name) of \(scale.name)",
                    rule.condition.location)
            }
        }
        return found
    }
}

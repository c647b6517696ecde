/// A compiled expression: a flat list of ``Instruction``s and the stack depth it needs.
///
/// The compiler builds it bottom-up (operands first, then the operation), fusing the common shapes: a field,
/// an event count or a scale result compared with a constant, and an enumeration tested against a list, each
/// become one step. Running it allocates nothing: the engine passes a stack from its per-thread scratch memory,
/// and ``evaluate(_:)`` uses a temporary stack on the call stack.
package struct ExpressionCode: Sendable {
    package private(set) var instructions: [Instruction]
    /// The most values the code holds on the stack at once.
    package private(set) var depth: Int

    init(_ instruction: Instruction) {
        instructions = [instruction]
        depth = 1
    }

    /// Code as given, unchecked: for tests and fuzzing of ``ExpressionCodeVerifier``, which must check it before it runs.
    init(instructions: [Instruction], depth: Int) {
        self.instructions = instructions
        self.depth = depth
    }

    /// Code that pushes the date of the latest event of a kind on or before the as-of date: as-of minus the days since
    /// it (missing when there is none). `date_of(kind)` and a duty's `after: [kind]` compile to it.
    static func dateOfLatest(kind: Int) -> ExpressionCode {
        .binary(
            ExpressionCode(Instruction(operation: .asOf)),
            ExpressionCode(Instruction(operation: .daysSinceEvent, a: Int32(kind))), Instruction(operation: .subtract))
    }

    /// The longest window in calendar months (`3m`) the steps read, 0 when none: the engine works out the days of
    /// each such window once per scoring call, from its as-of date.
    package static func longestMonthWindow(in steps: [Instruction]) -> Int {
        var longest = 0
        for step in steps where step.b < -1 && ExpressionCodeVerifier.windowOperations.contains(step.operation) {
            longest = max(longest, Int(-1 - step.b))
        }
        return longest
    }

    /// Code that pushes a constant.
    static func constant(_ value: Double) -> ExpressionCode {
        ExpressionCode(Instruction(operation: .constant, constant: value))
    }

    /// This code followed by a step that replaces the top value.
    func then(_ instruction: Instruction) -> ExpressionCode {
        var code = self
        code.instructions.append(instruction)
        return code
    }

    /// Both operands, then the step that combines them.
    static func binary(_ left: ExpressionCode, _ right: ExpressionCode, _ operation: Instruction) -> ExpressionCode {
        var code = left
        code.instructions += right.instructions
        code.instructions.append(operation)
        code.depth = max(left.depth, right.depth + 1)
        return code
    }

    /// Each truth's code in turn, then one step that counts how many are true (`count_true`) or whether at least
    /// `atLeast` are (`at_least`): ``Instruction/Operation/countTruths``. `truths` is not empty.
    static func countTruths(
        _ truths: [ExpressionCode], mode: Instruction.TruthCountMode, atLeast: Double = 0
    ) -> ExpressionCode {
        var code = ExpressionCode(instructions: [], depth: 1)
        for (position, truth) in truths.enumerated() {
            code.instructions += truth.instructions
            code.depth = max(code.depth, position + truth.depth)
        }
        code.instructions.append(
            Instruction(operation: .countTruths, a: Int32(truths.count), c: mode.rawValue, constant: atLeast))
        return code
    }

    /// Kleene `and` (or `or`) that skips the right side when the left side decides.
    ///
    /// Indicators joined by `or` (or by `and`) become one any-of (all-of) test; in a chain `a and b and c`, a
    /// side that decides skips to the end of the whole chain, not from one `and` to the next.
    static func shortCircuit(_ left: ExpressionCode, _ right: ExpressionCode, isAnd: Bool) -> ExpressionCode {
        let mode: Instruction.FiredSetMode = isAnd ? .all : .any
        if let leftSet = left.firedSet, leftSet.mode == nil || leftSet.mode == mode,
            let rightSet = right.firedSet, rightSet.mode == nil || rightSet.mode == mode
        {
            // An indicator is never unknown, so Kleene's `or` of indicators is plain any-of.
            return firedCount(of: Set(leftSet.members).union(rightSet.members), mode: mode)
        }
        let skip: Instruction.Operation = isAnd ? .skipIfFalse : .skipIfTrue
        // A right side that is one leaf step (or one fired-set test) folds its value into the left's: no second
        // vector, no combining step.
        var right = right
        let folded = right.isFoldableLeaf
        if folded { right.instructions[0].fold = isAnd ? .and : .or }
        let appended = right.instructions.count + (folded ? 1 : 2)
        var code = left
        for index in code.topLevelIndices
        where code.instructions[index].operation == skip
            && index + Int(code.instructions[index].a) + 1 == left.instructions.count
        {
            code.instructions[index].a += Int32(appended)
        }
        code.instructions.append(Instruction(operation: skip, a: Int32(appended - 1)))
        code.instructions += right.instructions
        if folded {
            code.depth = left.depth
        } else {
            code.instructions.append(Instruction(operation: isAnd ? .and : .or))
            code.depth = max(left.depth, right.depth + 1)
        }
        return code
    }

    /// The indices of the steps this code runs itself: not those of a scale match's condition, which is code of its
    /// own (its skips land inside it).
    var topLevelIndices: [Int] {
        var indices: [Int] = []
        var index = 0
        while index < instructions.count {
            indices.append(index)
            if instructions[index].operation.isScaleMatch, index + 1 < instructions.count {
                index += 1 + Int(instructions[index + 1].a)
            }
            index += 1
        }
        return indices
    }

    /// A scale match step (`operation`, one of the `match` steps) over results of `scale` within `window` days
    /// (nil: any) that meet `condition`; `index` is the score or item it reads. Laid out as the step, a header (the
    /// condition's length and depth) and the condition's steps.
    static func scaleMatch(
        _ operation: Instruction.Operation, scale: Int, window: Int32?, index: Int = 0, condition: ExpressionCode
    ) -> ExpressionCode {
        var code = ExpressionCode(
            Instruction(operation: operation, a: Int32(scale), b: window ?? -1, c: Int32(index)))
        code.instructions.append(
            Instruction(
                operation: .data, a: Int32(condition.instructions.count), b: Int32(condition.depth)))
        code.instructions += condition.instructions
        return code
    }

    /// Truth-valued steps that read no operand, whose value can be folded into an `and` or `or`.
    static let foldableLeaves: Set<Instruction.Operation> = [
        .booleanSlot, .fired, .window, .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem,
        .latestClassInMask, .slotInMask, .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField,
        .followedBy, .compareDateSlot, .compareCountDays,
    ]

    /// Whether this code is one truth-valued leaf step, or one fired-set test with its data, not yet folded.
    private var isFoldableLeaf: Bool {
        guard let first = instructions.first, first.fold == .push else { return false }
        if instructions.count == 1 { return Self.foldableLeaves.contains(first.operation) }
        return first.operation == .firedCount && instructions.count == Int(first.b) + 1
            && Instruction.FiredSetMode(rawValue: first.c) != .count
    }

    /// Kleene `not` of this truth: a leaf step (or fired-set test), which can fold, can also turn its own answer
    /// round (``Instruction/negated``); other code gets a `not` step.
    func negatedTruth() -> ExpressionCode {
        guard isFoldableLeaf else { return then(Instruction(operation: .not)) }
        var code = self
        code.instructions[0].negated.toggle()
        return code
    }

    /// How many of the indicators `members` fired, whether any did, or whether all did.
    static func firedCount(of members: some Sequence<Int>, mode: Instruction.FiredSetMode = .count) -> ExpressionCode {
        var words: [Int: UInt64] = [:]
        for member in members { words[member / 64, default: 0] |= 1 << UInt64(member % 64) }
        let memberCount = words.values.reduce(0) { $0 + $1.nonzeroBitCount }
        var code = ExpressionCode(
            Instruction(operation: .firedCount, b: Int32(words.count), c: mode.rawValue, upper: Double(memberCount)))
        code.instructions += words.keys.sorted().map {
            Instruction(operation: .data, a: Int32($0), constant: Double(bitPattern: words[$0] ?? 0))
        }
        return code
    }

    /// The points the indicators `members` awarded: their sum or the largest (0 when none fired), laid out as a fired
    /// set (the step, then one data step per word of indicator bits).
    static func awardedPoints(of members: some Sequence<Int>, mode: Instruction.PointsMode) -> ExpressionCode {
        var words: [Int: UInt64] = [:]
        for member in members { words[member / 64, default: 0] |= 1 << UInt64(member % 64) }
        var code = ExpressionCode(Instruction(operation: .awardedPoints, b: Int32(words.count), c: mode.rawValue))
        code.instructions += words.keys.sorted().map {
            Instruction(operation: .data, a: Int32($0), constant: Double(bitPattern: words[$0] ?? 0))
        }
        return code
    }

    /// The indicators this code tests, when it is one indicator or an any-of or all-of set of them.
    private var firedSet: (members: [Int], mode: Instruction.FiredSetMode?)? {
        guard let first = instructions.first else { return nil }
        if instructions.count == 1, first.operation == .fired, !first.negated { return ([Int(first.a)], nil) }
        guard first.operation == .firedCount, !first.negated, let mode = Instruction.FiredSetMode(rawValue: first.c),
            mode == .any || mode == .all, instructions.count == Int(first.b) + 1
        else { return nil }
        var members: [Int] = []
        for word in instructions.dropFirst() {
            let bits = word.constant.bitPattern
            for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { members.append(Int(word.a) * 64 + bit) }
        }
        return (members, mode)
    }

    /// The single step this code is, if it is one.
    private var single: Instruction? { instructions.count == 1 ? instructions[0] : nil }

    /// This number compared with a constant; a field, an event count, a scale result, `study_year()`, days since
    /// an event or a date, or how many of a set of indicators fired becomes one step.
    func compared(_ comparison: Instruction.Comparison, with constant: Double) -> ExpressionCode {
        if let first = instructions.first, first.operation == .firedCount,
            first.c == Instruction.FiredSetMode.count.rawValue,
            instructions.count == Int(first.b) + 1, constant.isFinite
        {
            let range = Instruction.range(comparison, constant)
            var code = self
            // `fired_count(s) >= 1` is "any of s fired"; `fired_count(s) == 0` is "none did": no count needed.
            let atLeastOne = range.lower > 0 && range.lower <= 1 && range.upper >= first.upper
            let none = range.lower <= 0 && range.upper >= 0 && range.upper < 1
            if atLeastOne || none {
                code.instructions[0].c = Instruction.FiredSetMode.any.rawValue
                code.instructions[0].negated = none != range.negated
                return code
            }
            code.instructions[0].c = Instruction.FiredSetMode.inRange.rawValue
            code.instructions[0].constant = range.lower
            code.instructions[0].upper = range.upper
            code.instructions[0].negated = range.negated
            return code
        }
        if let step = single {
            let fused: Instruction.Operation? =
                switch step.operation {
                case .slot: .compareSlot
                case .count: .compareCount
                case .latestScore: .compareLatestScore
                case .latestItem: .compareLatestItem
                case .studyYear: .compareStudyYear
                case .daysSinceEvent: .compareDaysSinceEvent
                case .daysSinceField: .compareDaysSinceField
                case .dateSlot: .compareDateSlot
                case .countDays: .compareCountDays
                // The others have no fused form: the comparison is a step of its own.
                case .followedBy, .entryClass, .matchLatestScore, .matchLatestItem, .matchLatestClass,
                    .matchLatestDate, .matchAny, .compareDateSlot, .compareCountDays,
                    .constant, .asOf, .booleanSlot, .fired, .score, .window, .latestClass, .latestDate, .classItem,
                    .fieldSlot,
                    .firedCount, .awardedPoints, .negate, .not, .truthOfBoolean, .numberIsSet, .truthIsSet, .member,
                    .compareConstant,
                    .add, .subtract, .multiply, .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or,
                    .countTruths,
                    .skipIfFalse, .skipIfTrue, .data, .compareSlot, .compareCount, .compareLatestScore,
                    .compareLatestItem, .latestClassInMask, .slotInMask, .compareStudyYear, .compareDaysSinceEvent,
                    .compareDaysSinceField:
                    nil
                }
            if let fused, constant.isFinite {
                let range = Instruction.range(comparison, constant)
                return ExpressionCode(
                    Instruction(
                        operation: fused, comparison: comparison, negated: range.negated, a: step.a, b: step.b,
                        c: step.c,
                        constant: range.lower, upper: range.upper))
            }
            if step.operation == .latestClass, comparison == .equal || comparison == .notEqual,
                let mask = Self.mask(of: [constant])
            {
                return ExpressionCode(
                    Instruction(
                        operation: .latestClassInMask, negated: comparison == .notEqual, a: step.a, b: step.b,
                        constant: mask))
            }
        }
        return then(Instruction(operation: .compareConstant, comparison: comparison, constant: constant))
    }

    /// Whether this number is (or, `negated`, is not) one of `values`; an enumeration field or a scale's class
    /// tested against a list becomes one step.
    func member(of values: [Double], negated: Bool) -> ExpressionCode {
        if let step = single, let mask = Self.mask(of: values) {
            switch step.operation {
            case .slot:
                return ExpressionCode(Instruction(operation: .slotInMask, negated: negated, a: step.a, constant: mask))
            case .latestClass:
                return ExpressionCode(
                    Instruction(operation: .latestClassInMask, negated: negated, a: step.a, b: step.b, constant: mask))
            // The others have no fused form: the test is a `member` step after them.
            case .dateSlot, .countDays, .followedBy, .entryClass, .matchLatestScore, .matchLatestItem,
                .matchLatestClass, .matchLatestDate, .matchAny, .compareDateSlot, .compareCountDays, .constant, .asOf,
                .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent, .daysSinceField,
                .studyYear, .latestScore, .latestItem, .latestDate, .classItem, .fieldSlot, .firedCount, .awardedPoints,
                .negate, .not,
                .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .add, .subtract, .multiply,
                .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or, .countTruths, .skipIfFalse,
                .skipIfTrue, .data,
                .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask,
                .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField:
                break
            }
        }
        var code = then(Instruction(operation: .member, a: negated ? 1 : 0, b: Int32(values.count)))
        code.instructions += values.map { Instruction(operation: .data, constant: $0) }
        return code
    }

    /// The values as bits of a mask (in a `Double`'s bit pattern), when each is a whole number in 0..<64.
    private static func mask(of values: [Double]) -> Double? {
        var bits: UInt64 = 0
        for value in values {
            guard value >= 0, value < 64, value == value.rounded() else { return nil }
            bits |= 1 << UInt64(value)
        }
        return Double(bitPattern: bits)
    }
}

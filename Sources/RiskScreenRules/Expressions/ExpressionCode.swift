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
        for index in code.instructions.indices
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

    /// Truth-valued steps that read no operand, whose value can be folded into an `and` or `or`.
    static let foldableLeaves: Set<Instruction.Operation> = [
        .booleanSlot, .fired, .window, .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem,
        .latestClassInMask, .slotInMask, .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField,
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
        if let first = instructions.first, first.operation == .firedCount, first.c == Instruction.FiredSetMode.count.rawValue,
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
                // The others have no fused form: the comparison is a step of its own.
                case .constant, .asOf, .booleanSlot, .fired, .score, .window, .latestClass, .latestDate, .classItem,
                    .firedCount, .negate, .not, .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant,
                    .add, .subtract, .multiply, .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or,
                    .skipIfFalse, .skipIfTrue, .data, .compareSlot, .compareCount, .compareLatestScore,
                    .compareLatestItem, .latestClassInMask, .slotInMask, .compareStudyYear, .compareDaysSinceEvent,
                    .compareDaysSinceField:
                    nil
                }
            if let fused, constant.isFinite {
                let range = Instruction.range(comparison, constant)
                return ExpressionCode(
                    Instruction(
                        operation: fused, comparison: comparison, negated: range.negated, a: step.a, b: step.b, c: step.c,
                        constant: range.lower, upper: range.upper))
            }
            if step.operation == .latestClass, comparison == .equal || comparison == .notEqual,
                let mask = Self.mask(of: [constant])
            {
                return ExpressionCode(
                    Instruction(operation: .latestClassInMask, negated: comparison == .notEqual, a: step.a, b: step.b, constant: mask))
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
            case .constant, .asOf, .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent, .daysSinceField,
                .studyYear, .latestScore, .latestItem, .latestDate, .classItem, .firedCount, .negate, .not,
                .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .add, .subtract, .multiply,
                .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or, .skipIfFalse, .skipIfTrue, .data,
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

    // MARK: - Running

    /// Runs the code on a frame with a temporary stack: for evidence, class rules and near misses.
    func evaluate(_ frame: FramePointer) -> Double {
        instructions.withUnsafeBufferPointer { steps in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: depth) { stack in
                // Both buffers are non-empty: code has at least one step and a depth of at least one. One record is
                // a batch of one: the engine's interpreter serves evidence, class rules and near misses too.
                Self.runLanes(
                    steps.baseAddress.unsafelyUnwrapped, steps.count, lanes: 1, frames: frame,
                    stack: stack.baseAddress.unsafelyUnwrapped, width: 1)[0]
            }
        }
    }

    /// The truth of condition code on a frame.
    func truth(_ frame: FramePointer) -> Truth { Truth(encoded: evaluate(frame)) }

    /// Runs `count` steps from `code` for `lanes` records at once, each step over all of them before the next:
    /// the step is decoded once per batch, not once per record. `frames` holds one frame per lane; `stack` holds
    /// the code's ``depth`` vectors of `width` values. Returns the vector left on top (the stack's first).
    ///
    /// `and` and `or` take the minimum and maximum of both sides (Kleene's logic exactly); the right side is
    /// skipped when the left side already decides for every lane.
    package static func runLanes(
        _ code: UnsafePointer<Instruction>, _ count: Int, lanes: Int, frames: UnsafePointer<EvalFrame>,
        stack: UnsafeMutablePointer<Double>, width: Int
    ) -> UnsafeMutablePointer<Double> {
        var depth = 0
        var pc = 0
        while pc < count {
            let step = code[pc]
            let top = stack + (depth - 1) * width
            switch step.operation {
            case .firedCount:
                // The set's words follow the step (the data steps, skipped). Sets of one or two words (up to 128
                // indicators) are decoded once per batch; larger ones, and an empty set (a dimension no indicator
                // has), word by word for each record.
                let words = code + pc + 1
                guard let mode = Instruction.FiredSetMode(rawValue: step.c) else {
                    preconditionFailure("a fired-set step's mode is one of FiredSetMode (checked by ExpressionCodeVerifier)")
                }
                if step.b == 1 || step.b == 2 {
                    let (i0, m0) = (Int(words[0].a), words[0].constant.bitPattern)
                    let (i1, m1) = step.b == 2 ? (Int(words[1].a), words[1].constant.bitPattern) : (i0, UInt64(0))
                    // Any and all need no count (a count is a software popcount on baseline x86-64).
                    let (yes, no): (Double, Double) = step.negated ? (0, 1) : (1, 0)
                    switch mode {
                    case .any:
                        put(step.fold, &depth, stack, width, lanes) { lane in
                            let bits = frames[lane].firedBits
                            return (bits[i0] & m0) | (bits[i1] & m1) != 0 ? yes : no
                        }
                    case .all:
                        put(step.fold, &depth, stack, width, lanes) { lane in
                            let bits = frames[lane].firedBits
                            return ((bits[i0] & m0) ^ m0) | ((bits[i1] & m1) ^ m1) == 0 ? yes : no
                        }
                    case .count, .inRange:
                        put(step.fold, &depth, stack, width, lanes) { lane in
                            let bits = frames[lane].firedBits
                            return firedSetValue(step, mode, count: (bits[i0] & m0).nonzeroBitCount + (bits[i1] & m1).nonzeroBitCount)
                        }
                    }
                } else {
                    put(step.fold, &depth, stack, width, lanes) { lane in
                        var count = 0
                        for word in 0..<Int(step.b) {
                            count += (frames[lane].firedBits[Int(words[word].a)] & words[word].constant.bitPattern).nonzeroBitCount
                        }
                        return firedSetValue(step, mode, count: count)
                    }
                }
                pc += Int(step.b)
            case .negate:
                for lane in 0..<lanes { top[lane] = -top[lane] }
            case .not:
                for lane in 0..<lanes { top[lane] = 1 - top[lane] }
            case .truthOfBoolean:
                for lane in 0..<lanes { top[lane] = truthOfBoolean(top[lane]) }
            case .numberIsSet:
                let isSet = step.a == 1
                for lane in 0..<lanes { top[lane] = top[lane].isNaN != isSet ? 1 : 0 }
            case .truthIsSet:
                let isSet = step.a == 1
                for lane in 0..<lanes { top[lane] = (top[lane] == 0.5) != isSet ? 1 : 0 }
            case .member:
                for lane in 0..<lanes {
                    let value = top[lane]
                    if value.isNaN {
                        top[lane] = 0.5
                        continue
                    }
                    var found = false
                    var member = 1
                    while member <= Int(step.b) {
                        if code[pc + member].constant == value { found = true }
                        member += 1
                    }
                    top[lane] = found != (step.a == 1) ? 1 : 0
                }
                pc += Int(step.b)
            case .compareConstant:
                for lane in 0..<lanes { top[lane] = compare(step.comparison, top[lane], step.constant) }
            case .add, .subtract, .multiply, .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or:
                depth -= 1
                let left = stack + (depth - 1) * width
                let right = stack + depth * width
                combine(step, left, right, lanes)
            case .skipIfFalse, .skipIfTrue:
                // Skip the right side only when the left side decides for every lane.
                let decided: Double = step.operation == .skipIfFalse ? 0 : 1
                var lane = 0
                while lane < lanes && top[lane] == decided { lane += 1 }
                if lane == lanes { pc += Int(step.a) }
            case .data:
                preconditionFailure("a data step is skipped by the step it belongs to (checked by ExpressionCodeVerifier)")
            case .booleanSlot:
                let slot = Int(step.a)
                // The test is turned round outside the loop, which then runs without it.
                if step.negated {
                    put(step.fold, &depth, stack, width, lanes) { truthOfBoolean(frames[$0].values[slot], negated: true) }
                } else {
                    put(step.fold, &depth, stack, width, lanes) { truthOfBoolean(frames[$0].values[slot]) }
                }
            case .fired:
                let index = Int(step.a)
                let (yes, no): (Double, Double) = step.negated ? (0, 1) : (1, 0)
                put(step.fold, &depth, stack, width, lanes) { frames[$0].didFire(index) ? yes : no }
            case .compareCount:
                let kind = Int(step.a)
                let within: Int32? = step.b < 0 ? nil : step.b
                put(step.fold, &depth, stack, width, lanes) {
                    inRange(Double(EventQueries.count(frames + $0, kind: kind, within: within)), step)
                }
            case .slotInMask:
                let slot = Int(step.a)
                let (mask, negated) = (step.constant.bitPattern, step.negated)
                put(step.fold, &depth, stack, width, lanes) { inMask(frames[$0].values[slot], mask: mask, negated: negated) }
            case .compareSlot:
                let slot = Int(step.a)
                put(step.fold, &depth, stack, width, lanes) { inRange(frames[$0].values[slot], step) }
            case .latestClassInMask:
                let (mask, negated) = (step.constant.bitPattern, step.negated)
                put(step.fold, &depth, stack, width, lanes) { inMask(latestClass(frames + $0, step), mask: mask, negated: negated) }
            case .constant, .asOf, .slot, .score, .window, .count, .daysSinceEvent, .daysSinceField, .studyYear,
                .latestScore, .latestItem, .latestClass, .latestDate, .classItem, .compareLatestScore, .compareLatestItem,
                .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField:
                // The other leaves go through `leaf`, which chooses by the step for each record.
                put(step.fold, &depth, stack, width, lanes) { leaf(step, frames + $0) }
            }
            pc += 1
        }
        return stack
    }

    /// Puts a leaf step's value for every lane: pushed as a new vector, or folded into the top one by `and`
    /// (minimum) or `or` (maximum). Truths are never NaN, so plain comparisons give Kleene's logic exactly.
    @inline(__always)
    private static func put(
        _ fold: Instruction.Fold, _ depth: inout Int, _ stack: UnsafeMutablePointer<Double>, _ width: Int, _ lanes: Int,
        _ value: (Int) -> Double
    ) {
        switch fold {
        case .push:
            let out = stack + depth * width
            depth += 1
            for lane in 0..<lanes { out[lane] = value(lane) }
        case .and:
            let top = stack + (depth - 1) * width
            // Written as a select, without a branch that would depend on the data.
            for lane in 0..<lanes {
                let right = value(lane)
                top[lane] = right < top[lane] ? right : top[lane]
            }
        case .or:
            let top = stack + (depth - 1) * width
            for lane in 0..<lanes {
                let right = value(lane)
                top[lane] = right > top[lane] ? right : top[lane]
            }
        }
    }

    /// Pops the right vector into the left one by a binary step.
    @inline(__always)
    private static func combine(
        _ step: Instruction, _ left: UnsafeMutablePointer<Double>, _ right: UnsafeMutablePointer<Double>, _ lanes: Int
    ) {
        switch step.operation {
        case .add: for lane in 0..<lanes { left[lane] += right[lane] }
        case .subtract: for lane in 0..<lanes { left[lane] -= right[lane] }
        case .multiply: for lane in 0..<lanes { left[lane] *= right[lane] }
        case .divide: for lane in 0..<lanes { left[lane] = right[lane] == 0 ? .nan : left[lane] / right[lane] }
        case .minimum:
            for lane in 0..<lanes {
                left[lane] = left[lane].isNaN || right[lane].isNaN ? .nan : Swift.min(left[lane], right[lane])
            }
        case .maximum:
            for lane in 0..<lanes {
                left[lane] = left[lane].isNaN || right[lane].isNaN ? .nan : Swift.max(left[lane], right[lane])
            }
        case .compare: for lane in 0..<lanes { left[lane] = compare(step.comparison, left[lane], right[lane]) }
        case .compareTruths:
            let wantEqual = step.a == 1
            for lane in 0..<lanes {
                let (a, b) = (left[lane], right[lane])
                left[lane] = a == 0.5 || b == 0.5 ? 0.5 : ((a == b) == wantEqual ? 1 : 0)
            }
        case .and: for lane in 0..<lanes { left[lane] = Swift.min(left[lane], right[lane]) }
        case .or: for lane in 0..<lanes { left[lane] = Swift.max(left[lane], right[lane]) }
        case .constant, .asOf, .slot, .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent, .daysSinceField,
            .studyYear, .latestScore, .latestItem, .latestClass, .latestDate, .classItem, .firedCount, .negate, .not,
            .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .skipIfFalse, .skipIfTrue, .data,
            .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask,
            .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField:
            preconditionFailure("combine runs binary steps only; runLanes sends it no other")
        }
    }

    /// The value a leaf step pushes: one that reads the frame or a constant and no other step.
    @inline(__always)
    static func leaf(_ step: Instruction, _ frame: FramePointer) -> Double {
        switch step.operation {
        case .constant:
            return step.constant
        case .asOf:
            return Double(frame.pointee.asOf)
        case .slot:
            return frame.pointee.values[Int(step.a)]
        case .booleanSlot:
            return truthOfBoolean(frame.pointee.values[Int(step.a)], negated: step.negated)
        case .fired:
            return frame.pointee.didFire(Int(step.a)) != step.negated ? 1 : 0
        case .score:
            return frame.pointee.score
        case .window:
            return frame.pointee.windowActive[Int(step.a)] != step.negated ? 1 : 0
        case .count:
            return Double(EventQueries.count(frame, kind: Int(step.a), within: step.b < 0 ? nil : step.b))
        case .daysSinceEvent:
            return EventQueries.daysSinceLatest(frame, kind: Int(step.a))
        case .daysSinceField:
            return Double(frame.pointee.asOf) - frame.pointee.values[Int(step.a)]
        case .studyYear:
            return studyYear(frame, step)
        case .latestScore:
            return latestScore(frame, step)
        case .latestItem:
            return latestItem(frame, step)
        case .latestClass:
            return latestClass(frame, step)
        case .latestDate:
            guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: step.b < 0 ? nil : step.b) else {
                return .nan
            }
            return Double(frame.pointee.scaleEntries[at].day)
        case .classItem:
            let entry = frame.pointee.scaleEntries[0]
            return step.c < entry.itemCount ? frame.pointee.scaleItems[Int(entry.itemsOffset + step.c)] : .nan
        case .compareSlot:
            return inRange(frame.pointee.values[Int(step.a)], step)
        case .compareCount:
            return inRange(Double(EventQueries.count(frame, kind: Int(step.a), within: step.b < 0 ? nil : step.b)), step)
        case .compareLatestScore:
            return inRange(latestScore(frame, step), step)
        case .compareLatestItem:
            return inRange(latestItem(frame, step), step)
        case .latestClassInMask:
            return inMask(latestClass(frame, step), step)
        case .slotInMask:
            return inMask(frame.pointee.values[Int(step.a)], step)
        case .compareStudyYear:
            return inRange(studyYear(frame, step), step)
        case .compareDaysSinceEvent:
            return inRange(EventQueries.daysSinceLatest(frame, kind: Int(step.a)), step)
        case .compareDaysSinceField:
            return inRange(Double(frame.pointee.asOf) - frame.pointee.values[Int(step.a)], step)
        case .firedCount, .negate, .not, .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .add,
            .subtract, .multiply, .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or, .skipIfFalse,
            .skipIfTrue, .data:
            preconditionFailure("leaf evaluates leaf steps only; runLanes runs the others itself")
        }
    }

    /// Whether a value lies in the step's range (`constant ... upper`, turned round when `negated`); NaN is unknown.
    @inline(__always)
    private static func inRange(_ value: Double, _ step: Instruction) -> Double {
        if value.isNaN { return 0.5 }
        return (value >= step.constant && value <= step.upper) != step.negated ? 1 : 0
    }

    @inline(__always)
    private static func truthOfBoolean(_ value: Double, negated: Bool = false) -> Double {
        value.isNaN ? 0.5 : ((value != 0) != negated ? 1 : 0)
    }

    /// What a fired-set step gives for one record, from how many of its set fired: by its
    /// ``Instruction/FiredSetMode``, that number, or whether any, all, or a number in its range did (turned round
    /// when `negated`).
    @inline(__always)
    private static func firedSetValue(_ step: Instruction, _ mode: Instruction.FiredSetMode, count: Int) -> Double {
        switch mode {
        case .count: return Double(count)
        case .any: return (count > 0) != step.negated ? 1 : 0
        case .all: return (Double(count) == step.upper) != step.negated ? 1 : 0
        case .inRange: return inRange(Double(count), step)
        }
    }

    /// `study_year()`: worked out once per record by the engine, else here.
    @inline(__always)
    private static func studyYear(_ frame: FramePointer, _ step: Instruction) -> Double {
        if frame.pointee.studyYear != -.infinity { return frame.pointee.studyYear }
        return AcademicYear.studyYear(
            enrolled: frame.pointee.values[Int(step.a)], asOfAcademicYear: frame.pointee.asOfAcademicYear,
            start: (Int(step.b), Int(step.c)))
    }

    @inline(__always)
    static func compare(_ comparison: Instruction.Comparison, _ left: Double, _ right: Double) -> Double {
        if left.isNaN || right.isNaN { return 0.5 }
        let holds: Bool
        switch comparison {
        case .equal: holds = left == right
        case .notEqual: holds = left != right
        case .less: holds = left < right
        case .lessOrEqual: holds = left <= right
        case .greater: holds = left > right
        case .greaterOrEqual: holds = left >= right
        }
        return holds ? 1 : 0
    }

    /// Whether a whole number in 0..<64 has its bit set in the step's mask (turned round when `negated`); NaN is unknown.
    @inline(__always)
    private static func inMask(_ value: Double, _ step: Instruction) -> Double {
        inMask(value, mask: step.constant.bitPattern, negated: step.negated)
    }

    /// `inMask` with the mask decoded once for a whole batch.
    @inline(__always)
    private static func inMask(_ value: Double, mask: UInt64, negated: Bool) -> Double {
        if value.isNaN { return 0.5 }
        // A whole number in 0..<64 whose bit is set (converted once: in range, the conversion cannot trap).
        guard value >= 0, value < 64 else { return negated ? 1 : 0 }
        let index = Int(value)
        let found = Double(index) == value && mask & (1 << UInt64(index)) != 0
        return found != negated ? 1 : 0
    }

    @inline(__always)
    private static func latestScore(_ frame: FramePointer, _ step: Instruction) -> Double {
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: step.b < 0 ? nil : step.b) else { return .nan }
        return frame.pointee.scaleScores[Int(frame.pointee.scaleEntries[at].scoresOffset + step.c)]
    }

    @inline(__always)
    private static func latestItem(_ frame: FramePointer, _ step: Instruction) -> Double {
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: step.b < 0 ? nil : step.b) else { return .nan }
        let entry = frame.pointee.scaleEntries[at]
        return step.c < entry.itemCount ? frame.pointee.scaleItems[Int(entry.itemsOffset + step.c)] : .nan
    }

    @inline(__always)
    private static func latestClass(_ frame: FramePointer, _ step: Instruction) -> Double {
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: step.b < 0 ? nil : step.b) else { return .nan }
        let code = frame.pointee.scaleEntries[at].classIndex
        return code < 0 ? .nan : Double(code)
    }
}

extension Truth {
    /// The truth a compiled condition left: 1 true, 0 false, anything else (0.5) unknown.
    init(encoded value: Double) {
        self = value == 1 ? .true : (value == 0 ? .false : .unknown)
    }

    /// This truth as compiled code encodes it.
    var encoded: Double {
        switch self {
        case .true: return 1
        case .false: return 0
        case .unknown: return 0.5
        }
    }
}

// Running compiled code: one step at a time over a batch of records (the engine), or over one frame.
extension ExpressionCode {
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
                    preconditionFailure(
                        "a fired-set step's mode is one of FiredSetMode (checked by ExpressionCodeVerifier)")
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
                            return firedSetValue(
                                step, mode, count: (bits[i0] & m0).nonzeroBitCount + (bits[i1] & m1).nonzeroBitCount)
                        }
                    }
                } else {
                    put(step.fold, &depth, stack, width, lanes) { lane in
                        var count = 0
                        for word in 0..<Int(step.b) {
                            count +=
                                (frames[lane].firedBits[Int(words[word].a)] & words[word].constant.bitPattern)
                                .nonzeroBitCount
                        }
                        return firedSetValue(step, mode, count: count)
                    }
                }
                pc += Int(step.b)
            case .awardedPoints:
                // The set's words follow the step, as for a fired set; points are read only where a bit is set (the
                // entries of indicators that did not fire are stale).
                let words = code + pc + 1
                let largest = step.c == Instruction.PointsMode.largest.rawValue
                put(step.fold, &depth, stack, width, lanes) { lane in
                    guard let points = frames[lane].points else { return 0 }
                    let bits = frames[lane].firedBits
                    var total = 0.0
                    var most = 0.0
                    for word in 0..<Int(step.b) {
                        let index = Int(words[word].a)
                        var fired = bits[index] & words[word].constant.bitPattern
                        while fired != 0 {
                            let value = points[index << 6 | fired.trailingZeroBitCount]
                            total += value
                            most = Swift.max(most, value)
                            fired &= fired &- 1
                        }
                    }
                    return largest ? most : total
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
            case .countTruths:
                // The `a` truths lie in the top `a` vectors; the first of them receives the result.
                depth -= Int(step.a) - 1
                countTruths(step, first: stack + (depth - 1) * width, width: width, lanes)
            case .skipIfFalse, .skipIfTrue:
                // Skip the right side only when the left side decides for every lane.
                let decided: Double = step.operation == .skipIfFalse ? 0 : 1
                var lane = 0
                while lane < lanes && top[lane] == decided { lane += 1 }
                if lane == lanes { pc += Int(step.a) }
            case .data:
                preconditionFailure(
                    "a data step is skipped by the step it belongs to (checked by ExpressionCodeVerifier)")
            case .booleanSlot:
                let slot = Int(step.a)
                // The test is turned round outside the loop, which then runs without it.
                if step.negated {
                    put(step.fold, &depth, stack, width, lanes) {
                        truthOfBoolean(frames[$0].values[slot], negated: true)
                    }
                } else {
                    put(step.fold, &depth, stack, width, lanes) { truthOfBoolean(frames[$0].values[slot]) }
                }
            case .fired:
                let index = Int(step.a)
                let (yes, no): (Double, Double) = step.negated ? (0, 1) : (1, 0)
                put(step.fold, &depth, stack, width, lanes) { frames[$0].didFire(index) ? yes : no }
            case .compareCount:
                let kind = Int(step.a)
                // A window in days (or none) is the same for every lane; one in months is read from each frame's table.
                if step.b >= -1 {
                    let within: Int32? = step.b < 0 ? nil : step.b
                    put(step.fold, &depth, stack, width, lanes) {
                        inRange(Double(EventQueries.count(frames + $0, kind: kind, within: within)), step)
                    }
                } else {
                    put(step.fold, &depth, stack, width, lanes) {
                        let within = EventQueries.window(frames + $0, step.b)
                        return inRange(Double(EventQueries.count(frames + $0, kind: kind, within: within)), step)
                    }
                }
            case .slotInMask:
                let slot = Int(step.a)
                let (mask, negated) = (step.constant.bitPattern, step.negated)
                put(step.fold, &depth, stack, width, lanes) {
                    inMask(frames[$0].values[slot], mask: mask, negated: negated)
                }
            case .compareSlot:
                let slot = Int(step.a)
                put(step.fold, &depth, stack, width, lanes) { inRange(frames[$0].values[slot], step) }
            case .latestClassInMask:
                let (mask, negated) = (step.constant.bitPattern, step.negated)
                put(step.fold, &depth, stack, width, lanes) {
                    inMask(latestClass(frames + $0, step), mask: mask, negated: negated)
                }
            case .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny:
                // The header (a data step) gives the condition's length and stack; the condition follows it and runs
                // on one result at a time, with a stack of its own on the call stack.
                let header = code[pc + 1]
                let condition = ScaleMatches.Condition(
                    code: code + pc + 2, count: Int(header.a), depth: Int(header.b))
                withUnsafeTemporaryAllocation(of: Double.self, capacity: condition.depth) { scratch in
                    let scratch = scratch.baseAddress.unsafelyUnwrapped
                    put(step.fold, &depth, stack, width, lanes) {
                        ScaleMatches.value(step, condition, frames + $0, scratch: scratch)
                    }
                }
                pc += 1 + condition.count
            case .constant, .asOf, .slot, .score, .window, .count, .daysSinceEvent, .daysSinceField, .studyYear,
                .latestScore, .latestItem, .latestClass, .latestDate, .classItem, .fieldSlot, .compareLatestScore,
                .compareLatestItem,
                .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField, .dateSlot, .countDays, .followedBy,
                .entryClass, .compareDateSlot, .compareCountDays:
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
            .studyYear, .latestScore, .latestItem, .latestClass, .latestDate, .classItem, .fieldSlot, .firedCount,
            .awardedPoints, .negate, .not,
            .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .countTruths, .skipIfFalse,
            .skipIfTrue, .data,
            .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask,
            .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField, .dateSlot, .countDays, .followedBy,
            .entryClass, .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny,
            .compareDateSlot, .compareCountDays:
            preconditionFailure("combine runs binary steps only; runLanes sends it no other")
        }
    }

    /// Replaces the first of the `step.a` vectors from `first` (each `width` apart) by how many of the truths
    /// are true, or whether at least `step.constant` are, by the step's ``Instruction/TruthCountMode``.
    @inline(__always)
    private static func countTruths(
        _ step: Instruction, first: UnsafeMutablePointer<Double>, width: Int, _ lanes: Int
    ) {
        let count = Int(step.a)
        let atLeast = step.c == Instruction.TruthCountMode.atLeast.rawValue
        for lane in 0..<lanes {
            var trues = 0.0
            var unknowns = 0.0
            for index in 0..<count {
                let truth = first[index * width + lane]
                if truth == 1 {
                    trues += 1
                } else if truth != 0 {
                    unknowns += 1
                }
            }
            if atLeast {
                // True when enough are true; false when too few could be, even were every unknown one true.
                first[lane] = trues >= step.constant ? 1 : (trues + unknowns < step.constant ? 0 : 0.5)
            } else {
                first[lane] = unknowns > 0 ? .nan : trues
            }
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
            return Double(EventQueries.count(frame, kind: Int(step.a), within: EventQueries.window(frame, step.b)))
        case .daysSinceEvent:
            return EventQueries.daysSinceLatest(frame, kind: Int(step.a))
        case .daysSinceField:
            return daysSinceField(frame, step)
        case .studyYear:
            return studyYear(frame, step)
        case .latestScore:
            return latestScore(frame, step)
        case .latestItem:
            return latestItem(frame, step)
        case .latestClass:
            return latestClass(frame, step)
        case .latestDate:
            guard
                let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: EventQueries.window(frame, step.b))
            else {
                return .nan
            }
            return Double(frame.pointee.scaleEntries[at].day)
        case .classItem:
            let entry = frame.pointee.scaleEntries[0]
            return step.c < entry.itemCount ? frame.pointee.scaleItems[Int(entry.itemsOffset + step.c)] : .nan
        case .fieldSlot:
            return frame.pointee.fields[Int(step.a)]
        case .compareSlot:
            return inRange(frame.pointee.values[Int(step.a)], step)
        case .compareCount:
            return inRange(
                Double(EventQueries.count(frame, kind: Int(step.a), within: EventQueries.window(frame, step.b))), step)
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
            return inRange(daysSinceField(frame, step), step)
        case .dateSlot:
            return knownDate(frame, slot: Int(step.a))
        case .compareDateSlot:
            return inRange(knownDate(frame, slot: Int(step.a)), step)
        case .countDays:
            return Double(EventQueries.countDays(frame, kind: Int(step.a), within: EventQueries.window(frame, step.b)))
        case .compareCountDays:
            return inRange(
                Double(EventQueries.countDays(frame, kind: Int(step.a), within: EventQueries.window(frame, step.b))),
                step)
        case .followedBy:
            let found = EventQueries.followedBy(
                frame, first: Int(step.a), then: Int(step.c), within: Int32(step.constant),
                window: EventQueries.window(frame, step.b))
            return found != step.negated ? 1 : 0
        case .entryClass:
            let code = frame.pointee.scaleEntries[0].classIndex
            return code < 0 ? .nan : Double(code)
        case .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny, .firedCount,
            .awardedPoints, .negate,
            .not, .truthOfBoolean, .numberIsSet, .truthIsSet, .member, .compareConstant, .add,
            .subtract, .multiply, .divide, .minimum, .maximum, .compare, .compareTruths, .and, .or, .countTruths,
            .skipIfFalse,
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

    /// `study_year()`: worked out once per record by the engine, else here. An enrolment after the as-of date is not
    /// yet known.
    @inline(__always)
    private static func studyYear(_ frame: FramePointer, _ step: Instruction) -> Double {
        if frame.pointee.studyYear != -.infinity { return frame.pointee.studyYear }
        let enrolled = frame.pointee.values[Int(step.a)]
        if enrolled > Double(frame.pointee.asOf) { return .nan }
        return AcademicYear.studyYear(
            enrolled: enrolled, asOfAcademicYear: frame.pointee.asOfAcademicYear, start: (Int(step.b), Int(step.c)))
    }

    /// A date field's value as known on the as-of date: NaN when it is after it.
    @inline(__always)
    private static func knownDate(_ frame: FramePointer, slot: Int) -> Double {
        let value = frame.pointee.values[slot]
        return value > Double(frame.pointee.asOf) ? .nan : value
    }

    /// `days_since(date_field)`: for a date that is a fact (`c` = 1), NaN when it is after the as-of date; a plan
    /// (`c` = 0) gives days to come as a negative number.
    @inline(__always)
    private static func daysSinceField(_ frame: FramePointer, _ step: Instruction) -> Double {
        let days = Double(frame.pointee.asOf) - frame.pointee.values[Int(step.a)]
        return days < 0 && step.c == 1 ? .nan : days
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
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: EventQueries.window(frame, step.b))
        else {
            return .nan
        }
        return frame.pointee.scaleScores[Int(frame.pointee.scaleEntries[at].scoresOffset + step.c)]
    }

    @inline(__always)
    private static func latestItem(_ frame: FramePointer, _ step: Instruction) -> Double {
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: EventQueries.window(frame, step.b))
        else {
            return .nan
        }
        let entry = frame.pointee.scaleEntries[at]
        return step.c < entry.itemCount ? frame.pointee.scaleItems[Int(entry.itemsOffset + step.c)] : .nan
    }

    @inline(__always)
    private static func latestClass(_ frame: FramePointer, _ step: Instruction) -> Double {
        guard let at = EventQueries.latestIndex(frame, scale: Int(step.a), within: EventQueries.window(frame, step.b))
        else {
            return .nan
        }
        let code = frame.pointee.scaleEntries[at].classIndex
        return code < 0 ? .nan : Double(code)
    }
}

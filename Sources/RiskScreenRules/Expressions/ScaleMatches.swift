/// Queries over the results of a scale that meet a condition on their own answers: the newest such result within a
/// window (`latest(phq9, 30d, item(9) >= 1)`) and whether there is one (`any(phq9, 30d, item(9) >= 1)`), so a later
/// result without the answer does not hide an earlier one with it.
///
/// The condition is compiled like a class rule of the scale and runs on a frame that points at one result: its
/// scores as values, the result as the frame's only scale entry. Nothing is allocated: the frame is a copy on the
/// call stack, and the condition's stack is the caller's.
enum ScaleMatches {
    /// The condition code that follows a match step's header.
    struct Condition {
        var code: UnsafePointer<Instruction>
        var count: Int
        /// The stack the code needs, in values.
        var depth: Int
    }

    /// What a match step pushes for one record.
    @inline(__always)
    static func value(
        _ step: Instruction, _ condition: Condition, _ frame: FramePointer, scratch: UnsafeMutablePointer<Double>
    ) -> Double {
        let scale = Int(step.a)
        let within = EventQueries.window(frame, step.b)
        if step.operation == .matchAny { return any(frame, scale: scale, within: within, condition, scratch: scratch) }
        guard let at = newest(frame, scale: scale, within: within, condition, scratch: scratch) else { return .nan }
        let entry = frame.pointee.scaleEntries[at]
        switch step.operation {
        case .matchLatestScore:
            return frame.pointee.scaleScores[Int(entry.scoresOffset + step.c)]
        case .matchLatestItem:
            return step.c < entry.itemCount ? frame.pointee.scaleItems[Int(entry.itemsOffset + step.c)] : .nan
        case .matchLatestClass:
            return entry.classIndex < 0 ? .nan : Double(entry.classIndex)
        case .matchLatestDate:
            return Double(entry.day)
        case .constant, .asOf, .slot, .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent, .daysSinceField,
            .studyYear, .latestScore, .latestItem, .latestClass, .latestDate, .classItem, .fieldSlot, .dateSlot,
            .countDays, .followedBy, .entryClass, .matchAny, .firedCount, .awardedPoints, .negate, .not,
            .truthOfBoolean, .numberIsSet,
            .truthIsSet, .member, .compareConstant, .add, .subtract, .multiply, .divide, .minimum, .maximum, .compare,
            .compareTruths, .and, .or, .countTruths, .skipIfFalse, .skipIfTrue, .data, .compareSlot, .compareCount,
            .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask, .compareStudyYear,
            .compareDaysSinceEvent, .compareDaysSinceField, .compareDateSlot, .compareCountDays:
            preconditionFailure("value runs match steps only; runLanes sends it no other")
        }
    }

    /// The index of the newest result of `scale` on or before as-of and within the window whose answers meet the
    /// condition (true, not unknown: a result without the answers the condition reads never meets it).
    @inline(__always)
    static func newest(
        _ frame: FramePointer, scale: Int, within: Int32?, _ condition: Condition,
        scratch: UnsafeMutablePointer<Double>
    ) -> Int? {
        let start = Int(frame.pointee.scaleStart[scale])
        var index = Int(frame.pointee.scaleStart[scale + 1]) - 1
        let asOf = frame.pointee.asOf
        let entries = frame.pointee.scaleEntries
        while index >= start, entries[index].day > asOf { index -= 1 }
        while index >= start {
            if let within, entries[index].day <= asOf &- within { return nil }
            if meets(frame, index, condition, scratch: scratch) == 1 { return index }
            index -= 1
        }
        return nil
    }

    /// Kleene's `or` of the condition over the results of `scale` on or before as-of and within the window: true when
    /// one meets it, unknown when none does and one cannot be decided, false otherwise (also when there is none).
    @inline(__always)
    static func any(
        _ frame: FramePointer, scale: Int, within: Int32?, _ condition: Condition,
        scratch: UnsafeMutablePointer<Double>
    ) -> Double {
        let start = Int(frame.pointee.scaleStart[scale])
        var index = Int(frame.pointee.scaleStart[scale + 1]) - 1
        let asOf = frame.pointee.asOf
        let entries = frame.pointee.scaleEntries
        var truth = 0.0
        while index >= start, entries[index].day > asOf { index -= 1 }
        while index >= start {
            if let within, entries[index].day <= asOf &- within { break }
            let meets = meets(frame, index, condition, scratch: scratch)
            if meets == 1 { return 1 }
            if meets > truth { truth = meets }
            index -= 1
        }
        return truth
    }

    /// The condition's truth on result `index` of the record.
    @inline(__always)
    private static func meets(
        _ frame: FramePointer, _ index: Int, _ condition: Condition, scratch: UnsafeMutablePointer<Double>
    ) -> Double {
        var one = frame.pointee
        let entry = frame.pointee.scaleEntries + index
        one.values = UnsafePointer(frame.pointee.scaleScores + Int(entry.pointee.scoresOffset))
        one.scaleEntries = entry
        return withUnsafePointer(to: &one) {
            ExpressionCode.runLanes(condition.code, condition.count, lanes: 1, frames: $0, stack: scratch, width: 1)[0]
        }
    }
}

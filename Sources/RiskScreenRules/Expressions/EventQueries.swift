/// Queries over a record's sorted event days and scale administrations, by binary search.
enum EventQueries {
    /// The window a step's `b` encodes: `b` days (`b` >= 0), none (-1: all up to as-of), or calendar months
    /// (`-1 - months`), whose days the scoring call worked out once from its as-of date
    /// (``EvalFrame/monthWindowDays``); a frame without that table works them out here.
    @inline(__always)
    static func window(_ frame: FramePointer, _ b: Int32) -> Int32? {
        if b >= 0 { return b }
        if b == -1 { return nil }
        return monthWindow(frame, months: Int(-1 - b))
    }

    /// The days of a window of calendar months: from the frame's table, else worked out (kept out of line, so the
    /// windows in days inline small).
    @inline(never)
    private static func monthWindow(_ frame: FramePointer, months: Int) -> Int32 {
        if months < frame.pointee.monthWindowCount, let table = frame.pointee.monthWindowDays { return table[months] }
        return CivilDate(dayNumber: Int(frame.pointee.asOf)).monthWindowDays(months)
    }

    /// The positions of a kind's events with day `d`, `asOf - within < d <= asOf` (all up to as-of when `within` is
    /// nil).
    @inline(__always)
    static func window(_ frame: FramePointer, kind: Int, within: Int32?) -> Range<Int> {
        let start = Int(frame.pointee.eventStart[kind])
        let end = Int(frame.pointee.eventStart[kind + 1])
        if start == end { return start..<start }
        let days = frame.pointee.eventDays
        let asOf = frame.pointee.asOf
        let upper = upperBound(days, start, end, asOf)
        let lower = within.map { upperBound(days, start, end, asOf &- $0) } ?? start
        return lower < upper ? lower..<upper : upper..<upper
    }

    /// The number of events of a kind with day `d`, `asOf - within < d <= asOf` (all up to as-of when `within` is nil).
    @inline(__always)
    static func count(_ frame: FramePointer, kind: Int, within: Int32?) -> Int {
        window(frame, kind: kind, within: within).count
    }

    /// The number of distinct days with an event of a kind, `asOf - within < d <= asOf` (all up to as-of when `within`
    /// is nil): reports of one day count once.
    @inline(__always)
    static func countDays(_ frame: FramePointer, kind: Int, within: Int32?) -> Int {
        let range = window(frame, kind: kind, within: within)
        if range.isEmpty { return 0 }
        // The days are sorted: a day counts when it differs from the one before it.
        let days = frame.pointee.eventDays
        var distinct = 1
        for index in (range.lowerBound + 1)..<range.upperBound where days[index] != days[index - 1] { distinct += 1 }
        return distinct
    }

    /// Whether some event of kind `first` on or before as-of (and, with `window`, `asOf - window < d`) is followed on
    /// its day or up to `within` days later by an event of kind `then`, on or before as-of: any pair, not only the
    /// latest of each.
    @inline(__always)
    static func followedBy(_ frame: FramePointer, first: Int, then: Int, within: Int32, window: Int32?) -> Bool {
        let firstStart = Int(frame.pointee.eventStart[first])
        let firstEnd = Int(frame.pointee.eventStart[first + 1])
        let thenStart = Int(frame.pointee.eventStart[then])
        let thenEnd = Int(frame.pointee.eventStart[then + 1])
        if firstStart == firstEnd || thenStart == thenEnd { return false }
        let days = frame.pointee.eventDays
        let asOf = frame.pointee.asOf
        let firstUpper = upperBound(days, firstStart, firstEnd, asOf)
        var index = window.map { upperBound(days, firstStart, firstEnd, asOf &- $0) } ?? firstStart
        // Both lists are sorted: walk the first kind's days, keeping the earliest event of the second kind on or
        // after each.
        var next = thenStart
        while index < firstUpper {
            let day = days[index]
            while next < thenEnd && days[next] < day { next += 1 }
            if next == thenEnd { return false }
            let then = days[next]
            if then <= asOf && Int(then) - Int(day) <= Int(within) { return true }
            index += 1
        }
        return false
    }

    /// Days from the latest event of a kind on or before as-of, or NaN when there is none.
    @inline(__always)
    static func daysSinceLatest(_ frame: FramePointer, kind: Int) -> Double {
        let start = Int(frame.pointee.eventStart[kind])
        let end = Int(frame.pointee.eventStart[kind + 1])
        let asOf = frame.pointee.asOf
        let upper = upperBound(frame.pointee.eventDays, start, end, asOf)
        return upper == start ? .nan : Double(asOf - frame.pointee.eventDays[upper - 1])
    }

    /// The index (into the frame's scale entries) of a scale's latest result on or before as-of and inside the window.
    @inline(__always)
    static func latestIndex(_ frame: FramePointer, scale: Int, within: Int32?) -> Int? {
        let start = Int(frame.pointee.scaleStart[scale])
        var index = Int(frame.pointee.scaleStart[scale + 1]) - 1
        let asOf = frame.pointee.asOf
        let entries = frame.pointee.scaleEntries
        while index >= start, entries[index].day > asOf { index -= 1 }
        guard index >= start else { return nil }
        if let within, entries[index].day <= asOf &- within { return nil }
        return index
    }

    /// The first index in `start..<end` whose day is greater than `day`.
    @inline(__always)
    static func upperBound(_ days: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ day: Int32) -> Int {
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) >> 1
            if days[middle] <= day { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The academic year a date falls in, counted by the year in which that academic year starts.
package enum AcademicYear {
    package static func of(dayNumber: Int, start: (month: Int, day: Int)) -> Int {
        let (year, month, day) = CivilDate(dayNumber: dayNumber).components
        return (month, day) >= start ? year : year - 1
    }

    /// `study_year()`: 1 in the academic year of enrolment, counting up; NaN when the enrolment date is missing.
    package static func studyYear(enrolled: Double, asOfAcademicYear: Int, start: (month: Int, day: Int)) -> Double {
        if enrolled.isNaN { return .nan }
        return Double(asOfAcademicYear - of(dayNumber: Int(enrolled), start: start) + 1)
    }
}

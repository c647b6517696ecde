/// Queries over a record's sorted event days and scale administrations, by binary search.
enum EventQueries {
    /// The number of days `d` with `asOf - within < d <= asOf` (all up to as-of when `within` is nil).
    @inline(__always)
    static func count(_ days: [Int32], asOf: Int32, within: Int32?) -> Int {
        if days.isEmpty { return 0 }
        let end = upperBound(days, asOf)
        guard let within else { return end }
        let start = upperBound(days, asOf &- within)
        return max(0, end - start)
    }

    /// Days from the latest event on or before as-of, or NaN when there is none.
    @inline(__always)
    static func daysSinceLatest(_ days: [Int32], asOf: Int32) -> Double {
        let end = upperBound(days, asOf)
        return end == 0 ? .nan : Double(asOf - days[end - 1])
    }

    /// The index of the latest administration on or before as-of and inside the window.
    @inline(__always)
    static func latestIndex(_ results: [ScaleResult], asOf: Int32, within: Int32?) -> Int? {
        var index = results.count - 1
        while index >= 0, results[index].day > asOf { index -= 1 }
        guard index >= 0 else { return nil }
        if let within, results[index].day <= asOf &- within { return nil }
        return index
    }

    /// The first index whose day is greater than `day`.
    @inline(__always)
    static func upperBound(_ days: [Int32], _ day: Int32) -> Int {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) >> 1
            if days[middle] <= day { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The academic year a date falls in, counted by the year in which that academic year starts.
enum AcademicYear {
    static func of(dayNumber: Int, start: (month: Int, day: Int)) -> Int {
        let (year, month, day) = CivilDate(dayNumber: dayNumber).components
        return (month, day) >= start ? year : year - 1
    }
}

/// A calendar date as a count of days since 1970-01-01, free of clocks, locales and time zones.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int

    /// The earliest year RiskScreen accepts; earlier dates are treated as mistakes.
    public static let earliestYear = 1900
    /// The latest year RiskScreen accepts.
    public static let latestYear = 2200
    /// What a message expects of a date: "a date YYYY-MM-DD between 1900 and 2200".
    package static let expectation = "a date YYYY-MM-DD between \(earliestYear) and \(latestYear)"
    /// What a message expects of a date in a text cell (YAML, CSV), where ``init(textUTF8:)`` reads it.
    package static let textExpectation =
        "a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between \(earliestYear) and \(latestYear)"

    /// Creates a date from its day number.
    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// Creates a date from year, month and day, or nil when there is no such day or the year is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard year >= Self.earliestYear, year <= Self.latestYear, month >= 1, month <= 12, day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        dayNumber = Self.dayNumber(year: year, month: month, day: day)
    }

    /// The day number of a valid year, month and day, any year (Howard Hinnant's days_from_civil).
    private static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The same day `months` calendar months earlier, or the last day of that month when it has no such day: 31 May
    /// less 3 months is 28 February (29 in a leap year), 31 March less 1 month is 28 or 29 February.
    package func monthsEarlier(_ months: Int) -> CivilDate {
        let (year, month, day) = components
        let index = year * 12 + (month - 1) - months
        let earlierYear = index >= 0 ? index / 12 : (index - 11) / 12
        let earlierMonth = index - earlierYear * 12 + 1
        let earlierDay = Swift.min(day, Self.daysIn(month: earlierMonth, year: earlierYear))
        return CivilDate(dayNumber: Self.dayNumber(year: earlierYear, month: earlierMonth, day: earlierDay))
    }

    /// How many days a window of `months` calendar months covers as of this date: the days after
    /// ``monthsEarlier(_:)`` up to this date, this date included (as `count(k, 90d)` covers the as-of date and the 89
    /// days before it). As of 31 May, `3m` covers 1 March to 31 May, 92 days.
    package func monthWindowDays(_ months: Int) -> Int32 {
        Int32(clamping: dayNumber - monthsEarlier(months).dayNumber)
    }

    /// Parses `YYYY-MM-DD` strictly; nil for any other text or an impossible date.
    public init?(iso text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ CivilDate(isoUTF8: $0) }) else { return nil }
        self = date
    }

    /// Parses `YYYY-MM-DD` from UTF-8 bytes, as ``init(iso:)`` does, without making a string.
    package init?(isoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses a date as a text cell (YAML, CSV) may write it, as ``init(textUTF8:)`` does.
    package init?(text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ CivilDate(textUTF8: $0) }) else { return nil }
        self = date
    }

    /// Parses a date as spreadsheets export it, from UTF-8 bytes without making a string: `YYYY-MM-DD`, or a
    /// four-digit year, a month and a day of one or two digits each, separated by `-` or by `/` (the same both
    /// times): `2024/9/1`, `2024-9-1`, `2024/09/01`. Nil for anything else or an impossible date (`2026/2/30`).
    package init?(textUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        if let date = CivilDate(isoUTF8: bytes) {
            self = date
            return
        }
        guard bytes.count >= 8, bytes.count <= 10, bytes[4] == UInt8(ascii: "-") || bytes[4] == UInt8(ascii: "/")
        else { return nil }
        let separator = bytes[4]
        var index = 0
        func number(maximumDigits: Int) -> Int? {
            var value = 0
            let start = index
            while index < bytes.count, index - start < maximumDigits, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return index > start ? value : nil
        }
        guard let year = number(maximumDigits: 4), index == 4 else { return nil }
        index += 1
        guard let month = number(maximumDigits: 2), index < bytes.count, bytes[index] == separator else { return nil }
        index += 1
        guard let day = number(maximumDigits: 2), index == bytes.count else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Orders dates by day.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

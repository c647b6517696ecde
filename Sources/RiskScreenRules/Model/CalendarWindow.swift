public import RiskScreenSupport

/// A named stretch of the academic year: recurring month–day ranges, or dated ranges.
public struct CalendarWindow: Sendable {
    /// One range of a window.
    /// Frozen: a closed set (the spans a calendar window may take); a new case comes only with a new major version of the library.
    public enum Span: Sendable, Hashable {
        /// Every year from one month-day to another (wrapping over the new year when `to` is earlier).
        case recurring(from: MonthDay, to: MonthDay)
        /// Between two dates, inclusive.
        case dated(from: CivilDate, to: CivilDate)

        func holds(on date: CivilDate, monthDay: MonthDay) -> Bool {
            switch self {
            case .recurring(let from, let to):
                return from <= to ? (from <= monthDay && monthDay <= to) : (monthDay >= from || monthDay <= to)
            case .dated(let from, let to):
                return from <= date && date <= to
            }
        }
    }

    /// The window's name, used in `during(name)`, `during:` and calendar effects.
    public let name: String
    /// Chinese and English labels.
    public let label: Label
    /// Its ranges; it holds when any does.
    public let spans: [Span]
    /// The seed document and section it comes from.
    public let source: String?
    /// Where it was declared.
    public let location: SourceLocation

    /// True when the window holds on `date`.
    public func holds(on date: CivilDate) -> Bool {
        let (_, month, day) = date.components
        let monthDay = MonthDay(month: month, day: day)
        return spans.contains { $0.holds(on: date, monthDay: monthDay) }
    }
}

/// A month and day, as `MM-DD`.
public struct MonthDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The month, 1–12.
    public let month: Int
    /// The day, 1–31.
    public let day: Int

    /// Parses `MM-DD`; nil for anything else or a day the month never has.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let month = Int(parts[0]),
            let day = Int(parts[1]),
            month >= 1, month <= 12, day >= 1, day <= CivilDate.daysIn(month: month, year: 2000)
        else { return nil }
        self.month = month
        self.day = day
    }

    init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    /// Orders by month, then day.
    public static func < (lhs: MonthDay, rhs: MonthDay) -> Bool { (lhs.month, lhs.day) < (rhs.month, rhs.day) }

    /// `MM-DD`.
    public var description: String { (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)" }
}

/// A calendar effect: inside a window, the points of some indicators are multiplied.
public struct CalendarEffect: Sendable {
    /// The window's name.
    public let window: String
    /// The indicators whose points are multiplied.
    public let indicators: [String]
    /// The factor.
    public let factor: Double
    /// Where it was declared.
    public let location: SourceLocation

    package let windowIndex: Int
    package let indicatorIndices: [Int]
}

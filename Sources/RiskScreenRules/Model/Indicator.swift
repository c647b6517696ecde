public import RiskScreenSupport

/// A risk indicator or protective factor: a condition, its points, and the evidence to show when it fires.
public struct Indicator: Sendable {
    /// How many points an indicator gives when its condition holds.
    package enum Points: Sendable {
        /// A fixed number of points.
        case fixed(Double)
        /// Points chosen by the band a value falls in; bands sorted by `from`, ascending.
        case banded(NumberProgram, [Band])
        /// Points equal to a value, within `lowest ... highest` (a value outside is clamped); a missing value gives
        /// none (the indicator does not fire).
        case value(NumberProgram, lowest: Double, highest: Double)
    }

    /// One band of banded points: from this value upwards (until the next band), these points.
    package struct Band: Sendable {
        package var from: Double
        package var points: Double
    }

    /// One piece of evidence shown when the indicator fires.
    package struct Evidence: Sendable {
        package var label: String
        package var value: EvidenceProgram
        package var sensitive: Bool
    }

    /// The indicator's id, used in conditions, escalations and caps.
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// Its dimension.
    public let dimension: Dimension
    /// The named groups it belongs to (`group:`), which `max_points`, `sum_points` and `fired_count` may read.
    public let groups: [String]
    /// The seed document and section it comes from, such as `000 §四(二)3`.
    public let source: String?
    /// True for a protective factor, whose points are subtracted.
    public let isProtective: Bool
    /// False when a layer switched the indicator off: it never fires.
    public let isEnabled: Bool
    /// Its position in the rule set.
    package let index: Int
    /// Where it was declared.
    public let location: SourceLocation
    /// The condition's text, as written.
    public let conditionText: String?
    /// The calendar windows it is limited to (it holds only inside one of them); empty for always.
    public let windows: [String]
    /// True when its condition, points or evidence read a sensitive field, event or scale, or a sensitive indicator:
    /// then only roles that see sensitive facts learn that it fired.
    public let isSensitive: Bool
    /// True for an indicator declared `display_only: true`: it fires to be shown and tested, gives no points, no rule
    /// or other indicator reads it, and `fired_count()` does not count it.
    public let isDisplayOnly: Bool

    package let condition: TruthProgram?
    package let points: Points
    package let evidence: [Evidence]
    package let windowIndices: [Int]
    /// Windows the indicator depends on: those it is limited to and those its condition reads with `during()`.
    package let windowDependencies: [Int]

    /// The most points it can give before calendar multipliers (infinite for points from a value without `max:`).
    public var maximumPoints: Double {
        switch points {
        case .fixed(let value): return value
        case .banded(_, let bands): return bands.map(\.points).max() ?? 0
        case .value(_, _, let highest): return highest
        }
    }
}

extension Indicator {
    /// The same indicator, marked sensitive.
    func markedSensitive() -> Indicator {
        Indicator(
            id: id, label: label, dimension: dimension, groups: groups, source: source, isProtective: isProtective,
            isEnabled: isEnabled,
            index: index, location: location, conditionText: conditionText, windows: windows, isSensitive: true,
            isDisplayOnly: isDisplayOnly, condition: condition, points: points, evidence: evidence,
            windowIndices: windowIndices,
            windowDependencies: windowDependencies)
    }
}

public import RiskScreenSupport

/// One of a rule set's several scores (`scores:`), such as risk to self and risk to others: the points of its own
/// indicators, summed, reach levels by its own thresholds.
///
/// A rule set that declares no `scores:` has one score, the sum of every indicator's points, and none of these.
public struct ScoreDefinition: Sendable {
    /// Its id, as an indicator's `score:`, a level's `from:` mapping and a combination table write it.
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// Its position in `scores:`.
    package let index: Int
    /// Per level rank, the lowest sum of this score's points that reaches the level: minus infinity for the first
    /// level, plus infinity for a level whose `from:` leaves this score out (or one reached only by rules).
    public let thresholds: [Double]
    /// Where it was declared.
    public let location: SourceLocation

    /// The rank of the highest level this score's sum reaches by its own thresholds.
    @inline(__always)
    package func levelRank(for sum: Double) -> Int {
        var rank = 0
        for candidate in thresholds.indices.dropFirst() where sum >= thresholds[candidate] { rank = candidate }
        return rank
    }

    /// The same score with its thresholds.
    func withThresholds(_ thresholds: [Double]) -> ScoreDefinition {
        ScoreDefinition(id: id, label: label, index: index, thresholds: thresholds, location: location)
    }
}

/// How a rule set with several scores takes the level before caps, escalations and cohort rules from its scores'
/// levels (`combine:`).
/// Frozen: a closed set (the ways scores combine); a new case comes only with a new major version of the library.
public enum ScoreCombination: Sendable {
    /// The highest of the scores' levels (`combine: highest`, the default).
    case highest
    /// A table of combinations (`combine: {table: [...]}`): `levels` holds, for every combination of the scores' level
    /// ranks, the resulting rank (the highest of them where no row lists it). A combination's position is the ranks
    /// read as digits in base `levelCount`, the first score's the most significant.
    case table(levels: [Int32], levelCount: Int)

    /// The combined level rank of the scores' level ranks.
    @inline(__always)
    public func combine(_ ranks: UnsafeBufferPointer<Int32>) -> Int {
        switch self {
        case .highest:
            return Int(ranks.max() ?? 0)
        case .table(let levels, let levelCount):
            var position = 0
            for rank in ranks { position = position * levelCount + Int(rank) }
            return Int(levels[position])
        }
    }

    /// The combined level rank of the scores' level ranks, from an array (outside the scoring loop).
    public func combine(_ ranks: [Int32]) -> Int {
        ranks.withUnsafeBufferPointer { combine($0) }
    }
}

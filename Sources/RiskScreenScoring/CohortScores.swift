public import RiskScreenRules

/// The scores of a cohort without explanations: per student the score, the level, and which indicators fired,
/// stored flat for the whole cohort (a few arrays, not one value per student).
///
/// It is what a pass over a whole cohort needs to count students by level, compare two rule sets, or pick the
/// students to explain, at a fraction of the cost of building an ``Assessment`` for each: see
/// ``ScoringEngine/score(_:asOf:for:threads:)``. Levels are the same as the assessments' (caps, escalations and
/// cohort rules included); ``ScoringEngine/assess(_:asOf:for:)`` explains any one student.
///
/// It is made for an audience (``ScoringEngine/score(_:asOf:for:threads:)``). Levels show to every audience. For an
/// audience that may not see sensitive facts (the default), sensitive indicators never show as fired, and every
/// score and level by score is withheld (NaN and nil): a score less the points shown would tell what is withheld.
public struct CohortScores: Sendable {
    /// The as-of date the cohort was scored for.
    public let asOf: CivilDate
    /// Who it was made for.
    public let audience: Audience
    /// Per indicator, whether this view hides it (sensitive, and the audience may not see sensitive facts).
    let hidden: [Bool]
    /// The indicator ids, by index (the rule set's order).
    public let indicatorIDs: [String]
    /// The rule set's levels, lowest first (by rank).
    public let allLevels: [Level]
    var scores: [Double]
    var scoreLevels: [Int32]
    var levels: [Int32]
    /// `firedWords` words per student; indicator i is bit i % 64 of word i / 64.
    var firedBits: [UInt64]
    let firedWords: Int
    /// The ids of the rule set's several scores (empty for a rule set of one score).
    public let scoreIDs: [String]
    /// `scoreIDs.count` per student: each score's sum, and the rank of the level it gives by its own thresholds.
    var partScores: [Double] = []
    var partLevels: [Int32] = []

    /// The number of students, in input order.
    public var count: Int { scores.count }

    /// Risk points minus protective points of student `student` (an index into the scored records); NaN when the
    /// audience may not see sensitive facts.
    public func score(_ student: Int) -> Double { audience.seesSensitive ? scores[student] : .nan }

    /// The rank of the student's final level (0 for the lowest).
    package func levelRank(_ student: Int) -> Int { Int(levels[student]) }

    /// The student's final level.
    public func level(_ student: Int) -> Level { allLevels[Int(levels[student])] }

    /// The level the score alone gives, before caps, escalations and cohort rules; nil when the audience may not see
    /// sensitive facts.
    public func scoreLevel(_ student: Int) -> Level? {
        audience.seesSensitive ? allLevels[Int(scoreLevels[student])] : nil
    }

    /// With several scores: the sum of the points of score `score`'s fired indicators (an index into
    /// ``scoreIDs``) for the student; NaN when the audience may not see sensitive facts.
    public func score(_ student: Int, of score: Int) -> Double {
        audience.seesSensitive ? partScores[student * scoreIDs.count + score] : .nan
    }

    /// With several scores: the level score `score` gives by its own thresholds; nil when the audience may not see
    /// sensitive facts.
    public func scoreLevel(_ student: Int, of score: Int) -> Level? {
        audience.seesSensitive ? allLevels[Int(partLevels[student * scoreIDs.count + score])] : nil
    }

    /// Whether indicator `indicator` (an index into the rule set's indicators) fired for the student; false for a
    /// sensitive indicator when the audience may not see sensitive facts.
    public func didFire(_ indicator: Int, student: Int) -> Bool {
        !hidden[indicator] && firedBits[student * firedWords + indicator / 64] & (1 << UInt64(indicator % 64)) != 0
    }

    /// The indices of the indicators and protective factors that fired for the student, in rule-set order (the
    /// sensitive ones only for an audience that may see sensitive facts).
    public func firedIndicators(_ student: Int) -> [Int] {
        var result: [Int] = []
        for word in 0..<firedWords {
            var bits = firedBits[student * firedWords + word]
            while bits != 0 {
                let indicator = word * 64 + bits.trailingZeroBitCount
                if !hidden[indicator] { result.append(indicator) }
                bits &= bits - 1
            }
        }
        return result
    }

    /// How many students are at each level, by rank.
    public var countsByLevel: [Int] {
        var counts = [Int](repeating: 0, count: allLevels.count)
        for level in levels { counts[Int(level)] += 1 }
        return counts
    }
}

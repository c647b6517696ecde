/// One step of a compiled expression, run by ``ExpressionCode``: a stack machine over numbers.
///
/// Every value is a `Double`. A missing number is NaN; a truth is 0 (false), 1 (true) or 0.5 (unknown), so
/// Kleene's three-valued `and`, `or` and `not` are `min`, `max` and `1 - x`. Names were resolved when the rules
/// loaded: operands are slot, event-kind, scale and indicator indices, never names.
package struct Instruction: Sendable, Equatable {
    /// What the step does. "Push" puts a value on the stack; unary steps replace the top; binary steps pop two
    /// and push one; the fused steps read an operand and compare it with `constant` in one step.
    package enum Operation: UInt8, Sendable {
        /// Push `constant`.
        case constant
        /// Push the as-of day number.
        case asOf
        /// Push the record's value in slot `a` (in a class rule: score `a` of the administration).
        case slot
        /// Push the truth of the boolean field in slot `a` (its negation when `negated`).
        case booleanSlot
        /// Push whether indicator `a` fired (did not fire when `negated`).
        case fired
        /// Push the score so far (escalations and caps).
        case score
        /// Push whether calendar window `a` holds on the as-of day (does not hold when `negated`).
        case window
        /// Push the number of events of kind `a` within `b` days (all up to as-of when `b` < 0).
        case count
        /// Push the days since the latest event of kind `a`, NaN when there is none.
        case daysSinceEvent
        /// Push the days since the date in slot `a`. When `c` is 1 the date is a fact, not a plan: a date after the
        /// as-of date is not yet known and reads as NaN (`c` is 0 for a field declared `scheduled`).
        case daysSinceField
        /// Push the study year from the enrolment date in slot `a`; the academic year starts on month `b`, day `c`.
        case studyYear
        /// Push score `c` of the latest result of scale `a` within `b` days (`b` < 0: any).
        case latestScore
        /// Push item `c` (zero-based) of the latest result of scale `a` within `b` days.
        case latestItem
        /// Push the class of the latest result of scale `a` within `b` days.
        case latestClass
        /// Push the date of the latest result of scale `a` within `b` days.
        case latestDate
        /// Push item `c` (zero-based) of the administration a class rule classifies.
        case classItem
        /// Push the record's field in slot `a` in a class rule or a condition on one scale result, whose frame holds
        /// the scale's scores as its values and the record's fields beside them (``EvalFrame/fields``).
        case fieldSlot
        /// Push the date in slot `a`, NaN when it is after the as-of date (a dated fact not yet known; a field
        /// declared `scheduled` is read with ``slot``).
        case dateSlot
        /// Push the number of distinct days with an event of kind `a` within `b` days (`b` < 0: all up to as-of).
        case countDays
        /// Push whether some event of kind `a` on or before as-of, within `b` days (`b` < 0: any), is followed on
        /// the same day or up to `constant` days later by an event of kind `c`, on or before as-of.
        case followedBy
        /// Push the class of the administration a condition on one scale result reads (``matchAny`` and the
        /// `matchLatest` steps), NaN when it has none.
        case entryClass
        /// Push score `c` of the newest result of scale `a` within `b` days (`b` < 0: any) whose answers meet a
        /// condition. The next step is data: its `a` steps of condition code follow it, run on each result with a
        /// stack of `b` values; this step skips them all.
        case matchLatestScore
        /// Push item `c` (zero-based) of the newest result meeting the condition, as ``matchLatestScore``.
        case matchLatestItem
        /// Push the class of the newest result meeting the condition, as ``matchLatestScore``.
        case matchLatestClass
        /// Push the date of the newest result meeting the condition, as ``matchLatestScore``.
        case matchLatestDate
        /// Push whether some result of scale `a` within `b` days meets the condition (Kleene's `or` over the results,
        /// false when there is none), laid out as ``matchLatestScore``.
        case matchAny
        /// Push what the fired indicators among a set give, by ``FiredSetMode`` `c`: how many fired, whether any
        /// did, whether all did (`upper` holds how many the set has), or whether how many fired lies in
        /// `constant ... upper`; the truths are turned round when `negated`. The set is the next `b` steps, each a
        /// word `a` of fired bits and a mask in `constant.bitPattern`; the step skips them.
        case firedCount
        /// Push the points the fired indicators among a set awarded (after calendar multipliers, as they count in the
        /// score), by ``PointsMode`` `c`: their sum or the largest; 0 when none of them fired. The set is laid out as
        /// ``firedCount``'s: the next `b` steps, each a word `a` of indicator bits and a mask in `constant.bitPattern`;
        /// the step skips them. Escalations, caps and duties only (the engine sets the frame's points).
        case awardedPoints

        /// Negate the top.
        case negate
        /// Replace the top truth by its negation.
        case not
        /// Replace the top boolean number (0, 1 or NaN) by its truth.
        case truthOfBoolean
        /// Replace the top number by whether it is set (`a` = 1) or missing (`a` = 0).
        case numberIsSet
        /// Replace the top truth by whether it is known (`a` = 1) or unknown (`a` = 0).
        case truthIsSet
        /// Replace the top number by whether it is (`a` = 0) or is not (`a` = 1) one of the `b` values in the next
        /// `b` steps' `constant`; skips those steps.
        case member
        /// Compare the top with `constant` by ``Comparison`` `comparison`.
        case compareConstant

        case add
        case subtract
        case multiply
        /// Divide; a zero divisor gives NaN.
        case divide
        /// The smaller of two numbers, NaN when either is missing.
        case minimum
        /// The larger of two numbers, NaN when either is missing.
        case maximum
        /// Compare two numbers by `comparison`.
        case compare
        /// Compare two truths for equality (`a` = 1) or inequality (`a` = 0); unknown when either is unknown.
        case compareTruths
        /// Kleene `and` of two truths.
        case and
        /// Kleene `or` of two truths.
        case or
        /// Pop `a` truths (`a` >= 1) and push, by ``TruthCountMode`` `c`: how many are true (NaN when any is
        /// unknown: `count_true`), or whether at least `constant` are (`at_least`: true when that many are true,
        /// false when fewer could be even if every unknown one were true, unknown otherwise).
        case countTruths

        /// Skip the next `a` steps when the top is false, leaving it (the left side of `and`).
        case skipIfFalse
        /// Skip the next `a` steps when the top is true, leaving it (the left side of `or`).
        case skipIfTrue
        /// Data for the step before it (``firedCount``, ``member``), or the header of a scale match (``matchAny`` and the
        /// `matchLatest` steps); never run.
        case data

        /// Fused: whether slot `a` lies in `constant ... upper` (outside it when `negated`).
        case compareSlot
        /// Fused: whether the count of events of kind `a` within `b` days lies in `constant ... upper`.
        case compareCount
        /// Fused: whether score `c` of the latest result of scale `a` within `b` days lies in `constant ... upper`.
        case compareLatestScore
        /// Fused: whether item `c` of the latest result of scale `a` within `b` days lies in `constant ... upper`.
        case compareLatestItem
        /// Fused: whether the class of the latest result of scale `a` within `b` days is one of the classes in the
        /// bit mask `constant.bitPattern` (not one of them when `negated`).
        case latestClassInMask
        /// Fused: whether the value in slot `a` is a whole number in 0..<64 whose bit is set in `constant.bitPattern`
        /// (not set when `negated`): enumeration membership.
        case slotInMask
        /// Fused: whether `study_year()` (as ``studyYear``) lies in `constant ... upper`.
        case compareStudyYear
        /// Fused: whether the days since the latest event of kind `a` lie in `constant ... upper`.
        case compareDaysSinceEvent
        /// Fused: whether the days since the date in slot `a` lie in `constant ... upper` (`c` as ``daysSinceField``).
        case compareDaysSinceField
        /// Fused: whether the date in slot `a`, read as ``dateSlot``, lies in `constant ... upper`.
        case compareDateSlot
        /// Fused: whether the number of distinct days with an event of kind `a` within `b` days lies in
        /// `constant ... upper`.
        case compareCountDays

        /// Whether the step is a scale match, followed by a header and the steps of its condition.
        var isScaleMatch: Bool {
            switch self {
            case .matchLatestScore, .matchLatestItem, .matchLatestClass, .matchLatestDate, .matchAny: true
            case .constant, .asOf, .slot, .booleanSlot, .fired, .score, .window, .count, .daysSinceEvent,
                .daysSinceField, .studyYear, .latestScore, .latestItem, .latestClass, .latestDate, .classItem,
                .fieldSlot, .dateSlot, .countDays, .followedBy, .entryClass, .firedCount, .awardedPoints, .negate, .not,
                .truthOfBoolean,
                .numberIsSet, .truthIsSet, .member, .compareConstant, .add, .subtract, .multiply, .divide, .minimum,
                .maximum, .compare, .compareTruths, .and, .or, .countTruths, .skipIfFalse, .skipIfTrue, .data,
                .compareSlot, .compareCount, .compareLatestScore, .compareLatestItem, .latestClassInMask, .slotInMask,
                .compareStudyYear, .compareDaysSinceEvent, .compareDaysSinceField, .compareDateSlot,
                .compareCountDays:
                false
            }
        }
    }

    /// What ``Operation/firedCount`` pushes.
    enum FiredSetMode: Int32, Sendable {
        /// How many of the set fired.
        case count
        /// Whether any of them fired (`a or b or …`).
        case any
        /// Whether all of them fired (`a and b and …`).
        case all
        /// Whether how many fired lies in a range (`fired_count(…) >= 2`).
        case inRange
    }

    /// What ``Operation/awardedPoints`` pushes.
    enum PointsMode: Int32, Sendable {
        /// The sum of the points of those that fired (`sum_points`, and `points` of one indicator).
        case sum
        /// The largest points of one that fired (`max_points`).
        case largest
    }

    /// What ``Operation/countTruths`` pushes.
    enum TruthCountMode: Int32, Sendable {
        /// How many of the truths are true; missing when any is unknown (`count_true(a, b, …)`).
        case count
        /// Whether at least `constant` of them are true, in three-valued logic (`at_least(k, a, b, …)`).
        case atLeast
    }

    /// The comparison of ``Operation/compare`` and the fused comparisons.
    enum Comparison: UInt8, Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    }

    /// What a leaf step does with its value: push it, or fold it into the value on top as the right side of an
    /// `and` (the minimum) or an `or` (the maximum), saving a pass over the batch.
    enum Fold: UInt8, Sendable {
        case push, and, or
    }

    package var operation: Operation
    var comparison: Comparison = .equal
    /// For truth-valued leaf steps: the answer is turned round (`!=`, `not in`, `not`); unknown stays unknown.
    var negated = false
    /// For leaf steps: push the value, or fold it into the top one.
    var fold: Fold = .push
    package var a: Int32 = 0
    package var b: Int32 = 0
    var c: Int32 = 0
    package var constant: Double = 0
    /// For the fused comparisons: the upper end of the range (`constant` is the lower end).
    var upper: Double = 0

    /// A comparison with a finite constant as a range test: `x >= c` is `x` in `c ... +inf`, `x > c` is `x` in
    /// `c.nextUp ... +inf`, `x != c` is `x` outside `c ... c`. One test then serves every comparison.
    static func range(_ comparison: Comparison, _ value: Double) -> (lower: Double, upper: Double, negated: Bool) {
        switch comparison {
        case .equal: return (value, value, false)
        case .notEqual: return (value, value, true)
        case .less: return (-.infinity, value.nextDown, false)
        case .lessOrEqual: return (-.infinity, value, false)
        case .greater: return (value.nextUp, .infinity, false)
        case .greaterOrEqual: return (value, .infinity, false)
        }
    }
}

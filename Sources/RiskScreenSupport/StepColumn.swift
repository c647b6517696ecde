/// Numbers that mostly rise by small steps, kept as the step from the one before in `Step` (one or two bytes) rather
/// than whole: where each student's line and result begin, its line number, where each id ends. A value that does not
/// fit (a long line, the first of another file, one lower than the one before) is kept whole beside the steps, and
/// every 32nd value is kept whole so that reading one adds at most 31 steps. What a streamed run keeps of every
/// student: a million students' line starts take 2.3 MB rather than 4.
///
/// Public only to the stages that import its SPI, and inlinable, for the reason ``BlockColumn`` gives.
@_spi(RiskScreenStorage) public struct StepColumn<Step: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// The step from the value before (0 where the value is an anchor, `Step.max` where it is an outlier).
    @usableFromInline var steps = BlockColumn<Step>()
    /// Every ``anchorSpacing``-th value, whole.
    @usableFromInline var anchors: [Int] = []
    /// The values whose step does not fit, whole, by position.
    @usableFromInline var outliers: [Int: Int] = [:]
    /// The last value, nil when there is none.
    @usableFromInline var lastValue: Int?

    /// Values between two kept whole.
    @inlinable static var anchorSpacing: Int { 32 }

    /// An empty column.
    @inlinable public init() {
        precondition(Step.bitWidth < Int.bitWidth, "a step narrower than Int (one or two bytes)")
    }

    /// Values so far.
    @inlinable public var count: Int { steps.count }

    /// The last value, nil when there is none.
    @inlinable public var last: Int? { lastValue }

    /// Adds `value` at the end.
    @inlinable public mutating func append(_ value: Int) {
        let position = steps.count
        if position % Self.anchorSpacing == 0 {
            anchors.append(value)
            steps.append(0)
        } else if let lastValue, case (let step, false) = value.subtractingReportingOverflow(lastValue), step >= 0,
            step < Int(Step.max)
        {
            steps.append(Step(step))
        } else {
            outliers[position] = value
            steps.append(.max)
        }
        lastValue = value
    }

    /// The value at `position` (0 up to ``count``).
    @inlinable public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "a position in the column")
        let anchor = position / Self.anchorSpacing
        var value = anchors[anchor]
        var next = anchor * Self.anchorSpacing + 1
        while next <= position {
            let step = steps[next]
            if step == .max {
                guard let whole = outliers[next] else { preconditionFailure("an outlier is kept whole") }
                value = whole
            } else {
                value += Int(step)
            }
            next += 1
        }
        return value
    }
}

/// The names a condition may use, and where it is used: an indicator, an escalation or cap, or a scale's classes.
struct ExpressionScope: Sendable {
    enum Context: Sendable {
        /// An indicator's condition or points: may name fields, events, scales, windows, parameters and indicators.
        case indicator
        /// An escalation or a cap: may also use `score` and `fired_count(...)`.
        case levelRule
        /// A scale's class rules: may name the scale's scores and `item(n)` only.
        case scaleClass(ScaleDefinition)
    }

    var schema: Schema
    var parameters: [String: Double]
    var indicatorIndex: [String: Int]
    /// For each indicator: its dimension and whether it adds risk (protective factors do not count in `fired_count`).
    var indicatorDimensions: [Dimension]
    var indicatorIsRisk: [Bool]
    var windowIndex: [String: Int]
    var academicYearStart: (month: Int, day: Int)
    var context: Context
}

/// What a compiled condition read, for dependency order, sensitivity and constant detection.
struct ExpressionFootprint: Sendable {
    var indicators: Set<Int> = []
    var windows: Set<Int> = []
    var readsRecord = false
    var readsSensitive = false
    var readsAllIndicators = false
}

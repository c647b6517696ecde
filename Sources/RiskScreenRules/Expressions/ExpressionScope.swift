/// The names a condition may use, and where it is used: an indicator, an escalation or cap, or a scale's classes.
struct ExpressionScope: Sendable {
    enum Context: Sendable {
        /// An indicator's condition or points: may name fields, events, scales, windows, parameters and indicators.
        case indicator
        /// An escalation or a cap (or a duty's condition): may also use `score`, `fired_count(...)`, `points(...)`,
        /// `max_points(...)` and `sum_points(...)`.
        case levelRule
        /// A scale's class rules: may name the scale's scores, `item(n)`, parameters and the record's number, yes/no and
        /// enumeration fields.
        case scaleClass(ScaleDefinition)
        /// A condition on one result of a scale, inside `latest(scale, window, condition)` or `any(…)`: as a class
        /// rule (fields too), and may also name the result's `class`.
        case scaleResult(ScaleDefinition)

        /// The scale whose one result the condition reads (class rules and conditions on one result), else nil.
        var resultScale: ScaleDefinition? {
            switch self {
            case .scaleClass(let scale), .scaleResult(let scale): scale
            case .indicator, .levelRule: nil
            }
        }

        /// Where the condition stands, for a message: "a class rule" or "a condition on one phq9 result".
        var resultPlace: String {
            switch self {
            case .scaleResult(let scale): "a condition on one \(scale.name) result"
            case .scaleClass, .indicator, .levelRule: "a class rule"
            }
        }
    }

    var schema: Schema
    var parameters: [String: Double]
    var indicatorIndex: [String: Int]
    /// For each indicator: its dimension and whether it counts in `fired_count` (protective factors and display-only
    /// indicators do not).
    var indicatorDimensions: [Dimension]
    var indicatorIsRisk: [Bool]
    /// The named groups of risk indicators (`group:` on an indicator), each with its members in rule-set order: what
    /// `max_points`, `sum_points` and `fired_count` may read besides a dimension.
    var indicatorGroups: [String: [Int]] = [:]
    var windowIndex: [String: Int]
    var academicYearStart: (month: Int, day: Int)
    var context: Context
    /// Indicators declared `display_only: true`: evidence may show them, but no condition or points may read them.
    var displayOnlyIndicators: Set<Int> = []
    /// The rule set's dimensions, which `fired_count` (and any function of a dimension) names.
    var dimensions: [Dimension] = Dimension.standard
    /// The rule set's several scores by id, each with the indicators and protective factors that add to it, in
    /// declaration order: what `score(ID)` sums (empty for a rule set of one score).
    var scoreMembers: [(id: String, members: [Int])] = []

    /// The rule set's dimension with this id: how a function that takes a dimension looks it up.
    func dimension(named id: String) -> Dimension? { dimensions.first { $0.id == id } }
}

extension ExpressionScope {
    /// The same names in another place.
    func with(context: Context) -> ExpressionScope {
        var scope = self
        scope.context = context
        return scope
    }
}

/// What a compiled condition read, for dependency order, sensitivity and constant detection.
struct ExpressionFootprint: Sendable {
    var indicators: Set<Int> = []
    var windows: Set<Int> = []
    var readsRecord = false
    var readsSensitive = false
    var readsAllIndicators = false
    /// A class rule or a condition on one scale result names a field of the record.
    var readsFields = false
}

/// What a compiled condition reads while one record is scored.
struct EvalFrame {
    var record: StudentRecord
    var day: ScoringDay
    /// One entry per indicator, filled in dependency order while the record is scored.
    var fired: UnsafeMutablePointer<Truth>
    /// The score so far (for escalations and caps).
    var score: Double
    /// Set only while a scale's classes are computed.
    var scaleResult: ScaleResult?
}

/// What depends on the as-of date alone, computed once per batch: the day and the calendar.
struct ScoringDay: Sendable {
    var asOf: Int32
    var windowActive: [Bool]
}

typealias NumberFunction = @Sendable (borrowing EvalFrame) -> Double
typealias TruthFunction = @Sendable (borrowing EvalFrame) -> Truth

/// A compiled condition with its source text.
struct TruthProgram: Sendable {
    var run: TruthFunction
    var text: String
    var location: SourceLocation
    /// The constant value when the condition reads nothing from the record.
    var constant: Truth?

    func evaluateScale(_ result: ScaleResult) -> Truth {
        let scratch = UnsafeMutablePointer<Truth>.allocate(capacity: 1)
        defer { scratch.deallocate() }
        let frame = EvalFrame(
            record: StudentRecord(id: "", location: nil, values: [], texts: [], events: [], scales: []),
            day: ScoringDay(asOf: 0, windowActive: []), fired: scratch, score: 0, scaleResult: result)
        return run(frame)
    }
}

/// A compiled numeric expression with its source text.
struct NumberProgram: Sendable {
    var run: NumberFunction
    var text: String
    var location: SourceLocation
    var kind: ValueKind
}

/// How a number is read back to a person: a plain number, a date, or an enumeration's value.
enum ValueKind: Sendable, Equatable {
    case number
    case integer
    case date
    case boolean
    case enumeration([String])

    func format(_ value: Double) -> String {
        if value.isNaN { return "missing" }
        switch self {
        case .number:
            return ExpressionParser.format((value * 100).rounded() / 100)
        case .integer:
            return ExpressionParser.format(value)
        case .date:
            return CivilDate(dayNumber: Int(value)).description
        case .boolean:
            return value != 0 ? "true" : "false"
        case .enumeration(let names):
            let index = Int(value)
            return index >= 0 && index < names.count ? names[index] : "missing"
        }
    }
}

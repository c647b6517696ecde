internal import RiskScreenSupport

/// One scale result as a reader found it, for ``RecordDecoder/addScaleResult(_:to:sensitive:)``: each part that was
/// given, with where it was written.
struct ScaleResultInput<Value: RecordValue> {
    /// The item answers: a list, or what was written instead.
    enum Items {
        case answers([Value], at: SourceLocation)
        case other(Value)

        var location: SourceLocation {
            switch self {
            case .answers(_, let location): return location
            case .other(let value): return value.location
            }
        }
    }

    /// The scores given by name: a mapping, or what was written instead.
    enum Scores {
        case scores([(name: String, at: SourceLocation, value: Value)], at: SourceLocation)
        case other(Value)

        var location: SourceLocation {
            switch self {
            case .scores(_, let location): return location
            case .other(let value): return value.location
            }
        }

        var kindDescription: String {
            switch self {
            case .scores: return "a mapping"
            case .other(let value): return value.kindDescription
            }
        }
    }

    /// Where the result is: its mapping, or its row.
    var location: SourceLocation
    var scale: Value?
    var date: Value?
    var items: Items?
    var scores: Scores?
    var classValue: Value?
}

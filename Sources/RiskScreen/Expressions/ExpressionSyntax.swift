/// A parsed condition before type-checking: each node keeps its offset in the expression text.
struct ExpressionSyntax: Sendable {
    indirect enum Node: Sendable {
        case number(Double)
        case duration(days: Double)
        case string(String)
        case date(Int)
        case boolean(Bool)
        case asOf
        case name(String)
        case member(ExpressionSyntax, String)
        case call(String, [ExpressionSyntax])
        case methodCall(ExpressionSyntax, String, [ExpressionSyntax])
        case negate(ExpressionSyntax)
        case not(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
        case membership(ExpressionSyntax, [ExpressionSyntax], negated: Bool)
        case presence(ExpressionSyntax, isSet: Bool)
        case list([ExpressionSyntax])
    }

    enum BinaryOperator: String, Sendable {
        case and, or
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"

        var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
            default: return false
            }
        }
    }

    var node: Node
    /// Offset of the node's first character in the expression, in Unicode scalars.
    var offset: Int
}

/// A syntax error inside an expression, at an offset in its text.
struct ExpressionSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}

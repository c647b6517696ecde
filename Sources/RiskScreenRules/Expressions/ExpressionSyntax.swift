/// A parsed condition before type-checking: each node keeps its offset in the expression text.
struct ExpressionSyntax: Sendable {
    indirect enum Node: Sendable {
        case number(Double)
        case duration(days: Double)
        /// Calendar months (`3m`): a window only, since its days depend on the as-of date.
        case months(Int)
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
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"

        /// Operators that chain left to right and fold in a loop: logic (`and`, `or`) and arithmetic; nil for
        /// comparisons, which do not chain.
        enum ChainFamily { case logic, arithmetic }

        var chainFamily: ChainFamily? {
            switch self {
            case .and, .or: return .logic
            case .add, .subtract, .multiply, .divide: return .arithmetic
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return nil
            }
        }

        var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
            case .and, .or, .add, .subtract, .multiply, .divide: return false
            }
        }
    }

    let node: Node
    /// Offset of the node's first character in the expression, in Unicode scalars.
    let offset: Int
    /// The longest path from this node to a leaf, counting this node: a leaf is 1, `a + b` is 2, and a chain of
    /// `n` operators is `n + 1` or more. It bounds the recursion that frees the tree.
    let height: Int
    /// How deep the compiler recurses into this node: like ``height``, except that a chain of `and`/`or` (or of
    /// arithmetic) counts once, since the compiler folds a chain in a loop. Nesting — parentheses around a chain
    /// inside a chain, `not`, a call's arguments — counts each level, and a call counts two.
    let nesting: Int

    init(node: Node, offset: Int) {
        self.node = node
        self.offset = offset
        switch node {
        case .number, .duration, .months, .string, .date, .boolean, .asOf, .name:
            height = 1
            nesting = 1
        case .member(let base, _), .negate(let base), .not(let base), .presence(let base, _):
            height = base.height + 1
            nesting = base.nesting + 1
        case .list(let items):
            height = (items.lazy.map(\.height).max() ?? 0) + 1
            nesting = (items.lazy.map(\.nesting).max() ?? 0) + 1
        case .call(_, let arguments):
            // A call costs the compiler about twice the stack of an operator: it counts two levels.
            height = (arguments.lazy.map(\.height).max() ?? 0) + 1
            nesting = (arguments.lazy.map(\.nesting).max() ?? 0) + 2
        case .methodCall(let base, _, let arguments):
            height = max(base.height, arguments.lazy.map(\.height).max() ?? 0) + 1
            nesting = max(base.nesting, arguments.lazy.map(\.nesting).max() ?? 0) + 2
        case .binary(let op, let left, let right):
            height = max(left.height, right.height) + 1
            if case .binary(let leftOp, _, _) = left.node, let family = op.chainFamily, leftOp.chainFamily == family {
                nesting = max(left.nesting, right.nesting + 1)
            } else {
                nesting = max(left.nesting, right.nesting) + 1
            }
        case .membership(let base, let items, _):
            height = max(base.height, items.lazy.map(\.height).max() ?? 0) + 1
            nesting = max(base.nesting, items.lazy.map(\.nesting).max() ?? 0) + 1
        }
    }

    /// A left-deep chain of one family (`a and b or c`, `a + b * c`) as its leftmost operand and the links that
    /// follow it, left to right; any other node is its own leftmost operand with no links.
    var chain: (leftmost: ExpressionSyntax, links: [(BinaryOperator, ExpressionSyntax)]) {
        guard case .binary(let op, _, _) = node, let family = op.chainFamily else { return (self, []) }
        var links: [(BinaryOperator, ExpressionSyntax)] = []
        var leftmost = self
        while case .binary(let linkOp, let left, let right) = leftmost.node, linkOp.chainFamily == family {
            links.append((linkOp, right))
            leftmost = left
        }
        links.reverse()
        return (leftmost, links)
    }
}

extension ExpressionSyntax {
    /// Where the text of this node starts: a member (`latest(gad7).class`) starts with its base, not at its name.
    var start: Int {
        if case .member(let base, _) = node { return base.start }
        return offset
    }

    /// The bare name this node is, or an empty string.
    var describeName: String {
        if case .name(let name) = node { return name }
        return ""
    }
}

/// A syntax error inside an expression, at an offset in its text.
struct ExpressionSyntaxError: Error, Sendable {
    var code: Diagnostic.Code
    var offset: Int
    var message: String
}

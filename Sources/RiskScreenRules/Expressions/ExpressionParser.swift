internal import RiskScreenSupport

/// Parses a condition into ``ExpressionSyntax`` by recursive descent.
///
/// ```
/// expression := or
/// or         := and ("or" and)*
/// and        := not ("and" not)*
/// not        := "not" not | comparison
/// comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum
///                    | "not"? "in" list | "is" "not"? ("set" | "missing"))?
/// sum        := product (("+" | "-") product)*
/// product    := unary (("*" | "/") unary)*
/// unary      := "-" unary | postfix
/// postfix    := primary ("." name ("(" arguments ")")?)*
/// primary    := number | duration | date | string | "true" | "false" | "as_of"
///             | name | name "(" arguments ")" | "(" expression ")" | list
/// list       := "[" (expression ("," expression)*)? "]"
/// ```
struct ExpressionParser {
    private var tokens: [ExpressionLexer.Token]
    private var position = 0
    private var depth = 0
    /// The longest chain a condition may have (see ``ExpressionSyntax/height``): a thousand terms joined by `and`,
    /// `or` or arithmetic. The compiler folds chains in a loop; the limit bounds freeing the tree.
    static let maxHeight = 1_000
    /// The deepest nesting a condition may have (see ``ExpressionSyntax/nesting``): parentheses around a chain
    /// inside a chain, `not`, calls. Each level is a level of recursion in the compiler; at this limit a
    /// debug build compiles the condition within a 512 KB thread stack (a test runs it on one).
    static let maxNesting = 16
    private static let keywords: Set<String> = ["and", "or", "not", "in", "is", "set", "missing", "true", "false"]

    static func parse(_ text: String) throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(text))
        if case .end = parser.current.kind {
            throw ExpressionSyntaxError(
                code: .expressionSyntax, offset: 0, message: "found an empty condition; expected an expression")
        }
        let expression = try parser.parseOr()
        guard case .end = parser.current.kind else {
            throw ExpressionSyntaxError(
                code: .expressionSyntax,
                offset: parser.current.offset,
                message: "found \(parser.describe(parser.current)); expected an operator or the end of the condition")
        }
        return expression
    }

    private init(tokens: [ExpressionLexer.Token]) {
        self.tokens = tokens
    }

    private var current: ExpressionLexer.Token { tokens[position] }

    private func describe(_ token: ExpressionLexer.Token) -> String {
        switch token.kind {
        case .number(let value): return "the number \(NumberText.format(value))"
        case .duration(let days): return "the duration \(NumberText.format(days))d"
        case .months(let months): return "the duration \(months)m"
        case .date(let day): return "the date \(CivilDate(dayNumber: day))"
        case .string(let text): return "the text \"\(text)\""
        case .identifier(let name): return "\"\(name)\""
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "the end of the condition"
        }
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let found) = current.kind { return found == symbol }
        return false
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .identifier(let found) = current.kind { return found == word }
        return false
    }

    private mutating func expect(_ symbol: String, _ what: String) throws(ExpressionSyntaxError) {
        guard isSymbol(symbol) else {
            throw ExpressionSyntaxError(
                code: .expressionSyntax, offset: current.offset, message: "found \(describe(current)); expected \(what)"
            )
        }
        position += 1
    }

    private mutating func nest() throws(ExpressionSyntaxError) {
        depth += 1
        if depth > Self.maxNesting {
            throw ExpressionSyntaxError(
                code: .limitExceeded,
                offset: current.offset,
                message:
                    "found a condition nested more than \(Self.maxNesting) deep; expected a simpler one: split it into indicators"
            )
        }
    }

    /// A node, refused when it makes the tree longer than ``maxHeight`` or deeper than ``maxNesting``.
    private func make(_ node: ExpressionSyntax.Node, offset: Int) throws(ExpressionSyntaxError) -> ExpressionSyntax {
        let syntax = ExpressionSyntax(node: node, offset: offset)
        if syntax.height > Self.maxHeight {
            throw ExpressionSyntaxError(
                code: .limitExceeded,
                offset: current.offset,
                message:
                    "found a condition more than \(Self.maxHeight) levels deep (each and, or, +, -, * or / of a chain is a level); "
                    + "expected a shorter one: split it into indicators, or list values with \"in [...]\"")
        }
        if syntax.nesting > Self.maxNesting {
            throw ExpressionSyntaxError(
                code: .limitExceeded,
                offset: current.offset,
                message:
                    "found a condition nested more than \(Self.maxNesting) deep; expected a simpler one: split it into indicators"
            )
        }
        return syntax
    }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var left = try parseAnd()
        while isKeyword("or") {
            position += 1
            let right = try parseAnd()
            left = try make(.binary(.or, left, right), offset: left.offset)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var left = try parseNot()
        while isKeyword("and") {
            position += 1
            let right = try parseNot()
            left = try make(.binary(.and, left, right), offset: left.offset)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        if isKeyword("not") {
            let offset = current.offset
            position += 1
            try nest()
            defer { depth -= 1 }
            return try make(.not(try parseNot()), offset: offset)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        let left = try parseSum()
        if case .symbol(let symbol) = current.kind, let op = ExpressionSyntax.BinaryOperator(rawValue: symbol),
            op.isComparison
        {
            position += 1
            let right = try parseSum()
            return try make(.binary(op, left, right), offset: left.offset)
        }
        if isKeyword("in") {
            position += 1
            return try make(.membership(left, try parseListItems(), negated: false), offset: left.offset)
        }
        if isKeyword("not"), position + 1 < tokens.count, case .identifier("in") = tokens[position + 1].kind {
            position += 2
            return try make(.membership(left, try parseListItems(), negated: true), offset: left.offset)
        }
        if isKeyword("is") {
            position += 1
            var negated = false
            if isKeyword("not") {
                negated = true
                position += 1
            }
            if isKeyword("set") || isKeyword("missing") {
                let isSet = isKeyword("set") != negated
                position += 1
                return try make(.presence(left, isSet: isSet), offset: left.offset)
            }
            throw ExpressionSyntaxError(
                code: .expressionSyntax,
                offset: current.offset,
                message: "found \(describe(current)); expected \"set\" or \"missing\" after \"is\"")
        }
        return left
    }

    private mutating func parseSum() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var left = try parseProduct()
        while isSymbol("+") || isSymbol("-") {
            let op: ExpressionSyntax.BinaryOperator = isSymbol("+") ? .add : .subtract
            position += 1
            let right = try parseProduct()
            left = try make(.binary(op, left, right), offset: left.offset)
        }
        return left
    }

    private mutating func parseProduct() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: ExpressionSyntax.BinaryOperator = isSymbol("*") ? .multiply : .divide
            position += 1
            let right = try parseUnary()
            left = try make(.binary(op, left, right), offset: left.offset)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        if isSymbol("-") {
            let offset = current.offset
            position += 1
            try nest()
            defer { depth -= 1 }
            return try make(.negate(try parseUnary()), offset: offset)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        var base = try parsePrimary()
        while isSymbol(".") {
            position += 1
            guard case .identifier(let name) = current.kind else {
                throw ExpressionSyntaxError(
                    code: .expressionSyntax,
                    offset: current.offset, message: "found \(describe(current)); expected a name after \".\"")
            }
            let offset = current.offset
            position += 1
            if isSymbol("(") {
                base = try make(.methodCall(base, name, try parseArguments()), offset: offset)
            } else {
                base = try make(.member(base, name), offset: offset)
            }
        }
        return base
    }

    private mutating func parseArguments() throws(ExpressionSyntaxError) -> [ExpressionSyntax] {
        try expect("(", "\"(\"")
        var arguments: [ExpressionSyntax] = []
        if isSymbol(")") {
            position += 1
            return arguments
        }
        while true {
            arguments.append(try parseOr())
            if isSymbol(",") {
                position += 1
                continue
            }
            try expect(")", "\",\" or \")\"")
            return arguments
        }
    }

    private mutating func parseListItems() throws(ExpressionSyntaxError) -> [ExpressionSyntax] {
        guard isSymbol("[") else {
            throw ExpressionSyntaxError(
                code: .expressionSyntax,
                offset: current.offset, message: "found \(describe(current)); expected a list such as [a, b]")
        }
        position += 1
        var items: [ExpressionSyntax] = []
        if isSymbol("]") {
            position += 1
            return items
        }
        while true {
            items.append(try parseSum())
            if isSymbol(",") {
                position += 1
                continue
            }
            try expect("]", "\",\" or \"]\"")
            return items
        }
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return try make(.number(value), offset: token.offset)
        case .duration(let days):
            position += 1
            return try make(.duration(days: days), offset: token.offset)
        case .months(let months):
            position += 1
            return try make(.months(months), offset: token.offset)
        case .date(let day):
            position += 1
            return try make(.date(day), offset: token.offset)
        case .string(let text):
            position += 1
            return try make(.string(text), offset: token.offset)
        case .identifier(let name):
            if name == "true" || name == "false" {
                position += 1
                return try make(.boolean(name == "true"), offset: token.offset)
            }
            if name == "as_of" {
                position += 1
                return try make(.asOf, offset: token.offset)
            }
            if Self.keywords.contains(name) {
                throw ExpressionSyntaxError(
                    code: .expressionSyntax,
                    offset: token.offset, message: "found the word \"\(name)\"; expected a value")
            }
            position += 1
            if isSymbol("(") {
                try nest()
                defer { depth -= 1 }
                return try make(.call(name, try parseArguments()), offset: token.offset)
            }
            return try make(.name(name), offset: token.offset)
        case .symbol("("):
            position += 1
            try nest()
            defer { depth -= 1 }
            let inner = try parseOr()
            try expect(")", "\")\"")
            return inner
        case .symbol("["):
            try nest()
            defer { depth -= 1 }
            return try make(.list(try parseListItems()), offset: token.offset)
        default:
            throw ExpressionSyntaxError(
                code: .expressionSyntax, offset: token.offset, message: "found \(describe(token)); expected a value")
        }
    }
}

internal import RiskScreenSupport

// Operators: `and`/`or` and arithmetic chains, comparisons and `in [...]`.
extension ExpressionCompiler {
    /// `a and b or c …`, folded left to right in a loop: a chain of any length costs one level of recursion.
    mutating func compileLogicChain(_ syntax: ExpressionSyntax) -> Typed {
        let (leftmost, links) = syntax.chain
        var result = asTruth(value(leftmost), at: leftmost.offset)
        for (op, rightSyntax) in links {
            let right = asTruth(value(rightSyntax), at: rightSyntax.offset)
            guard case .truth(let l, let lc) = result, case .truth(let r, let rc) = right else {
                result = .invalid
                continue
            }
            let isAnd = op == .and
            let constant: Truth? =
                isAnd
                ? (lc == .false || rc == .false ? .false : (lc == .true && rc == .true ? .true : nil))
                : (lc == .true || rc == .true ? .true : (lc == .false && rc == .false ? .false : nil))
            if let constant {
                result = .truth(.constant(constant.encoded), constant: constant)
            } else {
                result = .truth(.shortCircuit(l, r, isAnd: isAnd), constant: nil)
            }
        }
        return result
    }

    /// `a + b * c …`, folded left to right in a loop: a chain of any length costs one level of recursion.
    mutating func compileArithmeticChain(_ syntax: ExpressionSyntax) -> Typed {
        let (leftmost, links) = syntax.chain
        var result = numeric(value(leftmost), leftmost, " in arithmetic")
        for (op, rightSyntax) in links {
            let right = numeric(value(rightSyntax), rightSyntax, " in arithmetic")
            result = combineArithmetic(op, result, at: leftmost.offset, right, at: rightSyntax.offset)
        }
        return result
    }

    private mutating func combineArithmetic(
        _ op: ExpressionSyntax.BinaryOperator, _ left: Typed, at leftOffset: Int, _ right: Typed, at rightOffset: Int
    ) -> Typed {
        guard case .number(let l, let lk, let lc) = left, case .number(let r, let rk, let rc) = right else {
            if case .invalid = left { return .invalid }
            if case .invalid = right { return .invalid }
            let culprit = {
                if case .number = left { return (rightOffset, right) } else { return (leftOffset, left) }
            }()
            fail(.typeMismatch, culprit.0, "found \(describe(culprit.1)) in arithmetic; expected a number")
            return .invalid
        }
        // The step and its constant folding, by the operator: listed in full, so an operator added later cannot be
        // taken for another one.
        let operation: Instruction.Operation
        let fold: (Double, Double) -> Double
        switch op {
        case .add: (operation, fold) = (.add, { $0 + $1 })
        case .subtract: (operation, fold) = (.subtract, { $0 - $1 })
        case .multiply: (operation, fold) = (.multiply, { $0 * $1 })
        case .divide: (operation, fold) = (.divide, { $1 == 0 ? .nan : $0 / $1 })
        case .and, .or, .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            fail(
                .internal, rightOffset,
                "internal error: found \"\(op.rawValue)\" in a chain of arithmetic; expected +, -, * or /")
            return .invalid
        }
        var resultKind: ValueKind
        switch (op, lk, rk) {
        case (.subtract, .date, .date):
            resultKind = .integer
        case (.add, .date, _) where rk.isNumeric, (.subtract, .date, _) where rk.isNumeric:
            resultKind = .date
        case (.add, _, .date) where lk.isNumeric:
            resultKind = .date
        case (_, _, _) where lk.isNumeric && rk.isNumeric:
            resultKind = lk == .integer && rk == .integer && op != .divide ? .integer : .number
        default:
            fail(
                .typeMismatch, leftOffset,
                "found \(describe(left)) \(op.rawValue) \(describe(right)); expected numbers, or a date and a number of days"
            )
            return .invalid
        }
        if let lc, let rc {
            let constant = fold(lc, rc)
            return .number(.constant(constant), resultKind, constant: constant)
        }
        return .number(.binary(l, r, Instruction(operation: operation)), resultKind, constant: nil)
    }

    /// Resolves a symbol or string against the values of `list`, an enumeration, reporting an unknown value.
    mutating func enumerationCode(_ typed: Typed, values: [String], of list: ExpressionSyntax, at offset: Int)
        -> Double?
    {
        let name: String
        switch typed {
        case .symbol(let symbol): name = symbol
        case .string(let text): name = text
        case .number(_, .enumeration(let other, _), let constant?) where other == values: return constant
        default: return nil
        }
        guard let index = values.firstIndex(of: name) else {
            let field: String
            switch list.node {
            case .name(let name): field = name
            case .call(let function, _): field = "\(function)(…)"
            case .member(_, "class"): field = enumerationName(list, values)
            default: field = "the value it is compared with"
            }
            fail(
                .unknownName, offset,
                "found \"\(name)\", which is not a value of \(field); expected one of: \(values.joined(separator: ", "))"
                    + Suggestion.hint(for: name, in: values))
            return .nan
        }
        return Double(index)
    }

    mutating func compileComparison(
        _ op: ExpressionSyntax.BinaryOperator, _ leftSyntax: ExpressionSyntax, _ rightSyntax: ExpressionSyntax
    ) -> Typed {
        var left = compile(leftSyntax)
        var right = compile(rightSyntax)
        // An enumeration compared with a bare name or text: resolve the name to the value's index, of the same kind
        // (an ordered enumeration's value ranks as its field's do).
        if case .number(_, let kind, _) = left, case .enumeration(let values, _) = kind {
            if let code = enumerationCode(right, values: values, of: leftSyntax, at: rightSyntax.offset) {
                if code.isNaN { return .invalid }
                right = .number(.constant(code), kind, constant: code)
            }
        } else if case .number(_, let kind, _) = right, case .enumeration(let values, _) = kind {
            if let code = enumerationCode(left, values: values, of: rightSyntax, at: leftSyntax.offset) {
                if code.isNaN { return .invalid }
                left = .number(.constant(code), kind, constant: code)
            }
        }
        for (typed, syntax) in [(left, leftSyntax), (right, rightSyntax)] {
            if case .symbol = typed {
                _ = value(syntax)
                return .invalid
            }
            if case .invalid = typed { return .invalid }
        }
        // An enumeration has no order, and its values are names, not positions: `family > 2`, `family < single` and
        // `family == 1` are refused. Equality with its own value names (resolved above) is what it supports; an
        // ordered one (`ordered: true`) also ranks by `<`, `<=`, `>` and `>=` against its own values.
        for (typed, syntax, other) in [(left, leftSyntax, right), (right, rightSyntax, left)] {
            guard case .number(_, .enumeration(let values, let ordered), _) = typed else { continue }
            if !(op == .equal || op == .notEqual || ordered) {
                refuseUnorderedRanking(syntax, values, " with \"\(op.rawValue)\"", other: other)
                return .invalid
            }
            if case .number(_, let otherKind, _) = other, otherKind.isNumeric {
                fail(
                    .typeMismatch, syntax.start,
                    "found \(enumerationName(syntax, values, ordered: ordered)) compared with a number by \"\(op.rawValue)\"; expected one "
                        + "of its values by name: \(values.joined(separator: ", ")) (an enumeration or a scale class is "
                        + "not a number)")
                return .invalid
            }
        }
        switch (left, right) {
        case (.truth(let l, _), .truth(let r, _)) where op == .equal || op == .notEqual:
            return .truth(.binary(l, r, Instruction(operation: .compareTruths, a: op == .equal ? 1 : 0)), constant: nil)
        case (.number(let l, let lk, let lc), .number(let r, let rk, let rc)):
            let compatible: Bool
            switch (lk, rk) {
            case (.date, .date): compatible = true
            case (.enumeration(let a, _), .enumeration(let b, _)):
                // Two ordered enumerations rank against each other only with the same values (checked above: an
                // unordered one is refused with <, <=, > and >=).
                guard a == b || op == .equal || op == .notEqual else {
                    return refuseRatingMix("\"\(op.rawValue)\"", leftSyntax, a, rightSyntax, b)
                }
                compatible = a == b
            case (.boolean, .boolean): compatible = op == .equal || op == .notEqual
            default:
                compatible = lk.isNumeric && rk.isNumeric
            }
            guard compatible else {
                fail(
                    .typeMismatch, leftSyntax.offset,
                    "found \(describe(left)) \(op.rawValue) \(describe(right)); expected two values of the same type"
                        + (lk != rk ? "" : " (enumeration values are compared with == or !=)"))
                return .invalid
            }
            guard let comparison = Self.comparison(op) else {
                fail(
                    .internal, leftSyntax.offset,
                    "internal error: found \"\(op.rawValue)\" as a comparison; expected ==, !=, <, <=, > or >=")
                return .invalid
            }
            if let lc, let rc {
                let truth = Truth(encoded: ExpressionCode.compare(comparison, lc, rc))
                return .truth(.constant(truth.encoded), constant: truth)
            }
            if let rc {
                return .truth(l.compared(comparison, with: rc), constant: nil)
            }
            return .truth(.binary(l, r, Instruction(operation: .compare, comparison: comparison)), constant: nil)
        default:
            fail(
                .typeMismatch, leftSyntax.offset,
                "found \(describe(left)) \(op.rawValue) \(describe(right)); expected two values of the same type")
            return .invalid
        }
    }

    /// The comparison an operator makes; nil for an operator that does not compare.
    static func comparison(_ op: ExpressionSyntax.BinaryOperator) -> Instruction.Comparison? {
        switch op {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .and, .or, .add, .subtract, .multiply, .divide: return nil
        }
    }

    mutating func compileMembership(
        _ valueSyntax: ExpressionSyntax, _ items: [ExpressionSyntax], negated: Bool
    ) -> Typed {
        let typed = value(valueSyntax)
        guard case .number(let run, let kind, _) = typed else {
            if case .invalid = typed { return .invalid }
            fail(
                .typeMismatch, valueSyntax.offset,
                "found \(describe(typed)) before \"in\"; expected a field or a number")
            return .invalid
        }
        var members: [Double] = []
        for item in items {
            var itemTyped = compile(item)
            if case .enumeration(let values, _) = kind {
                if let code = enumerationCode(itemTyped, values: values, of: valueSyntax, at: item.offset) {
                    if code.isNaN { continue }
                    itemTyped = .number(.constant(code), kind, constant: code)
                }
            }
            guard case .number(_, let itemKind, let constant?) = itemTyped else {
                if case .symbol = itemTyped {
                    _ = value(item)
                } else if case .invalid = itemTyped {
                } else {
                    fail(.invalidValue, item.offset, "found \(describe(itemTyped)) in the list; expected a fixed value")
                }
                continue
            }
            let sameKind = itemKind == kind || (itemKind.isNumeric && kind.isNumeric)
            guard sameKind else {
                fail(
                    .typeMismatch, item.offset,
                    "found \(describe(itemTyped)) in the list; expected values like \(describe(typed))")
                continue
            }
            members.append(constant)
        }
        return .truth(run.member(of: members, negated: negated), constant: nil)
    }
}

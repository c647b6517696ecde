internal import RiskScreenSupport

// Ordered enumerations (ratings, `ordered: true`): `max`/`min` over them and the messages that refuse ranking an
// unordered enumeration or two ratings with different values. Comparisons by `<`, `<=`, `>`, `>=` need nothing more
// than ``compileComparison(_:_:_:)`` gives any number: a rating's value is its index in the list, lowest first.
// Every function here is `@inline(never)` and out of ``compileCall(_:_:at:)``, which recurses once per nested call:
// its frame stays small enough for the deepest accepted nesting on a 512 KB thread stack in a debug build.
extension ExpressionCompiler {
    /// One argument of `min`/`max` as compiled: a yes/no field read as a condition, an unordered enumeration refused
    /// (reported), a rating, a bare name or a text kept for ``combineRatings(_:_:_:)`` to resolve.
    @inline(never)
    mutating func extremeOperand(_ typed: Typed, _ syntax: ExpressionSyntax, _ name: String) -> Typed {
        switch typed {
        case .number(_, .boolean, _):
            return asTruth(typed, at: syntax.offset)
        case .number(_, .enumeration(let values, let ordered), _):
            if ordered { return typed }
            refuseUnorderedRanking(syntax, values, " in \(name)()", other: nil)
            return .invalid
        default:
            return typed
        }
    }

    /// Reports an unordered enumeration where an order is needed (`<`, `>=`, `max`, `min`); for a field of the
    /// schema the message adds that `ordered: true` ranks its values, unless it is compared with a number, which
    /// even an ordered enumeration is not.
    @inline(never)
    mutating func refuseUnorderedRanking(_ syntax: ExpressionSyntax, _ values: [String], _ use: String, other: Typed?) {
        var hint = ""
        if case .name(let name) = syntax.node, scope.context.resultScale == nil || name != "class",
            scope.schema.field(named: name) != nil
        {
            let comparedWithNumber: Bool
            if case .number(_, let kind, _)? = other, kind.isNumeric {
                comparedWithNumber = true
            } else {
                comparedWithNumber = false
            }
            if !comparedWithNumber {
                hint = "; to rank its values as listed, declare \(name) with ordered: true"
            }
        }
        refuseNumericUse(syntax, values, use, rankHint: hint)
    }

    /// Reports two ordered enumerations with different values ranked against each other (by an operator or in
    /// `max`/`min`); returns invalid.
    @inline(never)
    mutating func refuseRatingMix(
        _ use: String, _ leftSyntax: ExpressionSyntax, _ left: [String], _ rightSyntax: ExpressionSyntax,
        _ right: [String]
    ) -> Typed {
        fail(
            .typeMismatch, rightSyntax.start,
            "found \(enumerationName(leftSyntax, left, ordered: true)) (\(left.joined(separator: " < "))) and "
                + "\(enumerationName(rightSyntax, right, ordered: true)) (\(right.joined(separator: " < "))) ranked "
                + "by \(use); expected ordered enumerations with the same values (each declared with ordered: true "
                + "and values: [\(left.joined(separator: ", "))])")
        return .invalid
    }

    /// `max`/`min` with a rating among its operands: every operand a rating with the same values or one of its
    /// values by name (`max(self_rating, low)`), giving a value of that rating, missing when any operand is missing.
    /// Without a rating, a bare name is reported as unknown and a text as a mix.
    @inline(never)
    mutating func combineRatings(_ name: String, _ operands: [Typed], _ arguments: [ExpressionSyntax]) -> Typed {
        var first: (index: Int, values: [String])?
        for (index, operand) in operands.enumerated() {
            if case .number(_, .enumeration(let values, true), _) = operand {
                first = (index, values)
                break
            }
        }
        guard let first else {
            var reported = false
            for (operand, argument) in zip(operands, arguments) {
                if case .symbol = operand {
                    _ = value(argument)
                    reported = true
                }
            }
            if !reported, let index = operands.firstIndex(where: \.ranksOrNames) {
                failMixed(name, operands[index == 0 ? 1 : 0], operands[index], at: arguments[index].offset)
            }
            return .invalid
        }
        let kind = ValueKind.enumeration(first.values, ordered: true)
        let ratingSyntax = arguments[first.index]
        var result: ExpressionCode?
        for (operand, argument) in zip(operands, arguments) {
            let step: ExpressionCode
            switch operand {
            case .symbol, .string:
                guard let code = enumerationCode(operand, values: first.values, of: ratingSyntax, at: argument.offset),
                    !code.isNaN
                else { return .invalid }
                step = .constant(code)
            case .number(let code, .enumeration(let values, true), _):
                guard values == first.values else {
                    return refuseRatingMix("\(name)()", ratingSyntax, first.values, argument, values)
                }
                step = code
            default:
                fail(
                    .typeMismatch, argument.offset,
                    "found \(enumerationName(ratingSyntax, first.values, ordered: true)) and \(describe(operand)) in "
                        + "\(name)(); expected all values of ordered enumerations with the same values (each declared "
                        + "with ordered: true), all numbers, all dates or all conditions")
                return .invalid
            }
            result =
                result.map { .binary($0, step, Instruction(operation: name == "max" ? .maximum : .minimum)) }
                ?? step
        }
        guard let result else { return .invalid }
        return .number(result, kind, constant: nil)
    }
}

extension ExpressionCompiler.Typed {
    /// A rating, a bare name or a text: an operand `min`/`max` hands to ``ExpressionCompiler/combineRatings(_:_:_:)``.
    var ranksOrNames: Bool {
        switch self {
        case .number(_, .enumeration(_, let ordered), _): return ordered
        case .symbol, .string: return true
        default: return false
        }
    }
}

internal import RiskScreenSupport

/// Type-checks a parsed condition against the schema and compiles it to ``ExpressionCode`` that reads slots only.
///
/// Names are resolved here, once: a field becomes a slot index, an enumeration value its index,
/// a parameter its number, an event kind or scale its index. Scoring then does no lookup.
struct ExpressionCompiler {
    /// A type-checked, compiled sub-expression.
    enum Typed {
        case truth(ExpressionCode, constant: Truth?)
        case number(ExpressionCode, ValueKind, constant: Double?)
        case text
        case symbol(String)
        case string(String)
        case scaleLatest(ScaleDefinition, window: Int32?)
        case list([ExpressionSyntax])
        case invalid
    }

    struct Failure: Error {
        var offset: Int
        var message: String
    }

    let scope: ExpressionScope
    private(set) var footprint = ExpressionFootprint()
    private(set) var errors: [Failure] = []

    init(scope: ExpressionScope) {
        self.scope = scope
    }

    // MARK: - Entry points

    mutating func compileCondition(_ syntax: ExpressionSyntax) -> (ExpressionCode, Truth?)? {
        let typed = compile(syntax)
        switch typed {
        case .truth(let run, let constant): return (run, constant)
        case .invalid: return nil
        default:
            fail(syntax.offset, "found \(describe(typed)); expected a condition that is true or false")
            return nil
        }
    }

    mutating func compileNumber(_ syntax: ExpressionSyntax) -> (ExpressionCode, ValueKind)? {
        let typed = compile(syntax)
        switch typed {
        case .number(let run, let kind, _) where kind.isNumeric: return (run, kind)
        case .number(_, .enumeration(let values), _):
            refuseNumericUse(syntax, values, "")
            return nil
        case .invalid: return nil
        default:
            fail(syntax.offset, "found \(describe(typed)); expected a number")
            return nil
        }
    }

    /// For evidence: any value a person can read.
    mutating func compileValue(_ syntax: ExpressionSyntax) -> EvidenceProgram? {
        let typed = compile(syntax)
        switch typed {
        case .truth(let code, _):
            return EvidenceProgram(code: code, kind: nil)
        case .number(let code, let kind, _):
            return EvidenceProgram(code: code, kind: kind)
        case .invalid: return nil
        default:
            fail(syntax.offset, "found \(describe(typed)); expected a value to show as evidence")
            return nil
        }
    }

    // MARK: - Helpers

    private mutating func fail(_ offset: Int, _ message: String) {
        errors.append(Failure(offset: offset, message: message))
    }

    private func describe(_ typed: Typed) -> String {
        switch typed {
        case .truth: return "a condition (true or false)"
        case .number(_, let kind, _):
            switch kind {
            case .date: return "a date"
            case .enumeration(let values): return "a value of [\(values.joined(separator: ", "))]"
            case .boolean: return "a yes/no value"
            case .number, .integer: return "a number"
            }
        case .text: return "a text field (text can be shown but not compared; use an enumeration)"
        case .symbol(let name): return "the name \"\(name)\""
        case .string(let text): return "the text \"\(text)\""
        case .scaleLatest(let scale, _): return "a result of the scale \(scale.name) (use .total, .item(n), .class …)"
        case .list: return "a list"
        case .invalid: return "an invalid expression"
        }
    }

    /// Reports a value of an enumeration (a field or a scale's class) used as a number: its position in the list
    /// of values is no quantity, so ordering, arithmetic and bands over it mean nothing.
    private mutating func refuseNumericUse(_ syntax: ExpressionSyntax, _ values: [String], _ use: String) {
        fail(
            syntax.start,
            "found \(enumerationName(syntax, values)) (one of: \(values.joined(separator: ", ")))\(use); expected a "
                + "number (an enumeration or a scale class is not a number: compare it with == or != or test it with "
                + "in [..] instead)")
    }

    /// What an enumeration-valued expression is, for a message: a field, a scale's class, or a value of a list.
    private func enumerationName(_ syntax: ExpressionSyntax, _ values: [String]) -> String {
        switch syntax.node {
        case .name(let name):
            return "the enumeration field \(name)"
        case .member(let base, "class"):
            var scale = ""
            if case .call(_, let arguments) = base.node, let first = arguments.first { scale = first.describeName }
            return "the scale class latest(\(scale)).class"
        default:
            return "a value of [\(values.joined(separator: ", "))]"
        }
    }

    /// The value itself, or invalid (reported) when it is an enumeration's value used as a number.
    private mutating func numeric(_ typed: Typed, _ syntax: ExpressionSyntax, _ use: String) -> Typed {
        guard case .number(_, .enumeration(let values), _) = typed else { return typed }
        refuseNumericUse(syntax, values, use)
        return .invalid
    }

    private var knownNames: [String] {
        var names = scope.schema.fields.map(\.name) + Array(scope.parameters.keys)
        if case .scaleClass(let scale) = scope.context {
            names = scale.scores.map(\.name)
        } else {
            names += Array(scope.indicatorIndex.keys)
        }
        return names
    }

    // MARK: - Compilation

    mutating func compile(_ syntax: ExpressionSyntax) -> Typed {
        switch syntax.node {
        case .number(let value):
            return .number(.constant(value), value == value.rounded() ? .integer : .number, constant: value)
        case .duration(let days):
            return .number(.constant(days), .integer, constant: days)
        case .date(let day):
            let value = Double(day)
            return .number(.constant(value), .date, constant: value)
        case .string(let text):
            return .string(text)
        case .boolean(let value):
            let truth = Truth(value)
            return .truth(.constant(truth.encoded), constant: truth)
        case .asOf:
            return .number(ExpressionCode(Instruction(operation: .asOf)), .date, constant: nil)
        case .name(let name):
            return resolveName(name, at: syntax.offset)
        case .list(let items):
            return .list(items)
        case .member(let base, let name):
            return compileMember(base: compile(base), name: name, arguments: nil, at: syntax.offset)
        case .methodCall(let base, let name, let arguments):
            return compileMember(base: compile(base), name: name, arguments: arguments, at: syntax.offset)
        case .call(let name, let arguments):
            return compileCall(name, arguments, at: syntax.offset)
        case .negate(let inner):
            let typed = numeric(compile(inner), inner, " after \"-\"")
            guard case .number(let code, let kind, let constant) = typed, kind == .number || kind == .integer else {
                if case .invalid = typed { return .invalid }
                fail(inner.offset, "found \(describe(typed)) after \"-\"; expected a number")
                return .invalid
            }
            if let constant { return .number(.constant(-constant), kind, constant: -constant) }
            return .number(code.then(Instruction(operation: .negate)), kind, constant: nil)
        case .not(let inner):
            let typed = compile(inner)
            guard case .truth(let code, let constant) = asTruth(typed, at: inner.offset) else { return .invalid }
            if let constant { return .truth(.constant((!constant).encoded), constant: !constant) }
            return .truth(code.negatedTruth(), constant: nil)
        case .binary(let op, let left, let right):
            switch op.chainFamily {
            case .logic: return compileLogicChain(syntax)
            case .arithmetic: return compileArithmeticChain(syntax)
            case nil: return compileComparison(op, left, right)
            }
        case .membership(let value, let items, let negated):
            return compileMembership(value, items, negated: negated)
        case .presence(let inner, let isSet):
            let typed = compile(inner)
            switch typed {
            case .number(let code, _, _):
                return .truth(code.then(Instruction(operation: .numberIsSet, a: isSet ? 1 : 0)), constant: nil)
            case .truth(let code, _):
                return .truth(code.then(Instruction(operation: .truthIsSet, a: isSet ? 1 : 0)), constant: nil)
            case .invalid: return .invalid
            default:
                fail(inner.offset, "found \(describe(typed)) before \"is set\"; expected a field or a value")
                return .invalid
            }
        }
    }

    private mutating func asTruth(_ typed: Typed, at offset: Int) -> Typed {
        switch typed {
        case .truth: return typed
        case .number(let code, .boolean, _):
            return .truth(code.then(Instruction(operation: .truthOfBoolean)), constant: nil)
        case .invalid: return .invalid
        default:
            fail(offset, "found \(describe(typed)); expected a condition that is true or false")
            return .invalid
        }
    }

    private mutating func resolveName(_ name: String, at offset: Int) -> Typed {
        if case .scaleClass(let scale) = scope.context {
            if let index = scale.scoreIndex(name) {
                return .number(ExpressionCode(Instruction(operation: .slot, a: Int32(index))), .number, constant: nil)
            }
            if let value = scope.parameters[name] {
                return .number(.constant(value), .number, constant: value)
            }
            return .symbol(name)
        }
        if let field = scope.schema.field(named: name) {
            footprint.readsRecord = true
            if field.sensitive { footprint.readsSensitive = true }
            let read = ExpressionCode(Instruction(operation: .slot, a: Int32(field.slot)))
            switch field.type {
            case .text:
                return .text
            case .boolean:
                return .truth(ExpressionCode(Instruction(operation: .booleanSlot, a: Int32(field.slot))), constant: nil)
            case .integer:
                return .number(read, .integer, constant: nil)
            case .number:
                return .number(read, .number, constant: nil)
            case .date:
                return .number(read, .date, constant: nil)
            case .enumeration(let values):
                return .number(read, .enumeration(values), constant: nil)
            }
        }
        if let value = scope.parameters[name] {
            return .number(.constant(value), value == value.rounded() ? .integer : .number, constant: value)
        }
        if let index = scope.indicatorIndex[name] {
            footprint.indicators.insert(index)
            footprint.readsRecord = true
            return .truth(ExpressionCode(Instruction(operation: .fired, a: Int32(index))), constant: nil)
        }
        if name == "score", case .levelRule = scope.context {
            footprint.readsRecord = true
            footprint.readsAllIndicators = true
            return .number(ExpressionCode(Instruction(operation: .score)), .number, constant: nil)
        }
        return .symbol(name)
    }

    private mutating func value(_ syntax: ExpressionSyntax) -> Typed {
        let typed = compile(syntax)
        if case .symbol(let name) = typed {
            if case .scaleClass(let scale) = scope.context {
                let what = scope.schema.field(named: name) != nil ? "the record field" : "the unknown name"
                fail(
                    syntax.offset,
                    "found \(what) \"\(name)\"; expected one of \(scale.name)'s scores ("
                        + scale.scores.map(\.name).joined(separator: ", ")
                        + "), item(n) or a parameter: class rules read only the scale's own answers"
                        + Suggestion.hint(for: name, in: knownNames))
                return .invalid
            }
            fail(
                syntax.offset,
                "found the unknown name \"\(name)\"; expected a field, parameter or indicator"
                    + Suggestion.hint(for: name, in: knownNames))
            return .invalid
        }
        return typed
    }

    // MARK: Operators

    /// `a and b or c …`, folded left to right in a loop: a chain of any length costs one level of recursion.
    private mutating func compileLogicChain(_ syntax: ExpressionSyntax) -> Typed {
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
    private mutating func compileArithmeticChain(_ syntax: ExpressionSyntax) -> Typed {
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
            let culprit = { if case .number = left { return (rightOffset, right) } else { return (leftOffset, left) } }()
            fail(culprit.0, "found \(describe(culprit.1)) in arithmetic; expected a number")
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
            fail(rightOffset, "internal error: found \"\(op.rawValue)\" in a chain of arithmetic; expected +, -, * or /")
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
                leftOffset,
                "found \(describe(left)) \(op.rawValue) \(describe(right)); expected numbers, or a date and a number of days")
            return .invalid
        }
        if let lc, let rc {
            let constant = fold(lc, rc)
            return .number(.constant(constant), resultKind, constant: constant)
        }
        return .number(.binary(l, r, Instruction(operation: operation)), resultKind, constant: nil)
    }

    /// Resolves a symbol or string against an enumeration's values, reporting an unknown value.
    private mutating func enumerationCode(_ typed: Typed, values: [String], field: String, at offset: Int) -> Double? {
        let name: String
        switch typed {
        case .symbol(let symbol): name = symbol
        case .string(let text): name = text
        case .number(_, .enumeration(let other), let constant?) where other == values: return constant
        default: return nil
        }
        guard let index = values.firstIndex(of: name) else {
            fail(
                offset,
                "found \"\(name)\", which is not a value of \(field); expected one of: \(values.joined(separator: ", "))"
                    + Suggestion.hint(for: name, in: values))
            return .nan
        }
        return Double(index)
    }

    private mutating func compileComparison(
        _ op: ExpressionSyntax.BinaryOperator, _ leftSyntax: ExpressionSyntax, _ rightSyntax: ExpressionSyntax
    ) -> Typed {
        var left = compile(leftSyntax)
        var right = compile(rightSyntax)
        // An enumeration compared with a bare name or text: resolve the name to the value's index.
        if case .number(_, .enumeration(let values), _) = left {
            if let code = enumerationCode(right, values: values, field: leftSyntax.describeName, at: rightSyntax.offset) {
                if code.isNaN { return .invalid }
                right = .number(.constant(code), .enumeration(values), constant: code)
            }
        } else if case .number(_, .enumeration(let values), _) = right {
            if let code = enumerationCode(left, values: values, field: rightSyntax.describeName, at: leftSyntax.offset) {
                if code.isNaN { return .invalid }
                left = .number(.constant(code), .enumeration(values), constant: code)
            }
        }
        for (typed, syntax) in [(left, leftSyntax), (right, rightSyntax)] {
            if case .symbol = typed { _ = value(syntax); return .invalid }
            if case .invalid = typed { return .invalid }
        }
        // An enumeration has no order, and its values are names, not positions: `family > 2`, `family < single` and
        // `family == 1` are refused. Equality with its own value names (resolved above) is what it supports.
        for (typed, syntax, other) in [(left, leftSyntax, right), (right, rightSyntax, left)] {
            guard case .number(_, .enumeration(let values), _) = typed else { continue }
            if !(op == .equal || op == .notEqual) {
                refuseNumericUse(syntax, values, " with \"\(op.rawValue)\"")
                return .invalid
            }
            if case .number(_, let otherKind, _) = other, otherKind.isNumeric {
                fail(
                    syntax.start,
                    "found \(enumerationName(syntax, values)) compared with a number by \"\(op.rawValue)\"; expected one "
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
            case (.enumeration(let a), .enumeration(let b)): compatible = a == b && (op == .equal || op == .notEqual)
            case (.boolean, .boolean): compatible = op == .equal || op == .notEqual
            default:
                compatible = lk.isNumeric && rk.isNumeric
            }
            guard compatible else {
                fail(
                    leftSyntax.offset,
                    "found \(describe(left)) \(op.rawValue) \(describe(right)); expected two values of the same type"
                        + (lk != rk ? "" : " (enumeration values are compared with == or !=)"))
                return .invalid
            }
            guard let comparison = Self.comparison(op) else {
                fail(leftSyntax.offset, "internal error: found \"\(op.rawValue)\" as a comparison; expected ==, !=, <, <=, > or >=")
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
                leftSyntax.offset,
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

    private mutating func compileMembership(
        _ valueSyntax: ExpressionSyntax, _ items: [ExpressionSyntax], negated: Bool
    ) -> Typed {
        let typed = value(valueSyntax)
        guard case .number(let run, let kind, _) = typed else {
            if case .invalid = typed { return .invalid }
            fail(valueSyntax.offset, "found \(describe(typed)) before \"in\"; expected a field or a number")
            return .invalid
        }
        var members: [Double] = []
        for item in items {
            var itemTyped = compile(item)
            if case .enumeration(let values) = kind {
                if let code = enumerationCode(itemTyped, values: values, field: valueSyntax.describeName, at: item.offset) {
                    if code.isNaN { continue }
                    itemTyped = .number(.constant(code), kind, constant: code)
                }
            }
            guard case .number(_, let itemKind, let constant?) = itemTyped else {
                if case .symbol = itemTyped { _ = value(item) } else if case .invalid = itemTyped {} else {
                    fail(item.offset, "found \(describe(itemTyped)) in the list; expected a fixed value")
                }
                continue
            }
            let sameKind = itemKind == kind || (itemKind.isNumeric && kind.isNumeric)
            guard sameKind else {
                fail(item.offset, "found \(describe(itemTyped)) in the list; expected values like \(describe(typed))")
                continue
            }
            members.append(constant)
        }
        return .truth(run.member(of: members, negated: negated), constant: nil)
    }

    // MARK: Functions

    private mutating func constantArgument(_ syntax: ExpressionSyntax, _ what: String) -> Double? {
        let typed = value(syntax)
        guard case .number(_, let kind, let constant?) = typed, kind == .integer || kind == .number, constant >= 0 else {
            if case .invalid = typed { return nil }
            fail(syntax.offset, "found \(describe(typed)); expected \(what), a fixed number of days such as 30d")
            return nil
        }
        return constant
    }

    private mutating func eventKindArgument(_ syntax: ExpressionSyntax, function: String) -> Schema.EventKind? {
        guard case .name(let name) = syntax.node else {
            fail(syntax.offset, "found an expression; expected an event kind as the first argument of \(function)")
            return nil
        }
        guard let kind = scope.schema.eventKind(named: name) else {
            fail(
                syntax.offset,
                "found the unknown event kind \"\(name)\"; expected one of: "
                    + scope.schema.eventKinds.map(\.name).joined(separator: ", ")
                    + Suggestion.hint(for: name, in: scope.schema.eventKinds.map(\.name)))
            return nil
        }
        footprint.readsRecord = true
        if kind.sensitive { footprint.readsSensitive = true }
        return kind
    }

    private mutating func arity(_ name: String, _ arguments: [ExpressionSyntax], _ range: ClosedRange<Int>, at offset: Int)
        -> Bool
    {
        guard range.contains(arguments.count) else {
            let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            fail(offset, "found \(arguments.count) argument\(arguments.count == 1 ? "" : "s") to \(name); expected \(expected)")
            return false
        }
        return true
    }

    private mutating func compileCall(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        if case .scaleClass(let scale) = scope.context {
            guard name == "item" else {
                fail(offset, "found the function \(name)(); expected item(n) or a score of \(scale.name) in a class rule")
                return .invalid
            }
            guard arity(name, arguments, 1...1, at: offset), let number = itemNumber(arguments[0], scale) else { return .invalid }
            return .number(ExpressionCode(Instruction(operation: .classItem, c: Int32(number - 1))), .number, constant: nil)
        }
        switch name {
        case "count":
            guard arity(name, arguments, 1...2, at: offset),
                let kind = eventKindArgument(arguments[0], function: "count")
            else { return .invalid }
            let window = arguments.count == 2 ? constantArgument(arguments[1], "a window") : nil
            if arguments.count == 2 && window == nil { return .invalid }
            let span = window.map { Int32(min($0, 1e6)) } ?? -1
            return .number(ExpressionCode(Instruction(operation: .count, a: Int32(kind.index), b: span)), .integer, constant: nil)
        case "days_since":
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            if case .name(let argument) = arguments[0].node, let field = scope.schema.field(named: argument) {
                guard case .date = field.type else {
                    fail(arguments[0].offset, "found the \(field.type) field \(argument); expected an event kind or a date field")
                    return .invalid
                }
                footprint.readsRecord = true
                return .number(
                    ExpressionCode(Instruction(operation: .daysSinceField, a: Int32(field.slot))), .integer, constant: nil)
            }
            guard let kind = eventKindArgument(arguments[0], function: "days_since") else { return .invalid }
            return .number(ExpressionCode(Instruction(operation: .daysSinceEvent, a: Int32(kind.index))), .integer, constant: nil)
        case "during":
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            guard case .name(let window) = arguments[0].node, let index = scope.windowIndex[window] else {
                let names = Array(scope.windowIndex.keys).sorted()
                var found = "an expression"
                if case .name(let window) = arguments[0].node { found = "the unknown window \"\(window)\"" }
                fail(
                    arguments[0].offset,
                    "found \(found); expected a calendar window: \(names.joined(separator: ", "))"
                        + { if case .name(let w) = arguments[0].node { return Suggestion.hint(for: w, in: names) } else { return "" } }())
                return .invalid
            }
            footprint.windows.insert(index)
            return .truth(ExpressionCode(Instruction(operation: .window, a: Int32(index))), constant: nil)
        case "latest":
            guard arity(name, arguments, 1...2, at: offset) else { return .invalid }
            guard case .name(let scaleName) = arguments[0].node, let scale = scope.schema.scale(named: scaleName) else {
                let names = scope.schema.scales.map(\.name)
                fail(
                    arguments[0].offset,
                    "found \(arguments[0].describeName.isEmpty ? "an expression" : "the unknown scale \"\(arguments[0].describeName)\""); expected a scale: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: arguments[0].describeName, in: names))
                return .invalid
            }
            let window = arguments.count == 2 ? constantArgument(arguments[1], "a window") : nil
            if arguments.count == 2 && window == nil { return .invalid }
            footprint.readsRecord = true
            if scale.sensitive { footprint.readsSensitive = true }
            return .scaleLatest(scale, window: window.map { Int32(min($0, 1e6)) })
        case "study_year":
            guard arity(name, arguments, 0...0, at: offset) else { return .invalid }
            guard let slot = scope.schema.enrolmentField.map({ scope.schema.fields[$0].slot }) else {
                fail(offset, "found study_year() but the schema names no enrolment field; expected `enrolment: FIELD` in schema")
                return .invalid
            }
            footprint.readsRecord = true
            let start = scope.academicYearStart
            return .number(
                ExpressionCode(
                    Instruction(operation: .studyYear, a: Int32(slot), b: Int32(start.month), c: Int32(start.day))),
                .integer, constant: nil)
        case "fired_count":
            guard case .levelRule = scope.context else {
                fail(offset, "found fired_count() in an indicator; expected it only in escalations and caps")
                return .invalid
            }
            guard arity(name, arguments, 0...1, at: offset) else { return .invalid }
            var dimension: Dimension?
            if arguments.count == 1 {
                guard case .name(let dimensionName) = arguments[0].node, let found = Dimension(rawValue: dimensionName) else {
                    fail(
                        arguments[0].offset,
                        "found \"\(arguments[0].describeName)\"; expected a dimension: "
                            + Dimension.allCases.map(\.rawValue).joined(separator: ", "))
                    return .invalid
                }
                dimension = found
            }
            footprint.readsRecord = true
            footprint.readsAllIndicators = true
            let members = scope.indicatorDimensions.indices.filter {
                scope.indicatorIsRisk[$0] && (dimension == nil || scope.indicatorDimensions[$0] == dimension)
            }
            return .number(.firedCount(of: members), .integer, constant: nil)
        case "min", "max":
            guard arity(name, arguments, 2...2, at: offset) else { return .invalid }
            let a = numeric(value(arguments[0]), arguments[0], " in \(name)()")
            let b = numeric(value(arguments[1]), arguments[1], " in \(name)()")
            guard case .number(let l, let lk, _) = a, case .number(let r, let rk, _) = b, lk == rk || (lk != .date && rk != .date) else {
                if case .invalid = a { return .invalid }
                if case .invalid = b { return .invalid }
                fail(arguments[0].offset, "found \(describe(a)) and \(describe(b)) in \(name)(); expected two numbers or two dates")
                return .invalid
            }
            return .number(.binary(l, r, Instruction(operation: name == "min" ? .minimum : .maximum)), lk, constant: nil)
        default:
            fail(
                offset,
                "found the unknown function \(name)(); expected one of: count, days_since, during, latest, study_year, fired_count, min, max"
                    + Suggestion.hint(for: name, in: ["count", "days_since", "during", "latest", "study_year", "fired_count", "min", "max"]))
            return .invalid
        }
    }

    private mutating func itemNumber(_ syntax: ExpressionSyntax, _ scale: ScaleDefinition) -> Int? {
        guard case .number(let value) = syntax.node, value == value.rounded(), value >= 1, value <= Double(scale.itemCount) else {
            fail(syntax.offset, "found an item that \(scale.name) does not have; expected a number from 1 to \(scale.itemCount)")
            return nil
        }
        return Int(value)
    }

    private mutating func compileMember(base: Typed, name: String, arguments: [ExpressionSyntax]?, at offset: Int) -> Typed {
        guard case .scaleLatest(let scale, let window) = base else {
            if case .invalid = base { return .invalid }
            fail(offset, "found .\(name) after \(describe(base)); expected it after latest(scale)")
            return .invalid
        }
        // A step reading the latest result of the scale within the window.
        func latest(_ operation: Instruction.Operation, _ index: Int = 0) -> ExpressionCode {
            ExpressionCode(Instruction(operation: operation, a: Int32(scale.index), b: window ?? -1, c: Int32(index)))
        }
        if let arguments {
            guard name == "item" else {
                fail(offset, "found .\(name)(); expected .item(n) or a score name after latest(\(scale.name))")
                return .invalid
            }
            guard arity("item", arguments, 1...1, at: offset), let number = itemNumber(arguments[0], scale) else { return .invalid }
            return .number(latest(.latestItem, number - 1), .integer, constant: nil)
        }
        switch name {
        case "class":
            return .number(latest(.latestClass), .enumeration(scale.classNames), constant: nil)
        case "date":
            return .number(latest(.latestDate), .date, constant: nil)
        default:
            guard let scoreIndex = scale.scoreIndex(name) else {
                let names = scale.scores.map(\.name) + ["class", "date", "item(n)"]
                fail(
                    offset,
                    "found .\(name), which \(scale.name) does not have; expected one of: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: name, in: names))
                return .invalid
            }
            return .number(latest(.latestScore, scoreIndex), .number, constant: nil)
        }
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

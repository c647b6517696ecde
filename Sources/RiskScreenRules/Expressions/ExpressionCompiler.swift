internal import RiskScreenSupport

/// Type-checks a parsed condition against the schema and compiles it to ``ExpressionCode`` that reads slots only.
///
/// Names are resolved here, once: a field becomes a slot index, an enumeration value its index,
/// a parameter its number, an event kind or scale its index. Scoring then does no lookup. Operators are compiled in
/// `ExpressionCompiler+Operators.swift`, functions and a scale result's members in `ExpressionCompiler+Functions.swift`.
struct ExpressionCompiler {
    /// A type-checked, compiled sub-expression.
    enum Typed {
        case truth(ExpressionCode, constant: Truth?)
        case number(ExpressionCode, ValueKind, constant: Double?)
        case text
        case symbol(String)
        case string(String)
        /// `latest(scale)`, `latest(scale, window)` or `latest(scale, window, condition)`: a result, read by a member.
        case scaleLatest(ScaleDefinition, window: Int32?, condition: ExpressionCode?)
        case list([ExpressionSyntax])
        case invalid
    }

    struct Failure: Error {
        var code: Diagnostic.Code
        var offset: Int
        var message: String
    }

    let scope: ExpressionScope
    /// What the expressions compiled so far read: fields, events, scales, windows and indicators.
    var footprint = ExpressionFootprint()
    private(set) var errors: [Failure] = []
    /// True while compiling evidence, which may show a display-only indicator that no condition may read.
    private var showsEvidence = false

    init(scope: ExpressionScope) {
        self.scope = scope
    }

    // MARK: - Entry points

    /// A condition (true, false or unknown), with its truth when it is the same for every record.
    mutating func compileCondition(_ syntax: ExpressionSyntax) -> (code: ExpressionCode, constant: Truth?)? {
        let typed = compile(syntax)
        switch typed {
        case .truth(let run, let constant): return (run, constant)
        case .invalid: return nil
        default:
            fail(.typeMismatch, syntax.offset, "found \(describe(typed)); expected a condition that is true or false")
            return nil
        }
    }

    /// An expression giving a number (banded points), with its kind.
    mutating func compileNumber(_ syntax: ExpressionSyntax) -> (code: ExpressionCode, kind: ValueKind)? {
        let typed = compile(syntax)
        switch typed {
        case .number(let run, let kind, _) where kind.isNumeric: return (run, kind)
        case .number(_, .enumeration(let values, let ordered), _):
            refuseNumericUse(syntax, values, "", ordered: ordered)
            return nil
        case .invalid: return nil
        default:
            fail(.typeMismatch, syntax.offset, "found \(describe(typed)); expected a number")
            return nil
        }
    }

    /// For evidence: any value a person can read.
    mutating func compileValue(_ syntax: ExpressionSyntax) -> EvidenceProgram? {
        showsEvidence = true
        defer { showsEvidence = false }
        let typed = compile(syntax)
        switch typed {
        case .truth(let code, _):
            return EvidenceProgram(code: code, kind: nil)
        case .number(let code, let kind, _):
            return EvidenceProgram(code: code, kind: kind)
        case .invalid: return nil
        default:
            fail(.typeMismatch, syntax.offset, "found \(describe(typed)); expected a value to show as evidence")
            return nil
        }
    }

    // MARK: - Helpers

    mutating func fail(_ code: Diagnostic.Code, _ offset: Int, _ message: String) {
        errors.append(Failure(code: code, offset: offset, message: message))
    }

    func describe(_ typed: Typed) -> String {
        switch typed {
        case .truth: return "a condition (true or false)"
        case .number(_, let kind, _):
            switch kind {
            case .date: return "a date"
            case .enumeration(let values, let ordered):
                if ordered { return "a value of the ordered enumeration [\(values.joined(separator: " < "))]" }
                return "a value of [\(values.joined(separator: ", "))]"
            case .boolean: return "a yes/no value"
            case .number, .integer: return "a number"
            }
        case .text: return "a text field (text can be shown but not compared; use an enumeration)"
        case .symbol(let name): return "the name \"\(name)\""
        case .string(let text): return "the text \"\(text)\""
        case .scaleLatest(let scale, _, _):
            return "a result of the scale \(scale.name) (use .total, .item(n), .class …)"
        case .list: return "a list"
        case .invalid: return "an invalid expression"
        }
    }

    /// Reports a value of an enumeration (a field or a scale's class) used as a number: its position in the list
    /// of values is no quantity, so arithmetic and bands over it mean nothing, and an unordered one has no order.
    /// `rankHint` adds, for an unordered enumeration field, that `ordered: true` would rank its values.
    mutating func refuseNumericUse(
        _ syntax: ExpressionSyntax, _ values: [String], _ use: String, ordered: Bool = false, rankHint: String = ""
    ) {
        if ordered {
            fail(
                .typeMismatch, syntax.start,
                "found \(enumerationName(syntax, values, ordered: true)) (one of: \(values.joined(separator: " < ")))"
                    + "\(use); expected a number (an ordered enumeration ranks its values but is not a number: compare "
                    + "it with one of its values by name, such as >= \(values[values.count / 2]), or take max or min of "
                    + "ordered enumerations with the same values)")
            return
        }
        fail(
            .typeMismatch, syntax.start,
            "found \(enumerationName(syntax, values)) (one of: \(values.joined(separator: ", ")))\(use); expected a "
                + "number (an enumeration or a scale class is not a number: compare it with == or != or test it with "
                + "in [..] instead)" + rankHint)
    }

    /// What an enumeration-valued expression is, for a message: a field, a scale's class, or a value of a list.
    func enumerationName(_ syntax: ExpressionSyntax, _ values: [String], ordered: Bool = false) -> String {
        switch syntax.node {
        case .name("class") where scope.context.resultScale != nil:
            return "the class of the result"
        case .name(let name):
            return ordered ? "the ordered enumeration field \(name)" : "the enumeration field \(name)"
        case .member(let base, "class"):
            var scale = ""
            if case .call(_, let arguments) = base.node, let first = arguments.first { scale = first.describeName }
            return "the scale class latest(\(scale)).class"
        default:
            return ordered
                ? "a value of the ordered enumeration [\(values.joined(separator: " < "))]"
                : "a value of [\(values.joined(separator: ", "))]"
        }
    }

    /// The value itself, or invalid (reported) when it is an enumeration's value used as a number.
    mutating func numeric(_ typed: Typed, _ syntax: ExpressionSyntax, _ use: String) -> Typed {
        guard case .number(_, .enumeration(let values, let ordered), _) = typed else { return typed }
        refuseNumericUse(syntax, values, use, ordered: ordered)
        return .invalid
    }

    private var knownNames: [String] {
        var names = scope.schema.fields.map(\.name) + Array(scope.parameters.keys)
        if let scale = scope.context.resultScale {
            names = scale.scores.map(\.name) + resultFieldNames + Array(scope.parameters.keys)
            if case .scaleResult = scope.context { names.append("class") }
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
        case .months(let months):
            fail(
                .misplaced, syntax.offset,
                "found the duration \(months)m outside a window; expected it as the window of count, count_days, "
                    + "latest, any or followed_by (a number of months has no fixed number of days: use days such as "
                    + "90d, or count(kind, \(months)m) >= 1 for \"within the past \(months) months\")")
            return .invalid
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
                fail(.typeMismatch, inner.offset, "found \(describe(typed)) after \"-\"; expected a number")
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
                fail(
                    .typeMismatch, inner.offset,
                    "found \(describe(typed)) before \"is set\"; expected a field or a value")
                return .invalid
            }
        }
    }

    mutating func asTruth(_ typed: Typed, at offset: Int) -> Typed {
        switch typed {
        case .truth: return typed
        case .number(let code, .boolean, _):
            return .truth(code.then(Instruction(operation: .truthOfBoolean)), constant: nil)
        case .invalid: return .invalid
        default:
            fail(.typeMismatch, offset, "found \(describe(typed)); expected a condition that is true or false")
            return .invalid
        }
    }

    private mutating func resolveName(_ name: String, at offset: Int) -> Typed {
        if let scale = scope.context.resultScale {
            if let index = scale.scoreIndex(name) {
                return .number(ExpressionCode(Instruction(operation: .slot, a: Int32(index))), .number, constant: nil)
            }
            if name == "class", case .scaleResult = scope.context {
                return .number(
                    ExpressionCode(Instruction(operation: .entryClass)), .enumeration(scale.classNames), constant: nil)
            }
            if let value = scope.parameters[name] {
                return .number(.constant(value), .number, constant: value)
            }
            if let field = scope.schema.field(named: name) { return resultField(field, at: offset) }
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
                // A dated fact after the as-of date is not yet known; a plan (`scheduled`) is read as given.
                if field.scheduled { return .number(read, .date, constant: nil) }
                return .number(
                    ExpressionCode(Instruction(operation: .dateSlot, a: Int32(field.slot))), .date, constant: nil)
            case .enumeration(let values, let ordered):
                return .number(read, .enumeration(values, ordered: ordered), constant: nil)
            }
        }
        if let value = scope.parameters[name] {
            return .number(.constant(value), value == value.rounded() ? .integer : .number, constant: value)
        }
        if let index = scope.indicatorIndex[name] {
            if !showsEvidence, scope.displayOnlyIndicators.contains(index) {
                fail(
                    .misplaced, offset,
                    "found the display-only indicator \"\(name)\"; expected an indicator without display_only: true (one that rules read can change an outcome: remove display_only from \(name))"
                )
                return .invalid
            }
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

    /// A field of the record named in a class rule or a condition on one scale result: read beside the result's
    /// scores (``Instruction/Operation/fieldSlot``). A date field is refused: its value depends on the as-of date,
    /// and a class is worked out when the record is read, before there is one.
    private mutating func resultField(_ field: Schema.Field, at offset: Int) -> Typed {
        let read = ExpressionCode(Instruction(operation: .fieldSlot, a: Int32(field.slot)))
        switch field.type {
        case .text:
            return .text
        case .date:
            fail(
                .misplaced, offset,
                "found the date field \(field.name) in \(scope.context.resultPlace); expected a number, yes/no or "
                    + "enumeration field (class rules and conditions on one result read no dates: a class is worked "
                    + "out when the record is read, before any as-of date)")
            return .invalid
        case .boolean, .integer, .number, .enumeration:
            break
        }
        footprint.readsRecord = true
        footprint.readsFields = true
        if field.sensitive { footprint.readsSensitive = true }
        switch field.type {
        case .boolean: return .truth(read.then(Instruction(operation: .truthOfBoolean)), constant: nil)
        case .integer: return .number(read, .integer, constant: nil)
        case .enumeration(let values, let ordered):
            return .number(read, .enumeration(values, ordered: ordered), constant: nil)
        case .number, .text, .date: return .number(read, .number, constant: nil)
        }
    }

    /// The fields a class rule or a condition on one result may read: numbers, yes/no and enumerations.
    private var resultFieldNames: [String] {
        scope.schema.fields.filter {
            switch $0.type {
            case .boolean, .integer, .number, .enumeration: true
            case .text, .date: false
            }
        }.map(\.name)
    }

    mutating func value(_ syntax: ExpressionSyntax) -> Typed {
        let typed = compile(syntax)
        if case .symbol(let name) = typed {
            if let scale = scope.context.resultScale {
                let what =
                    scope.schema.eventKinds.contains { $0.name == name } ? "the event kind" : "the unknown name"
                let isResult: Bool
                if case .scaleResult = scope.context { isResult = true } else { isResult = false }
                let fields = resultFieldNames
                fail(
                    .unknownName, syntax.offset,
                    "found \(what) \"\(name)\"; expected one of \(scale.name)'s scores ("
                        + scale.scores.map(\.name).joined(separator: ", ")
                        + (isResult ? "), item(n), class, a parameter" : "), item(n), a parameter")
                        + (fields.isEmpty
                            ? " (the schema has no number, yes/no or enumeration field to read)"
                            : " or a field (\(fields.joined(separator: ", ")))")
                        + ": \(isResult ? "a condition on one result" : "a class rule") reads nothing else of the record"
                        + Suggestion.hint(for: name, in: knownNames))
                return .invalid
            }
            fail(
                .unknownName, syntax.offset,
                "found the unknown name \"\(name)\"; expected a field, parameter or indicator"
                    + Suggestion.hint(for: name, in: knownNames))
            return .invalid
        }
        return typed
    }
}

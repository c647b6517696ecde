internal import RiskScreenSupport

// Functions (`count`, `days_since`, `during`, `latest`, `study_year`, `fired_count`, `points`, `max_points`,
// `sum_points`, `min`, `max`, `item`) and
// the members of a scale result (`.total`, `.class`, `.date`, `.item(n)`).
extension ExpressionCompiler {
    private mutating func constantArgument(_ syntax: ExpressionSyntax, _ what: String) -> Double? {
        if case .months(let months) = syntax.node {
            fail(
                .typeMismatch, syntax.offset,
                "found the duration \(months)m as \(what); expected a fixed number of days such as 30d (calendar "
                    + "months count back from the as-of date, so they serve as windows only)")
            return nil
        }
        let typed = value(syntax)
        guard case .number(_, let kind, let constant?) = typed, kind == .integer || kind == .number, constant >= 0
        else {
            if case .invalid = typed { return nil }
            fail(
                .typeMismatch, syntax.offset,
                "found \(describe(typed)); expected \(what), a fixed number of days such as 30d")
            return nil
        }
        return constant
    }

    /// A window as a step encodes it (``EventQueries/window(_:_:)``): a fixed number of days (`30d`, a parameter),
    /// at most 1000000, or calendar months (`3m`) as -1 - months, whose days each scoring call works out from its
    /// as-of date.
    private mutating func windowArgument(_ syntax: ExpressionSyntax) -> Int32? {
        if case .months(let months) = syntax.node { return Int32(-1 - months) }
        let typed = value(syntax)
        guard case .number(_, let kind, let constant?) = typed, kind == .integer || kind == .number, constant >= 0
        else {
            if case .invalid = typed { return nil }
            fail(
                .typeMismatch, syntax.offset,
                "found \(describe(typed)); expected a window, a fixed number of days such as 30d or of calendar months "
                    + "such as 3m")
            return nil
        }
        return Int32(min(constant, 1e6))
    }

    private mutating func eventKindArgument(
        _ syntax: ExpressionSyntax, function: String, position: String = "first"
    ) -> Schema.EventKind? {
        guard case .name(let name) = syntax.node else {
            fail(
                .typeMismatch, syntax.offset,
                "found an expression; expected an event kind as the \(position) argument of \(function)")
            return nil
        }
        guard let kind = scope.schema.eventKind(named: name) else {
            fail(
                .unknownName, syntax.offset,
                "found the unknown event kind \"\(name)\"; expected one of: "
                    + scope.schema.eventKinds.map(\.name).joined(separator: ", ")
                    + Suggestion.hint(for: name, in: scope.schema.eventKinds.map(\.name)))
            return nil
        }
        footprint.readsRecord = true
        if kind.sensitive { footprint.readsSensitive = true }
        return kind
    }

    private mutating func arity(
        _ name: String, _ arguments: [ExpressionSyntax], _ range: ClosedRange<Int>, at offset: Int
    )
        -> Bool
    {
        guard range.contains(arguments.count) else {
            let expected =
                range.lowerBound == range.upperBound
                ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            fail(
                .typeMismatch, offset,
                "found \(arguments.count) argument\(arguments.count == 1 ? "" : "s") to \(name); expected \(expected)")
            return false
        }
        return true
    }

    mutating func compileCall(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        if let scale = scope.context.resultScale {
            guard name == "item" else {
                fail(
                    .misplaced, offset,
                    "found the function \(name)(); expected item(n) or a score of \(scale.name) in \(scope.context.resultPlace)"
                )
                return .invalid
            }
            guard arity(name, arguments, 1...1, at: offset), let number = itemNumber(arguments[0], scale) else {
                return .invalid
            }
            return .number(
                ExpressionCode(Instruction(operation: .classItem, c: Int32(number - 1))), .number, constant: nil)
        }
        switch name {
        case "min", "max": return compileExtreme(name, arguments, at: offset)
        case "count_true", "at_least": return compileTruthCount(name, arguments, at: offset)
        default: return compileFunction(name, arguments, at: offset)
        }
    }

    /// The functions other than those that nest (`min`, `max`, `count_true`, `at_least`), each compiled here, out of
    /// ``compileCall(_:_:at:)``: that one recurses once per nested call, and its frame stays small enough for the
    /// deepest accepted nesting on a 512 KB thread stack in a debug build.
    @inline(never)
    private mutating func compileFunction(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        switch name {
        case "count", "count_days":
            guard arity(name, arguments, 1...2, at: offset),
                let kind = eventKindArgument(arguments[0], function: name)
            else { return .invalid }
            let window = arguments.count == 2 ? windowArgument(arguments[1]) : nil
            if arguments.count == 2 && window == nil { return .invalid }
            let span = window ?? -1
            let operation: Instruction.Operation = name == "count" ? .count : .countDays
            return .number(
                ExpressionCode(Instruction(operation: operation, a: Int32(kind.index), b: span)), .integer,
                constant: nil)
        case "followed_by":
            guard arity(name, arguments, 3...4, at: offset),
                let first = eventKindArgument(arguments[0], function: name),
                let then = eventKindArgument(arguments[1], function: name, position: "second")
            else { return .invalid }
            if first.index == then.index {
                fail(
                    .invalidValue, arguments[1].offset,
                    "found the event kind \(then.name) twice in followed_by; expected two different kinds "
                        + "(count(\(then.name), window) >= 2 counts repeated reports)")
                return .invalid
            }
            guard let within = constantArgument(arguments[2], "how many days later the second event may come") else {
                return .invalid
            }
            let window = arguments.count == 4 ? windowArgument(arguments[3]) : nil
            if arguments.count == 4 && window == nil { return .invalid }
            return .truth(
                ExpressionCode(
                    Instruction(
                        operation: .followedBy, a: Int32(first.index), b: window ?? -1,
                        c: Int32(then.index), constant: min(within.rounded(.down), 1e6))), constant: nil)
        case "days_since":
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            if case .name(let argument) = arguments[0].node, let field = scope.schema.field(named: argument) {
                guard case .date = field.type else {
                    fail(
                        .typeMismatch, arguments[0].offset,
                        "found the \(field.type) field \(argument); expected an event kind or a date field")
                    return .invalid
                }
                footprint.readsRecord = true
                if field.sensitive { footprint.readsSensitive = true }
                // A date that is a fact (not `scheduled`) is not yet known after the as-of date.
                return .number(
                    ExpressionCode(
                        Instruction(operation: .daysSinceField, a: Int32(field.slot), c: field.scheduled ? 0 : 1)),
                    .integer, constant: nil)
            }
            guard let kind = eventKindArgument(arguments[0], function: "days_since") else { return .invalid }
            return .number(
                ExpressionCode(Instruction(operation: .daysSinceEvent, a: Int32(kind.index))), .integer, constant: nil)
        case "date_of":
            guard arity(name, arguments, 1...1, at: offset),
                let kind = eventKindArgument(arguments[0], function: "date_of")
            else { return .invalid }
            return .number(.dateOfLatest(kind: kind.index), .date, constant: nil)
        case "during":
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            guard case .name(let window) = arguments[0].node, let index = scope.windowIndex[window] else {
                let names = Array(scope.windowIndex.keys).sorted()
                var found = "an expression"
                if case .name(let window) = arguments[0].node { found = "the unknown window \"\(window)\"" }
                fail(
                    .unknownName, arguments[0].offset,
                    "found \(found); expected a calendar window: \(names.joined(separator: ", "))"
                        + {
                            if case .name(let w) = arguments[0].node {
                                return Suggestion.hint(for: w, in: names)
                            } else {
                                return ""
                            }
                        }())
                return .invalid
            }
            footprint.windows.insert(index)
            return .truth(ExpressionCode(Instruction(operation: .window, a: Int32(index))), constant: nil)
        case "latest", "any":
            let range = name == "latest" ? 1...3 : 3...3
            guard arity(name, arguments, range, at: offset) else { return .invalid }
            guard case .name(let scaleName) = arguments[0].node, let scale = scope.schema.scale(named: scaleName) else {
                let names = scope.schema.scales.map(\.name)
                fail(
                    .unknownName, arguments[0].offset,
                    "found \(arguments[0].describeName.isEmpty ? "an expression" : "the unknown scale \"\(arguments[0].describeName)\""); expected a scale: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: arguments[0].describeName, in: names))
                return .invalid
            }
            let window = arguments.count >= 2 ? windowArgument(arguments[1]) : nil
            if arguments.count >= 2 && window == nil { return .invalid }
            var condition: ExpressionCode?
            if arguments.count == 3 {
                guard let code = resultCondition(arguments[2], of: scale) else { return .invalid }
                condition = code
            }
            footprint.readsRecord = true
            if scale.sensitive { footprint.readsSensitive = true }
            let span = window
            if name == "any", let condition {
                return .truth(
                    .scaleMatch(.matchAny, scale: scale.index, window: span, condition: condition), constant: nil)
            }
            return .scaleLatest(scale, window: span, condition: condition)
        case "study_year":
            guard arity(name, arguments, 0...0, at: offset) else { return .invalid }
            guard let slot = scope.schema.enrolmentField.map({ scope.schema.fields[$0].slot }) else {
                fail(
                    .missingKey, offset,
                    "found study_year() but the schema names no enrolment field; expected `enrolment: FIELD` in schema")
                return .invalid
            }
            footprint.readsRecord = true
            let start = scope.academicYearStart
            return .number(
                ExpressionCode(
                    Instruction(operation: .studyYear, a: Int32(slot), b: Int32(start.month), c: Int32(start.day))),
                .integer, constant: nil)
        case "fired_count", "points", "max_points", "sum_points":
            return compileIndicatorReading(name, arguments, at: offset)
        case "score":
            return compileScore(arguments, at: offset)
        default:
            fail(
                .unknownName, offset,
                "found the unknown function \(name)(); expected one of: \(Self.functionNames.joined(separator: ", "))"
                    + Suggestion.hint(for: name, in: Self.functionNames))
            return .invalid
        }
    }

    /// `fired_count`, `points`, `max_points` and `sum_points`: what the indicators gave, read by escalations, caps and
    /// duties. Kept out of ``compileCall(_:_:at:)``, which recurses once per nested call: its frame stays small enough
    /// for the deepest accepted nesting on a 512 KB thread stack in a debug build.
    @inline(never)
    private mutating func compileIndicatorReading(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int)
        -> Typed
    {
        switch name {
        case "fired_count":
            guard case .levelRule = scope.context else {
                fail(
                    .misplaced, offset, "found fired_count() in an indicator; expected it only in escalations and caps")
                return .invalid
            }
            guard arity(name, arguments, 0...1, at: offset) else { return .invalid }
            var members = scope.indicatorIsRisk.indices.filter { scope.indicatorIsRisk[$0] }
            if arguments.count == 1 {
                guard let set = indicatorSet(arguments[0]) else { return .invalid }
                members = set
            }
            footprint.readsRecord = true
            footprint.readsAllIndicators = true
            return .number(.firedCount(of: members), .integer, constant: nil)
        case "points", "max_points", "sum_points":
            guard case .levelRule = scope.context else {
                fail(
                    .misplaced, offset,
                    "found \(name)() in an indicator; expected it only in escalations, caps and duties, which run once "
                        + "every indicator has given its points")
                return .invalid
            }
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            let members: [Int]
            if name == "points" {
                guard let indicator = pointsIndicator(arguments[0]) else { return .invalid }
                members = [indicator]
            } else {
                // A dimension of protective factors gives no risk points: reading it could only ever give 0.
                if case .name(let dimensionName) = arguments[0].node,
                    let dimension = scope.dimension(named: dimensionName), dimension.holdsProtectiveFactors
                {
                    fail(
                        .misplaced, arguments[0].offset,
                        "found the protective dimension \(dimensionName) in \(name)(); expected a dimension of risk "
                            + "indicators or a group (protective factors subtract their points; name one to test "
                            + "whether it held)")
                    return .invalid
                }
                guard let set = indicatorSet(arguments[0]) else { return .invalid }
                members = set
            }
            // Reading what an indicator gave reads the indicator: a rule over a sensitive one is sensitive.
            footprint.indicators.formUnion(members)
            footprint.readsRecord = true
            return .number(
                .awardedPoints(of: members, mode: name == "max_points" ? .largest : .sum), .number, constant: nil)
        default:
            preconditionFailure("compileIndicatorReading is called for the indicator-reading functions only")
        }
    }

    /// `score(ID)`: one of several scores, the sum of the points its indicators and protective factors gave, as the
    /// engine sums it to give the score its level. Kept out of the function switch, which calls itself for nested
    /// arguments: its frame stays small, so deep nesting stays within a thread's stack.
    @inline(never)
    private mutating func compileScore(_ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        let name = "score"
        // One of several scores: the sum of the points its indicators and protective factors gave, as the engine
        // sums it to give the score its level.
        guard case .levelRule = scope.context else {
            fail(
                .misplaced, offset,
                "found score() in an indicator; expected it only in escalations, caps and duties, which run once "
                    + "every indicator has given its points")
            return .invalid
        }
        let ids = scope.scoreMembers.map(\.id)
        guard !ids.isEmpty else {
            fail(
                .misplaced, offset,
                "found score() in a rule set without scores:; expected score (the one score) or scores: declared")
            return .invalid
        }
        guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
        guard case .name(let id) = arguments[0].node, let score = scope.scoreMembers.first(where: { $0.id == id })
        else {
            fail(
                .unknownName, arguments[0].offset,
                "found \"\(arguments[0].describeName)\" in score(); expected one of the scores: "
                    + ids.joined(separator: ", ") + Suggestion.hint(for: arguments[0].describeName, in: ids))
            return .invalid
        }
        // Reading a score reads its indicators: a rule over a score that holds a sensitive one is sensitive.
        footprint.indicators.formUnion(score.members)
        footprint.readsRecord = true
        return .number(.awardedPoints(of: score.members, mode: .sum), .number, constant: nil)
    }

    /// The risk indicators a dimension or a group names (`fired_count(knowable)`, `max_points(vital_signs)`), in
    /// rule-set order; nil when the argument names neither (reported).
    private mutating func indicatorSet(_ syntax: ExpressionSyntax) -> [Int]? {
        if case .name(let name) = syntax.node {
            if let dimension = scope.dimension(named: name) {
                return scope.indicatorDimensions.indices.filter {
                    scope.indicatorIsRisk[$0] && scope.indicatorDimensions[$0] == dimension
                }
            }
            if let members = scope.indicatorGroups[name] { return members }
        }
        let dimensions = scope.dimensions.map(\.id)
        let groups = scope.indicatorGroups.keys.sorted()
        fail(
            .unknownName, syntax.offset,
            "found \"\(syntax.describeName)\"; expected a dimension: " + dimensions.joined(separator: ", ")
                + (groups.isEmpty
                    ? "" : ", or a group declared with group: on an indicator: " + groups.joined(separator: ", "))
                + Suggestion.hint(for: syntax.describeName, in: dimensions + groups))
        return nil
    }

    /// The risk indicator `points(…)` names; nil when the argument is none (reported).
    private mutating func pointsIndicator(_ syntax: ExpressionSyntax) -> Int? {
        guard case .name(let name) = syntax.node, let index = scope.indicatorIndex[name] else {
            let ids = scope.indicatorIndex.keys.sorted()
            fail(
                .unknownName, syntax.offset,
                "found \"\(syntax.describeName)\" in points(); expected an indicator"
                    + Suggestion.hint(for: syntax.describeName, in: ids)
                    + (scope.dimension(named: syntax.describeName) != nil
                        || scope.indicatorGroups[syntax.describeName] != nil
                        ? " (max_points and sum_points read a dimension or a group)" : ""))
            return nil
        }
        if scope.displayOnlyIndicators.contains(index) {
            fail(
                .misplaced, syntax.offset,
                "found the display-only indicator \(name) in points(); expected an indicator that gives points (a "
                    + "display-only indicator gives none: remove display_only from \(name) to read it)")
            return nil
        }
        guard scope.indicatorIsRisk[index] else {
            fail(
                .misplaced, syntax.offset,
                "found the protective factor \(name) in points(); expected a risk indicator (a protective factor "
                    + "subtracts its points: name it alone to test whether it held)")
            return nil
        }
        return index
    }

    /// The functions a condition may call outside a class rule.
    static let functionNames = [
        "count", "count_days", "days_since", "date_of", "followed_by", "during", "latest", "any", "study_year",
        "fired_count", "points", "max_points", "sum_points", "count_true", "at_least",
        "min", "max", "score",
    ]

    /// `min(a, b, …)` and `max(a, b, …)`: of numbers (or of dates) the smallest or largest, missing when any is
    /// missing; of conditions, Kleene's `and` and `or` (a condition's truths are ordered false < unknown < true, so
    /// `max` holds when any holds, is false when all are false, and is unknown otherwise); of ordered enumerations with
    /// the same values, the value ranked highest or lowest (``combineRatings(_:_:_:)``). An unordered enumeration has
    /// no order and is refused, as is a mix of conditions and numbers.
    private mutating func compileExtreme(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        guard arity(name, arguments, 2...Self.maximumCountedArguments, at: offset) else { return .invalid }
        var operands: [Typed] = []
        for argument in arguments {
            operands.append(extremeOperand(compile(argument), argument, name))
        }
        if operands.contains(where: { if case .invalid = $0 { true } else { false } }) { return .invalid }
        return combineExtreme(name, operands, arguments)
    }

    /// Joins the compiled operands of `min`/`max`. Kept out of ``compileExtreme(_:_:at:)``, which recurses once per
    /// nested call: its frame stays small enough for the deepest accepted nesting on a 512 KB stack in a debug build.
    @inline(never)
    private mutating func combineExtreme(_ name: String, _ operands: [Typed], _ arguments: [ExpressionSyntax]) -> Typed
    {
        if operands.contains(where: \.ranksOrNames) { return combineRatings(name, operands, arguments) }
        let isMax = name == "max"
        if case .truth = operands[0] {
            var result = operands[0]
            for (operand, argument) in zip(operands, arguments).dropFirst() {
                guard case .truth(let l, let lc) = result, case .truth(let r, let rc) = operand else {
                    failMixed(name, operands[0], operand, at: argument.offset)
                    return .invalid
                }
                if let lc, let rc {
                    let truth = Truth(encoded: isMax ? max(lc.encoded, rc.encoded) : min(lc.encoded, rc.encoded))
                    result = .truth(.constant(truth.encoded), constant: truth)
                } else {
                    result = .truth(.binary(l, r, Instruction(operation: isMax ? .or : .and)), constant: nil)
                }
            }
            return result
        }
        guard case .number(var code, let kind, _) = operands[0] else {
            failMixed(name, operands[0], operands[0], at: arguments[0].offset)
            return .invalid
        }
        for (operand, argument) in zip(operands, arguments).dropFirst() {
            guard case .number(let r, let rk, _) = operand, rk == kind || (kind != .date && rk != .date) else {
                failMixed(name, operands[0], operand, at: argument.offset)
                return .invalid
            }
            code = .binary(code, r, Instruction(operation: isMax ? .maximum : .minimum))
        }
        let allInteger = operands.allSatisfy { if case .number(_, .integer, _) = $0 { true } else { false } }
        return .number(code, kind == .date ? .date : (allInteger ? .integer : .number), constant: nil)
    }

    /// Reports `min`/`max` over values that are not all numbers, all dates or all conditions.
    mutating func failMixed(_ name: String, _ first: Typed, _ other: Typed, at offset: Int) {
        fail(
            .typeMismatch, offset,
            "found \(describe(first)) and \(describe(other)) in \(name)(); expected all numbers, all dates or all "
                + "conditions (of conditions, max holds when any holds and min when all hold)")
    }

    /// The most arguments `min`, `max`, `count_true` and `at_least` take.
    static let maximumCountedArguments = 64

    /// `count_true(a, b, …)`: how many of the conditions hold, missing when any is unknown; `at_least(k, a, b, …)`:
    /// whether at least `k` hold, true as soon as `k` are known to hold and false as soon as fewer could, even were
    /// every unknown one to hold.
    private mutating func compileTruthCount(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        let isAtLeast = name == "at_least"
        let first = isAtLeast ? 1 : 0
        guard arity(name, arguments, (first + 2)...(first + Self.maximumCountedArguments), at: offset) else {
            return .invalid
        }
        var codes: [ExpressionCode] = []
        var constants: [Truth] = []
        var valid = true
        for argument in arguments[first...] {
            guard case .truth(let code, let constant) = asTruth(value(argument), at: argument.offset) else {
                valid = false
                continue
            }
            codes.append(code)
            if let constant { constants.append(constant) }
        }
        var needed = 0.0
        if isAtLeast {
            let typed = value(arguments[0])
            let count = arguments.count - 1
            guard case .number(_, let kind, let constant?) = typed, kind.isNumeric, constant == constant.rounded(),
                constant >= 1, constant <= Double(count)
            else {
                if case .invalid = typed { return .invalid }
                fail(
                    .outOfRange, arguments[0].offset,
                    "found \(describe(typed)) as how many must hold in at_least; expected a fixed whole number from 1 "
                        + "to \(count), the number of conditions after it")
                return .invalid
            }
            needed = constant
        }
        guard valid else { return .invalid }
        let mode: Instruction.TruthCountMode = isAtLeast ? .atLeast : .count
        if constants.count == codes.count {
            let trues = Double(constants.count { $0 == .true })
            let unknowns = Double(constants.count { $0 == .unknown })
            if isAtLeast {
                let truth: Truth = trues >= needed ? .true : (trues + unknowns < needed ? .false : .unknown)
                return .truth(.constant(truth.encoded), constant: truth)
            }
            let count = unknowns > 0 ? Double.nan : trues
            return .number(.constant(count), .integer, constant: count.isNaN ? nil : count)
        }
        let code = ExpressionCode.countTruths(codes, mode: mode, atLeast: needed)
        return isAtLeast ? .truth(code, constant: nil) : .number(code, .integer, constant: nil)
    }

    /// The condition a result of `scale` must meet in `latest(scale, window, condition)` and `any(…)`: compiled like
    /// a class rule of the scale (its scores by name, `item(n)`, parameters, the record's number, yes/no and
    /// enumeration fields), which may also name the result's `class`.
    private mutating func resultCondition(_ syntax: ExpressionSyntax, of scale: ScaleDefinition) -> ExpressionCode? {
        var inner = ExpressionCompiler(scope: scope.with(context: .scaleResult(scale)))
        let compiled = inner.compileCondition(syntax)
        for failure in inner.errors { fail(failure.code, failure.offset, failure.message) }
        guard inner.errors.isEmpty, let compiled else { return nil }
        // A field the condition reads is read as any field is: it counts for sensitivity.
        if inner.footprint.readsSensitive { footprint.readsSensitive = true }
        return compiled.code
    }

    private mutating func itemNumber(_ syntax: ExpressionSyntax, _ scale: ScaleDefinition) -> Int? {
        guard case .number(let value) = syntax.node, value == value.rounded(), value >= 1,
            value <= Double(scale.itemCount)
        else {
            fail(
                .outOfRange, syntax.offset,
                "found an item that \(scale.name) does not have; expected a number from 1 to \(scale.itemCount)")
            return nil
        }
        return Int(value)
    }

    mutating func compileMember(base: Typed, name: String, arguments: [ExpressionSyntax]?, at offset: Int) -> Typed {
        guard case .scaleLatest(let scale, let window, let condition) = base else {
            if case .invalid = base { return .invalid }
            fail(.typeMismatch, offset, "found .\(name) after \(describe(base)); expected it after latest(scale)")
            return .invalid
        }
        // A step reading the latest result of the scale within the window (that meets the condition, if any).
        func latest(
            _ operation: Instruction.Operation, _ matching: Instruction.Operation, _ index: Int = 0
        ) -> ExpressionCode {
            if let condition {
                return .scaleMatch(matching, scale: scale.index, window: window, index: index, condition: condition)
            }
            return ExpressionCode(
                Instruction(operation: operation, a: Int32(scale.index), b: window ?? -1, c: Int32(index)))
        }
        if let arguments {
            guard name == "item" else {
                fail(
                    .unknownName, offset,
                    "found .\(name)(); expected .item(n) or a score name after latest(\(scale.name))")
                return .invalid
            }
            guard arity("item", arguments, 1...1, at: offset), let number = itemNumber(arguments[0], scale) else {
                return .invalid
            }
            return .number(latest(.latestItem, .matchLatestItem, number - 1), .integer, constant: nil)
        }
        switch name {
        case "class":
            return .number(latest(.latestClass, .matchLatestClass), .enumeration(scale.classNames), constant: nil)
        case "date":
            return .number(latest(.latestDate, .matchLatestDate), .date, constant: nil)
        default:
            guard let scoreIndex = scale.scoreIndex(name) else {
                let names = scale.scores.map(\.name) + ["class", "date", "item(n)"]
                fail(
                    .unknownName, offset,
                    "found .\(name), which \(scale.name) does not have; expected one of: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: name, in: names))
                return .invalid
            }
            return .number(latest(.latestScore, .matchLatestScore, scoreIndex), .number, constant: nil)
        }
    }
}

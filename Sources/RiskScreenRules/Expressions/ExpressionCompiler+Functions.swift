internal import RiskScreenSupport

// Functions (`count`, `days_since`, `during`, `latest`, `study_year`, `fired_count`, `points`, `max_points`,
// `sum_points`, `min`, `max`, `item`) and
// the members of a scale result (`.total`, `.class`, `.date`, `.item(n)`).
extension ExpressionCompiler {
    private mutating func constantArgument(_ syntax: ExpressionSyntax, _ what: String) -> Double? {
        let typed = value(syntax)
        guard case .number(_, let kind, let constant?) = typed, kind == .integer || kind == .number, constant >= 0
        else {
            if case .invalid = typed { return nil }
            fail(syntax.offset, "found \(describe(typed)); expected \(what), a fixed number of days such as 30d")
            return nil
        }
        return constant
    }

    private mutating func eventKindArgument(
        _ syntax: ExpressionSyntax, function: String, position: String = "first"
    ) -> Schema.EventKind? {
        guard case .name(let name) = syntax.node else {
            fail(
                syntax.offset, "found an expression; expected an event kind as the \(position) argument of \(function)")
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
                offset,
                "found \(arguments.count) argument\(arguments.count == 1 ? "" : "s") to \(name); expected \(expected)")
            return false
        }
        return true
    }

    mutating func compileCall(_ name: String, _ arguments: [ExpressionSyntax], at offset: Int) -> Typed {
        if let scale = scope.context.resultScale {
            guard name == "item" else {
                fail(
                    offset,
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
        case "count", "count_days":
            guard arity(name, arguments, 1...2, at: offset),
                let kind = eventKindArgument(arguments[0], function: name)
            else { return .invalid }
            let window = arguments.count == 2 ? constantArgument(arguments[1], "a window") : nil
            if arguments.count == 2 && window == nil { return .invalid }
            let span = window.map { Int32(min($0, 1e6)) } ?? -1
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
                    arguments[1].offset,
                    "found the event kind \(then.name) twice in followed_by; expected two different kinds "
                        + "(count(\(then.name), window) >= 2 counts repeated reports)")
                return .invalid
            }
            guard let within = constantArgument(arguments[2], "how many days later the second event may come") else {
                return .invalid
            }
            let window = arguments.count == 4 ? constantArgument(arguments[3], "a window") : nil
            if arguments.count == 4 && window == nil { return .invalid }
            return .truth(
                ExpressionCode(
                    Instruction(
                        operation: .followedBy, a: Int32(first.index), b: window.map { Int32(min($0, 1e6)) } ?? -1,
                        c: Int32(then.index), constant: min(within.rounded(.down), 1e6))), constant: nil)
        case "days_since":
            guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
            if case .name(let argument) = arguments[0].node, let field = scope.schema.field(named: argument) {
                guard case .date = field.type else {
                    fail(
                        arguments[0].offset,
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
                    arguments[0].offset,
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
                    arguments[0].offset,
                    "found \(arguments[0].describeName.isEmpty ? "an expression" : "the unknown scale \"\(arguments[0].describeName)\""); expected a scale: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: arguments[0].describeName, in: names))
                return .invalid
            }
            let window = arguments.count >= 2 ? constantArgument(arguments[1], "a window") : nil
            if arguments.count >= 2 && window == nil { return .invalid }
            var condition: ExpressionCode?
            if arguments.count == 3 {
                guard let code = resultCondition(arguments[2], of: scale) else { return .invalid }
                condition = code
            }
            footprint.readsRecord = true
            if scale.sensitive { footprint.readsSensitive = true }
            let span = window.map { Int32(min($0, 1e6)) }
            if name == "any", let condition {
                return .truth(
                    .scaleMatch(.matchAny, scale: scale.index, window: span, condition: condition), constant: nil)
            }
            return .scaleLatest(scale, window: span, condition: condition)
        case "study_year":
            guard arity(name, arguments, 0...0, at: offset) else { return .invalid }
            guard let slot = scope.schema.enrolmentField.map({ scope.schema.fields[$0].slot }) else {
                fail(
                    offset,
                    "found study_year() but the schema names no enrolment field; expected `enrolment: FIELD` in schema")
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
                    offset,
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
                guard let set = indicatorSet(arguments[0]) else { return .invalid }
                members = set
            }
            // Reading what an indicator gave reads the indicator: a rule over a sensitive one is sensitive.
            footprint.indicators.formUnion(members)
            footprint.readsRecord = true
            return .number(
                .awardedPoints(of: members, mode: name == "max_points" ? .largest : .sum), .number, constant: nil)
        case "score":
            return compileScore(arguments, at: offset)
        case "min", "max":
            guard arity(name, arguments, 2...2, at: offset) else { return .invalid }
            let a = numeric(value(arguments[0]), arguments[0], " in \(name)()")
            let b = numeric(value(arguments[1]), arguments[1], " in \(name)()")
            guard case .number(let l, let lk, _) = a, case .number(let r, let rk, _) = b,
                lk == rk || (lk != .date && rk != .date)
            else {
                if case .invalid = a { return .invalid }
                if case .invalid = b { return .invalid }
                fail(
                    arguments[0].offset,
                    "found \(describe(a)) and \(describe(b)) in \(name)(); expected two numbers or two dates")
                return .invalid
            }
            return .number(
                .binary(l, r, Instruction(operation: name == "min" ? .minimum : .maximum)), lk, constant: nil)
        default:
            fail(
                offset,
                "found the unknown function \(name)(); expected one of: \(Self.functionNames.joined(separator: ", "))"
                    + Suggestion.hint(for: name, in: Self.functionNames))
            return .invalid
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
                offset,
                "found score() in an indicator; expected it only in escalations, caps and duties, which run once "
                    + "every indicator has given its points")
            return .invalid
        }
        let ids = scope.scoreMembers.map(\.id)
        guard !ids.isEmpty else {
            fail(
                offset,
                "found score() in a rule set without scores:; expected score (the one score) or scores: declared")
            return .invalid
        }
        guard arity(name, arguments, 1...1, at: offset) else { return .invalid }
        guard case .name(let id) = arguments[0].node, let score = scope.scoreMembers.first(where: { $0.id == id })
        else {
            fail(
                arguments[0].offset,
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
            syntax.offset,
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
                syntax.offset,
                "found \"\(syntax.describeName)\" in points(); expected an indicator"
                    + Suggestion.hint(for: syntax.describeName, in: ids)
                    + (scope.dimension(named: syntax.describeName) != nil
                        || scope.indicatorGroups[syntax.describeName] != nil
                        ? " (max_points and sum_points read a dimension or a group)" : ""))
            return nil
        }
        if scope.displayOnlyIndicators.contains(index) {
            fail(
                syntax.offset,
                "found the display-only indicator \(name) in points(); expected an indicator that gives points (a "
                    + "display-only indicator gives none: remove display_only from \(name) to read it)")
            return nil
        }
        guard scope.indicatorIsRisk[index] else {
            fail(
                syntax.offset,
                "found the protective factor \(name) in points(); expected a risk indicator (a protective factor "
                    + "subtracts its points: name it alone to test whether it held)")
            return nil
        }
        return index
    }

    /// The functions a condition may call outside a class rule.
    static let functionNames = [
        "count", "count_days", "days_since", "date_of", "followed_by", "during", "latest", "any", "study_year",
        "fired_count", "points", "max_points", "sum_points",
        "min", "max", "score",
    ]

    /// The condition a result of `scale` must meet in `latest(scale, window, condition)` and `any(…)`: compiled like
    /// a class rule of the scale (its scores by name, `item(n)`, parameters), which may also name the result's
    /// `class`.
    private mutating func resultCondition(_ syntax: ExpressionSyntax, of scale: ScaleDefinition) -> ExpressionCode? {
        var inner = ExpressionCompiler(scope: scope.with(context: .scaleResult(scale)))
        let compiled = inner.compileCondition(syntax)
        for failure in inner.errors { fail(failure.offset, failure.message) }
        guard inner.errors.isEmpty, let compiled else { return nil }
        return compiled.code
    }

    private mutating func itemNumber(_ syntax: ExpressionSyntax, _ scale: ScaleDefinition) -> Int? {
        guard case .number(let value) = syntax.node, value == value.rounded(), value >= 1,
            value <= Double(scale.itemCount)
        else {
            fail(
                syntax.offset,
                "found an item that \(scale.name) does not have; expected a number from 1 to \(scale.itemCount)")
            return nil
        }
        return Int(value)
    }

    mutating func compileMember(base: Typed, name: String, arguments: [ExpressionSyntax]?, at offset: Int) -> Typed {
        guard case .scaleLatest(let scale, let window, let condition) = base else {
            if case .invalid = base { return .invalid }
            fail(offset, "found .\(name) after \(describe(base)); expected it after latest(scale)")
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
                fail(offset, "found .\(name)(); expected .item(n) or a score name after latest(\(scale.name))")
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
                    offset,
                    "found .\(name), which \(scale.name) does not have; expected one of: \(names.joined(separator: ", "))"
                        + Suggestion.hint(for: name, in: names))
                return .invalid
            }
            return .number(latest(.latestScore, .matchLatestScore, scoreIndex), .number, constant: nil)
        }
    }
}

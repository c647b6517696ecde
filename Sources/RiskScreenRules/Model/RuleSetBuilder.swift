internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes merged definitions into a ``RuleSet``: resolves names to slots, type-checks and compiles every
/// condition, orders indicators by dependency, and checks levels, escalations and caps as a whole.
struct RuleSetBuilder {
    let definitions: Definitions
    var bag: DiagnosticBag
    private var parameters: [String: Double] = [:]
    private var schema = Schema()
    private var windowIndex: [String: Int] = [:]
    private var academicYearStart = (month: 9, day: 1)
    /// Indicators that a condition or points expression reads (so they can change an outcome without points).
    private var outcomeReferences: Set<Int> = []
    /// True when an escalation or cap counts fired indicators, so every risk indicator can change an outcome.
    private var someRuleCountsFired = false

    init(definitions: Definitions, bag: DiagnosticBag) {
        self.definitions = definitions
        self.bag = bag
    }

    mutating func build(files: [String]) -> RuleSet? {
        let parameterList = buildParameters()
        let roles = buildRoles()
        buildSchema()
        let windows = buildWindows()
        let levels = buildLevels(roles: roles)
        let (indicators, order) = buildIndicators()
        let effects = buildEffects(indicators: indicators)
        let escalations = buildLevelRules("escalations", kind: .escalation, levels: levels, indicators: indicators)
        let caps = buildLevelRules("caps", kind: .cap, levels: levels, indicators: indicators)
        let cohortRules = buildCohortRules(levels: levels)
        if levels.isEmpty && !indicators.isEmpty {
            bag.error(
                "found indicators but no levels; expected a levels: list, lowest first",
                at: indicators[0].location)
        }
        // Whole-set checks only on a set without errors: a broken part would make them report noise.
        if !bag.hasErrors {
            checkReachability(
                levels: levels, indicators: indicators, effects: effects,
                floors: Set(escalations.map(\.level) + cohortRules.map(\.level)))
            warnAboutIndicatorsWithoutEffect(indicators: indicators)
        }
        if bag.hasErrors { return nil }
        let header = definitions.header
        let id = header["id"]?.scalar ?? definitions.layerIDs.last ?? "rules"
        let rules = RuleSet(
            id: id, name: header["name"]?.scalar ?? id, extends: definitions.parents.reversed(), notes: definitions.notes,
            schema: schema, parameters: parameterList, roles: roles, windows: windows, effects: effects, levels: levels,
            indicators: indicators, escalations: escalations, caps: caps, cohortRules: cohortRules,
            warnings: RuleSetLoader.sorted(bag.items.filter { $0.severity == .warning }), files: files,
            academicYearStart: academicYearStart, evaluationOrder: order)
        // Compiled code is checked once here, so scoring can trust it (a failure is a compiler bug).
        for failure in ExpressionCodeVerifier.failures(in: rules) { bag.error(failure.message, at: failure.location) }
        return bag.hasErrors ? nil : rules
    }

    // MARK: Parameters and roles

    private mutating func buildParameters() -> [Parameter] {
        let table = definitions.table("parameters")
        var result: [Parameter] = []
        for name in table.order {
            guard let node = table.node(name) else { continue }
            var valueNode = node
            var reason: String?
            if node.entries != nil {
                guard let entries = fields(node, "parameter \(name)", allowed: ["value", "reason"], required: ["value"]),
                    let value = entries["value"]?.value
                else { continue }
                valueNode = value
                reason = text(entries["reason"]?.value, "reason")
            }
            guard let value = Self.parseNumber(valueNode) else {
                bag.error("found \(valueNode.kindDescription) for parameter \(name); expected a number within ±1e9", at: valueNode.location)
                continue
            }
            parameters[name] = value
            result.append(Parameter(name: name, value: value, reason: reason, location: valueNode.location))
        }
        return result
    }

    private mutating func buildRoles() -> [Role] {
        let table = definitions.table("roles")
        var roles: [Role] = []
        for id in table.order {
            guard let node = table.node(id) else { continue }
            if node.scalar != nil || node.isNull {
                roles.append(Role(id: id, label: label(node, fallback: id), seesSensitive: false))
                continue
            }
            guard let entries = fields(node, "role \(id)", allowed: ["label", "sees_sensitive"]) else { continue }
            roles.append(
                Role(
                    id: id, label: label(entries["label"]?.value, fallback: id),
                    seesSensitive: boolean(entries["sees_sensitive"]?.value, "sees_sensitive") ?? false))
        }
        return roles
    }

    // MARK: Schema

    /// `booleans: {true: [true, 是, TRUE], false: [false, 否, FALSE]}`: how text cells (YAML, CSV) may write a boolean.
    private mutating func buildBooleanSpellings(_ node: YAMLNode) {
        guard let entries = fields(node, "booleans", allowed: ["true", "false"], required: ["true", "false"]) else { return }
        var spellings: [String: [String]] = [:]
        var seen: [String: String] = [:]
        for key in ["true", "false"] {
            guard let value = entries[key]?.value else { continue }
            let items = value.items ?? [value]
            var list: [String] = []
            for item in items {
                guard let text = item.scalar, !item.isNull, !text.isEmpty, Substring(text).trimmingCharacters() == text,
                    !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
                else {
                    bag.error(
                        "found \(item.kindDescription) as a spelling of \(key); expected a word such as \(key == "true" ? "是 or TRUE" : "否 or FALSE"), without spaces around it",
                        at: item.location)
                    continue
                }
                if let other = seen[text] {
                    bag.error("found \"\(text)\" as a spelling of both \(other) and \(key); expected each spelling once", at: item.location)
                    continue
                }
                seen[text] = key
                list.append(text)
            }
            spellings[key] = list
        }
        for key in ["true", "false"] where spellings[key]?.isEmpty == true {
            if let node = entries[key]?.value, node.items?.isEmpty ?? node.isNull {
                bag.error("found no spelling of \(key) in booleans; expected at least one, such as \(key)", at: node.location)
            }
        }
        if let yes = spellings["true"], !yes.isEmpty, let no = spellings["false"], !no.isEmpty {
            schema.trueSpellings = yes
            schema.falseSpellings = no
        }
    }

    private mutating func buildSchema() {
        var valueSlots = 0
        var textSlots = 0
        let fieldTable = definitions.table("fields")
        let reserved: Set<String> = ["id", "events", "scales", "expect", "why", "score", "as_of"]
        for name in fieldTable.order {
            guard let node = fieldTable.node(name) else { continue }
            let at = fieldTable.keyLocations[name] ?? node.location
            if reserved.contains(name) || !Definitions.isValidID(name) {
                bag.error("found the field name \"\(name)\"; expected a name that is not one of \(reserved.sorted().joined(separator: ", "))", at: at)
                continue
            }
            if parameters[name] != nil {
                bag.error("found the field \"\(name)\", which is also a parameter; expected distinct names", at: at)
            }
            var typeNode = node
            var entries: [String: YAMLNode.Entry] = [:]
            if node.entries != nil {
                guard
                    let decoded = fields(
                        node, "field \(name)", allowed: ["type", "values", "required", "sensitive", "min", "max", "label"],
                        required: ["type"]), let type = decoded["type"]?.value
                else { continue }
                entries = decoded
                typeNode = type
            }
            let typeName = typeNode.scalar ?? ""
            let type: Schema.FieldType
            switch typeName {
            case "integer": type = .integer
            case "number": type = .number
            case "boolean": type = .boolean
            case "text": type = .text
            case "date": type = .date
            case "enumeration", "enum":
                let values = names(entries["values"]?.value, "values").map(\.0)
                if values.isEmpty {
                    bag.error("found an enumeration without values; expected values: [a, b, …]", at: typeNode.location)
                    continue
                }
                if Set(values).count != values.count {
                    bag.error("found a value twice in the enumeration \(name); expected each value once", at: typeNode.location)
                }
                type = .enumeration(values)
            default:
                bag.error(
                    "found \(typeNode.kindDescription) as the type of \(name); expected integer, number, boolean, text, enumeration or date"
                        + Suggestion.hint(for: typeName, in: ["integer", "number", "boolean", "text", "enumeration", "date"]),
                    at: typeNode.location)
                continue
            }
            if entries["values"] != nil, case .enumeration = type {} else if let values = entries["values"] {
                bag.error("found values for a field of type \(type); expected values only on an enumeration", at: values.keyLocation)
            }
            let isText = type == .text
            let slot = isText ? textSlots : valueSlots
            if isText { textSlots += 1 } else { valueSlots += 1 }
            schema.fields.append(
                Schema.Field(
                    name: name, type: type, slot: slot, required: boolean(entries["required"]?.value, "required") ?? false,
                    sensitive: boolean(entries["sensitive"]?.value, "sensitive") ?? false,
                    minimum: number(entries["min"]?.value, "min", parameters: parameters),
                    maximum: number(entries["max"]?.value, "max", parameters: parameters),
                    label: label(entries["label"]?.value, fallback: name), location: at))
        }
        schema.valueSlotCount = valueSlots
        schema.textSlotCount = textSlots
        if let enrolment = definitions.schemaSettings["enrolment"] {
            if let name = enrolment.scalar, let index = schema.fields.firstIndex(where: { $0.name == name }),
                schema.fields[index].type == .date
            {
                schema.enrolmentField = index
            } else {
                bag.error(
                    "found \(enrolment.kindDescription) for enrolment; expected the name of a date field"
                        + Suggestion.hint(for: enrolment.scalar ?? "", in: schema.fields.filter { $0.type == .date }.map(\.name)),
                    at: enrolment.location)
            }
        }
        if let booleans = definitions.schemaSettings["booleans"] { buildBooleanSpellings(booleans) }
        let eventTable = definitions.table("events")
        for name in eventTable.order {
            guard let node = eventTable.node(name) else { continue }
            let at = eventTable.keyLocations[name] ?? node.location
            var sensitive = false
            var eventLabel = Label(zh: "", en: name)
            if !node.isNull {
                if node.scalar != nil {
                    eventLabel = label(node, fallback: name)
                } else if let entries = fields(node, "event \(name)", allowed: ["label", "sensitive"]) {
                    eventLabel = label(entries["label"]?.value, fallback: name)
                    sensitive = boolean(entries["sensitive"]?.value, "sensitive") ?? false
                }
            }
            schema.eventKinds.append(
                Schema.EventKind(name: name, index: schema.eventKinds.count, sensitive: sensitive, label: eventLabel, location: at))
        }
        let scaleTable = definitions.table("scales")
        for name in scaleTable.order {
            guard let node = scaleTable.node(name) else { continue }
            if let scale = buildScale(name, node, index: schema.scales.count) { schema.scales.append(scale) }
        }
    }

    private mutating func itemIndices(_ node: YAMLNode?, itemCount: Int, _ what: String) -> [Int] {
        guard let node, !node.isNull else { return [] }
        if node.scalar == "all" { return Array(0..<itemCount) }
        guard let items = node.items else {
            bag.error("found \(node.kindDescription) for \(what); expected all, or a list of item numbers such as [1, 4, 11-18]", at: node.location)
            return []
        }
        var result: [Int] = []
        for item in items {
            let text = item.scalar ?? ""
            let parts = text.split(separator: "-").map { Int($0) }
            if parts.count == 1, let single = parts[0], single >= 1, single <= itemCount {
                result.append(single - 1)
            } else if parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, low <= high, high <= itemCount {
                result += Array((low - 1)..<high)
            } else {
                bag.error("found \(item.kindDescription) in \(what); expected an item number from 1 to \(itemCount) or a range such as 3-7", at: item.location)
            }
        }
        return result
    }

    private mutating func buildScale(_ name: String, _ node: YAMLNode, index: Int) -> ScaleDefinition? {
        guard
            let entries = fields(
                node, "scale \(name)",
                allowed: ["label", "items", "answers", "reverse", "scores", "classes", "otherwise", "sensitive", "source"],
                required: ["items", "answers"])
        else { return nil }
        guard let countNode = entries["items"]?.value, let count = Self.parseNumber(countNode), count >= 1, count <= 1000,
            count == count.rounded()
        else {
            if let countNode = entries["items"]?.value {
                bag.error("found \(countNode.kindDescription) for items of \(name); expected the number of items, 1 to 1000", at: countNode.location)
            }
            return nil
        }
        let itemCount = Int(count)
        var minimum = 0.0
        var maximum = 0.0
        if let answers = entries["answers"]?.value {
            let items = answers.items ?? []
            let bounds = items.compactMap { Self.parseNumber($0) }
            if items.count == 2, bounds.count == 2, bounds[0] < bounds[1], bounds.allSatisfy({ $0 == $0.rounded() }) {
                minimum = bounds[0]
                maximum = bounds[1]
            } else {
                bag.error("found \(answers.kindDescription) for answers of \(name); expected [lowest, highest] in whole numbers, such as [0, 3]", at: answers.location)
            }
        }
        let reversed = Set(itemIndices(entries["reverse"]?.value, itemCount: itemCount, "reverse"))
        var scores: [ScaleDefinition.Score] = []
        if let scoreNode = entries["scores"]?.value {
            for entry in scoreNode.entries ?? [] {
                guard Definitions.isValidID(entry.key) else {
                    bag.error(Definitions.invalidNameMessage(entry.key, in: "the scores of \(name)"), at: entry.keyLocation)
                    continue
                }
                guard
                    let spec = fields(
                        entry.value, "score \(entry.key) of \(name)", allowed: ["sum", "mean", "count", "exclude", "at_least", "label"])
                else { continue }
                let modes = ["sum", "mean", "count"].filter { spec[$0] != nil }
                guard modes.count == 1, let mode = modes.first, let itemsNode = spec[mode]?.value else {
                    bag.error("found \(modes.count) of sum, mean, count in score \(entry.key); expected exactly one", at: entry.value.location)
                    continue
                }
                let excluded = Set(itemIndices(spec["exclude"]?.value, itemCount: itemCount, "exclude"))
                let items = itemIndices(itemsNode, itemCount: itemCount, mode).filter { !excluded.contains($0) }
                let aggregate: ScaleDefinition.Score.Aggregate
                switch mode {
                case "sum": aggregate = .sum
                case "mean": aggregate = .mean
                default:
                    guard let threshold = number(spec["at_least"]?.value, "at_least", parameters: parameters) else {
                        if spec["at_least"] == nil {
                            bag.error("found count without at_least in score \(entry.key); expected at_least: VALUE", at: entry.value.location)
                        }
                        continue
                    }
                    aggregate = .countAtLeast(threshold)
                }
                if spec["at_least"] != nil, mode != "count" {
                    bag.error("found at_least in a \(mode) score; expected it only with count", at: entry.value.location)
                }
                scores.append(
                    ScaleDefinition.Score(name: entry.key, aggregate: aggregate, items: items, label: label(spec["label"]?.value, fallback: entry.key)))
            }
            if scoreNode.entries == nil {
                bag.error("found \(scoreNode.kindDescription) for scores of \(name); expected a mapping of score names", at: scoreNode.location)
            }
        }
        var scale = ScaleDefinition(
            name: name, index: index, label: label(entries["label"]?.value, fallback: name), itemCount: itemCount,
            minimumAnswer: minimum, maximumAnswer: maximum, reversedItems: reversed, scores: scores, classNames: [],
            otherwiseClass: nil, classRules: [], sensitive: boolean(entries["sensitive"]?.value, "sensitive") ?? true,
            location: node.location)
        var classRules: [(String, YAMLNode, SourceLocation)] = []
        for item in entries["classes"]?.value.items ?? [] {
            guard let rule = fields(item, "class rule of \(name)", allowed: ["class", "when"], required: ["class", "when"]),
                let className = rule["class"]?.value.scalar, let when = rule["when"]?.value
            else { continue }
            guard Definitions.isValidID(className) else {
                bag.error(Definitions.invalidNameMessage(className, in: "the classes of \(name)"), at: rule["class"]?.value.location ?? item.location)
                continue
            }
            if !scale.classNames.contains(className) { scale.classNames.append(className) }
            classRules.append((className, when, item.location))
        }
        if let otherwiseNode = entries["otherwise"]?.value, let otherwise = otherwiseNode.scalar, !Definitions.isValidID(otherwise) {
            bag.error(Definitions.invalidNameMessage(otherwise, in: "otherwise of \(name)"), at: otherwiseNode.location)
        } else if let otherwise = entries["otherwise"]?.value.scalar {
            if !scale.classNames.contains(otherwise) { scale.classNames.append(otherwise) }
            scale.otherwiseClass = scale.classNames.firstIndex(of: otherwise)
        }
        let scope = makeScope(context: .scaleClass(scale), indicators: [])
        for (className, when, _) in classRules {
            guard let program = condition(when, scope: scope, what: "class \(className)")?.program,
                let classIndex = scale.classNames.firstIndex(of: className)
            else { continue }
            scale.classRules.append(ScaleDefinition.ClassRule(classIndex: classIndex, condition: program))
        }
        return scale
    }

    // MARK: Calendar

    private mutating func span(_ fromNode: YAMLNode?, _ toNode: YAMLNode?, at location: SourceLocation) -> CalendarWindow.Span? {
        guard let fromNode, let toNode, let fromText = fromNode.scalar, let toText = toNode.scalar else {
            bag.error("found a range without from and to; expected from: MM-DD (or YYYY-MM-DD) and to: …", at: location)
            return nil
        }
        if let from = MonthDay(fromText), let to = MonthDay(toText) {
            return .recurring(from: from, to: to)
        }
        if let from = CivilDate(iso: fromText), let to = CivilDate(iso: toText) {
            if to < from {
                bag.error("found a range that ends (\(toText)) before it starts (\(fromText)); expected to on or after from", at: toNode.location)
                return nil
            }
            return .dated(from: from, to: to)
        }
        let bad = MonthDay(fromText) == nil && CivilDate(iso: fromText) == nil ? fromNode : toNode
        bag.error(
            "found \(bad.kindDescription); expected MM-DD for a recurring range or YYYY-MM-DD (\(CivilDate.earliestYear)–\(CivilDate.latestYear)) for a dated one, both ends alike",
            at: bad.location)
        return nil
    }

    private mutating func buildWindows() -> [CalendarWindow] {
        if let start = definitions.calendarSettings["academic_year_starts"] {
            if let text = start.scalar, let monthDay = MonthDay(text) {
                academicYearStart = (monthDay.month, monthDay.day)
            } else {
                bag.error("found \(start.kindDescription) for academic_year_starts; expected MM-DD such as 09-01", at: start.location)
            }
        }
        let table = definitions.table("windows")
        var windows: [CalendarWindow] = []
        for name in table.order {
            guard let node = table.node(name),
                let entries = fields(node, "window \(name)", allowed: ["label", "from", "to", "ranges", "source"])
            else { continue }
            var spans: [CalendarWindow.Span] = []
            if let ranges = entries["ranges"]?.value {
                for range in ranges.items ?? [] {
                    guard let bounds = fields(range, "range", allowed: ["from", "to"], required: ["from", "to"]) else { continue }
                    if let span = span(bounds["from"]?.value, bounds["to"]?.value, at: range.location) { spans.append(span) }
                }
                if entries["from"] != nil || entries["to"] != nil {
                    bag.error("found both ranges and from/to in window \(name); expected one or the other", at: node.location)
                }
            } else if let span = span(entries["from"]?.value, entries["to"]?.value, at: node.location) {
                spans.append(span)
            }
            if spans.isEmpty { continue }
            windowIndex[name] = windows.count
            windows.append(
                CalendarWindow(
                    name: name, label: label(entries["label"]?.value, fallback: name), spans: spans,
                    source: text(entries["source"]?.value, "source"), location: table.keyLocations[name] ?? node.location))
        }
        return windows
    }

    private mutating func buildEffects(indicators: [Indicator]) -> [CalendarEffect] {
        var effects: [CalendarEffect] = []
        let indicatorIndex = Dictionary(indicators.map { ($0.id, $0.index) }, uniquingKeysWith: { a, _ in a })
        for node in definitions.effects {
            guard
                let entries = fields(
                    node, "calendar effect", allowed: ["window", "indicators", "dimension", "multiply", "source"],
                    required: ["window", "multiply"]),
                let windowNode = entries["window"]?.value, let factorNode = entries["multiply"]?.value
            else { continue }
            guard let windowName = windowNode.scalar, let window = windowIndex[windowName] else {
                bag.error(
                    "found \(windowNode.kindDescription) for window; expected a calendar window"
                        + Suggestion.hint(for: windowNode.scalar ?? "", in: windowIndex.keys), at: windowNode.location)
                continue
            }
            guard let factor = number(factorNode, "multiply", parameters: parameters) else { continue }
            if factor < 0 || factor > 100 {
                bag.error("found the factor \(factor); expected a multiplier from 0 to 100", at: factorNode.location)
                continue
            }
            var targets: [Int] = []
            for (name, location) in names(entries["indicators"]?.value, "indicators") {
                if let index = indicatorIndex[name] {
                    targets.append(index)
                } else {
                    bag.error("found the unknown indicator \"\(name)\"; expected an indicator id" + Suggestion.hint(for: name, in: indicatorIndex.keys), at: location)
                }
            }
            if let dimensionNode = entries["dimension"]?.value {
                if let dimension = dimensionNode.scalar.flatMap(Dimension.init(rawValue:)) {
                    targets += indicators.filter { $0.dimension == dimension }.map(\.index)
                } else {
                    bag.error("found \(dimensionNode.kindDescription) for dimension; expected one of: \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))", at: dimensionNode.location)
                }
            }
            if entries["indicators"] == nil && entries["dimension"] == nil {
                bag.error("found an effect that names no indicators; expected indicators: [...] or dimension: …", at: node.location)
            }
            // An indicator named twice (or by name and by its dimension) is multiplied once by the effect.
            var seen: Set<Int> = []
            targets = targets.filter { seen.insert($0).inserted }
            effects.append(
                CalendarEffect(
                    window: windowName, indicators: targets.map { indicators[$0].id }, factor: factor, location: node.location,
                    windowIndex: window, indicatorIndices: targets))
        }
        return effects
    }

    // MARK: Levels

    private mutating func buildLevels(roles: [Role]) -> [Level] {
        let table = definitions.table("levels")
        var levels: [Level] = []
        let roleIDs = Set(roles.map(\.id))
        for id in table.order {
            guard let node = table.node(id),
                let entries = fields(
                    node, "level \(id)", allowed: ["id", "label", "from", "route", "response", "parents"], required: ["id"])
            else { continue }
            let isFirst = levels.isEmpty
            var threshold = -Double.infinity
            if let fromNode = entries["from"]?.value {
                if isFirst {
                    bag.error("found from on the first level \(id); expected the lowest level to apply from any score", at: fromNode.location)
                } else if let value = number(fromNode, "from", parameters: parameters) {
                    threshold = value
                }
            } else if !isFirst {
                bag.error("found no from on level \(id); expected from: SCORE (or a parameter)", at: node.location)
            }
            if let previous = levels.last, threshold <= previous.threshold, !isFirst, threshold != -.infinity {
                bag.error(
                    "found level \(id) from \(NumberText.format(threshold)), not above \(previous.id) from \(NumberText.format(previous.threshold)); expected thresholds rising with each level",
                    at: entries["from"]?.value.location ?? node.location)
            }
            var route: [String] = []
            for (role, location) in names(entries["route"]?.value, "route") {
                if roleIDs.contains(role) {
                    route.append(role)
                } else {
                    bag.error("found the unknown role \"\(role)\"; expected one of the roles: \(roles.map(\.id).joined(separator: ", "))" + Suggestion.hint(for: role, in: roleIDs), at: location)
                }
            }
            var parents = ParentNotice.no
            if let parentsNode = entries["parents"]?.value {
                if let text = parentsNode.scalar, let notice = ParentNotice(rawValue: text == "true" ? "yes" : text == "false" ? "no" : text) {
                    parents = notice
                } else {
                    bag.error("found \(parentsNode.kindDescription) for parents; expected yes, no or with_consent", at: parentsNode.location)
                }
            }
            levels.append(
                Level(
                    id: id, label: label(entries["label"]?.value, fallback: id), rank: levels.count, threshold: threshold,
                    route: route, response: text(entries["response"]?.value, "response") ?? "", informParents: parents,
                    location: node.location))
        }
        return levels
    }

    // MARK: Indicators

    func makeScope(context: ExpressionScope.Context, indicators: [(String, Dimension, Bool)]) -> ExpressionScope {
        ExpressionScope(
            schema: schema, parameters: parameters,
            indicatorIndex: Dictionary(indicators.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { a, _ in a }),
            indicatorDimensions: indicators.map(\.1), indicatorIsRisk: indicators.map(\.2), windowIndex: windowIndex,
            academicYearStart: academicYearStart, context: context)
    }

    /// Parses and compiles a condition, reporting errors at their column inside the expression.
    mutating func condition(_ node: YAMLNode, scope: ExpressionScope, what: String)
        -> (program: TruthProgram, footprint: ExpressionFootprint)?
    {
        guard let source = node.scalar, !node.isNull else {
            bag.error("found \(node.kindDescription) for \(what); expected a condition such as \"count(night_absence, 30d) >= 2\"", at: node.location)
            return nil
        }
        let syntax: ExpressionSyntax
        do {
            syntax = try ExpressionParser.parse(source)
        } catch {
            bag.error("in \(what): \(error.message)", at: expressionLocation(node, offset: error.offset))
            return nil
        }
        var compiler = ExpressionCompiler(scope: scope)
        let compiled = compiler.compileCondition(syntax)
        for failure in compiler.errors {
            bag.error("in \(what): \(failure.message)", at: expressionLocation(node, offset: failure.offset))
        }
        guard let compiled, compiler.errors.isEmpty else { return nil }
        let program = TruthProgram(
            code: compiled.0, text: source, location: node.location, constant: compiled.1)
        return (program, compiler.footprint)
    }

    private mutating func numberExpression(_ node: YAMLNode, scope: ExpressionScope, what: String)
        -> (program: NumberProgram, footprint: ExpressionFootprint)?
    {
        guard let source = node.scalar, !node.isNull else {
            bag.error("found \(node.kindDescription) for \(what); expected an expression giving a number", at: node.location)
            return nil
        }
        do {
            let syntax = try ExpressionParser.parse(source)
            var compiler = ExpressionCompiler(scope: scope)
            let compiled = compiler.compileNumber(syntax)
            for failure in compiler.errors {
                bag.error("in \(what): \(failure.message)", at: expressionLocation(node, offset: failure.offset))
            }
            guard let compiled, compiler.errors.isEmpty else { return nil }
            return (NumberProgram(code: compiled.0, text: source, location: node.location, kind: compiled.1), compiler.footprint)
        } catch {
            bag.error("in \(what): \(error.message)", at: expressionLocation(node, offset: error.offset))
            return nil
        }
    }

    private mutating func evidence(_ node: YAMLNode?, scope: ExpressionScope, what: String) -> ([Indicator.Evidence], Set<Int>) {
        guard let node, !node.isNull else { return ([], []) }
        let items = node.items ?? [node]
        var result: [Indicator.Evidence] = []
        var referenced: Set<Int> = []
        for item in items {
            var labelText: String?
            var valueNode = item
            if item.entries != nil {
                guard let entries = fields(item, "evidence", allowed: ["label", "value"], required: ["value"]),
                    let value = entries["value"]?.value
                else { continue }
                valueNode = value
                labelText = text(entries["label"]?.value, "label")
            }
            guard let source = valueNode.scalar, !valueNode.isNull else {
                bag.error("found \(valueNode.kindDescription) in evidence; expected an expression to show", at: valueNode.location)
                continue
            }
            do {
                let syntax = try ExpressionParser.parse(source)
                var compiler = ExpressionCompiler(scope: scope)
                let compiled = compiler.compileValue(syntax)
                for failure in compiler.errors {
                    bag.error("in evidence of \(what): \(failure.message)", at: expressionLocation(valueNode, offset: failure.offset))
                }
                guard let compiled, compiler.errors.isEmpty else { continue }
                referenced.formUnion(compiler.footprint.indicators)
                result.append(Indicator.Evidence(label: labelText ?? source, value: compiled, sensitive: compiler.footprint.readsSensitive))
            } catch {
                bag.error("in evidence of \(what): \(error.message)", at: expressionLocation(valueNode, offset: error.offset))
            }
        }
        return (result, referenced)
    }

    private mutating func buildIndicators() -> ([Indicator], [Int]) {
        let riskTable = definitions.table("indicators")
        let protectiveTable = definitions.table("protective")
        var declared: [(id: String, node: YAMLNode, protective: Bool)] = []
        for id in riskTable.order { if let node = riskTable.node(id) { declared.append((id, node, false)) } }
        for id in protectiveTable.order {
            guard let node = protectiveTable.node(id) else { continue }
            if riskTable.node(id) != nil {
                bag.error("found the id \"\(id)\" both as an indicator and a protective factor; expected distinct ids", at: protectiveTable.keyLocations[id] ?? node.location)
                continue
            }
            declared.append((id, node, true))
        }
        let allowed = ["id", "label", "dimension", "source", "when", "points", "evidence", "during", "enabled", "note"]
        // First pass: ids and dimensions, so conditions may name any indicator.
        var headers: [(String, Dimension, Bool)] = []
        var decodedFields: [[String: YAMLNode.Entry]] = []
        for item in declared {
            let entries = fields(item.node, "indicator \(item.id)", allowed: allowed, required: ["id", "label"]) ?? [:]
            var dimension: Dimension = item.protective ? .controllable : .observable
            if let dimensionNode = entries["dimension"]?.value {
                if let found = dimensionNode.scalar.flatMap(Dimension.init(rawValue:)) {
                    dimension = found
                } else {
                    bag.error(
                        "found \(dimensionNode.kindDescription) for dimension; expected one of: \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))"
                            + Suggestion.hint(for: dimensionNode.scalar ?? "", in: Dimension.allCases.map(\.rawValue)),
                        at: dimensionNode.location)
                }
            } else if !item.protective {
                bag.error("found no dimension on indicator \(item.id); expected dimension: observable, checkable, knowable, history, clinical or red_flag", at: item.node.location)
            }
            if parameters[item.id] != nil || schema.field(named: item.id) != nil {
                bag.error("found the indicator \"\(item.id)\", which is also a field or parameter; expected distinct names", at: item.node.location)
            }
            headers.append((item.id, dimension, !item.protective))
            decodedFields.append(entries)
        }
        let scope = makeScope(context: .indicator, indicators: headers)
        var indicators: [Indicator] = []
        var dependencies: [Set<Int>] = []
        for (index, item) in declared.enumerated() {
            let entries = decodedFields[index]
            var footprints = ExpressionFootprint()
            var conditionProgram: TruthProgram?
            if let when = entries["when"]?.value {
                if let compiled = condition(when, scope: scope, what: "the condition of \(item.id)") {
                    conditionProgram = compiled.program
                    footprints.readsSensitive = footprints.readsSensitive || compiled.footprint.readsSensitive
                    footprints.indicators.formUnion(compiled.footprint.indicators)
                    outcomeReferences.formUnion(compiled.footprint.indicators)
                    footprints.windows.formUnion(compiled.footprint.windows)
                }
            }
            var points = Indicator.Points.fixed(0)
            if let pointsNode = entries["points"]?.value {
                if pointsNode.entries != nil {
                    if let spec = fields(pointsNode, "points of \(item.id)", allowed: ["by", "bands"], required: ["by", "bands"]),
                        let byNode = spec["by"]?.value, let bandsNode = spec["bands"]?.value,
                        let by = numberExpression(byNode, scope: scope, what: "the points of \(item.id)")
                    {
                        footprints.indicators.formUnion(by.footprint.indicators)
                        outcomeReferences.formUnion(by.footprint.indicators)
                        footprints.readsSensitive = footprints.readsSensitive || by.footprint.readsSensitive
                        var bands: [Indicator.Band] = []
                        for bandNode in bandsNode.items ?? [] {
                            guard let band = fields(bandNode, "band", allowed: ["from", "points"], required: ["from", "points"]),
                                let from = number(band["from"]?.value, "from", parameters: parameters),
                                let bandPoints = number(band["points"]?.value, "points", parameters: parameters)
                            else { continue }
                            if let last = bands.last, from <= last.from {
                                bag.error("found a band from \(NumberText.format(from)) after one from \(NumberText.format(last.from)); expected bands in rising order", at: bandNode.location)
                            }
                            if bandPoints < 0 {
                                bag.error("found negative points; expected points of 0 or more (protective factors subtract theirs)", at: bandNode.location)
                            }
                            bands.append(Indicator.Band(from: from, points: bandPoints))
                        }
                        if bands.isEmpty {
                            bag.error("found no bands for the points of \(item.id); expected a list of {from, points}", at: bandsNode.location)
                        }
                        points = .banded(by.program, bands)
                    }
                } else if let value = number(pointsNode, "points of \(item.id)", parameters: parameters) {
                    if value < 0 {
                        bag.error("found negative points \(NumberText.format(value)); expected 0 or more (protective factors subtract theirs)", at: pointsNode.location)
                    }
                    points = .fixed(value)
                }
            } else if entries["id"] != nil {
                bag.error("found no points on \(item.id); expected points: NUMBER, a parameter, or {by, bands}", at: item.node.location)
            }
            if entries["when"] == nil, case .fixed = points, entries["id"] != nil {
                bag.error("found no condition on \(item.id); expected when: CONDITION", at: item.node.location)
            }
            var windowNames: [String] = []
            var windowIndices: [Int] = []
            for (name, location) in names(entries["during"]?.value, "during") {
                if let window = windowIndex[name] {
                    windowNames.append(name)
                    windowIndices.append(window)
                } else {
                    bag.error("found the unknown window \"\(name)\"; expected a calendar window" + Suggestion.hint(for: name, in: windowIndex.keys), at: location)
                }
            }
            let (evidenceItems, evidenceReferences) = evidence(entries["evidence"]?.value, scope: scope, what: item.id)
            footprints.indicators.formUnion(evidenceReferences)
            dependencies.append(footprints.indicators)
            indicators.append(
                Indicator(
                    id: item.id, label: label(entries["label"]?.value, fallback: item.id), dimension: headers[index].1,
                    source: text(entries["source"]?.value, "source"), isProtective: item.protective,
                    isEnabled: boolean(entries["enabled"]?.value, "enabled") ?? true, index: index,
                    location: item.node.location, conditionText: entries["when"]?.value.scalar, windows: windowNames,
                    isSensitive: footprints.readsSensitive || evidenceItems.contains { $0.sensitive },
                    condition: conditionProgram, points: points,
                    evidence: evidenceItems, windowIndices: windowIndices,
                    windowDependencies: footprints.windows.union(windowIndices).sorted()))
        }
        let order = evaluationOrder(indicators: indicators, dependencies: dependencies)
        // An indicator that reads a sensitive indicator is sensitive too (in dependency order, so chains carry over).
        var sensitive = indicators.map(\.isSensitive)
        for index in order where !sensitive[index] {
            sensitive[index] = dependencies[index].contains { sensitive[$0] }
        }
        for index in indicators.indices where sensitive[index] != indicators[index].isSensitive {
            indicators[index] = indicators[index].markedSensitive()
        }
        return (indicators, order)
    }

    /// Orders indicators so each follows those it names, reporting a cycle.
    private mutating func evaluationOrder(indicators: [Indicator], dependencies: [Set<Int>]) -> [Int] {
        var order: [Int] = []
        var state = [UInt8](repeating: 0, count: indicators.count)  // 0 new, 1 visiting, 2 done
        var reported = false
        func visit(_ index: Int, _ path: [Int], _ builder: inout RuleSetBuilder) {
            if state[index] == 2 { return }
            if state[index] == 1 {
                if !reported {
                    reported = true
                    let start = path.firstIndex(of: index) ?? 0
                    let cycle = (path[start...] + [index]).map { indicators[$0].id }
                    builder.bag.error(
                        "found indicators that depend on each other: \(cycle.joined(separator: " → ")); expected no cycle",
                        at: indicators[index].location)
                }
                return
            }
            state[index] = 1
            for dependency in dependencies[index].sorted() { visit(dependency, path + [index], &builder) }
            state[index] = 2
            order.append(index)
        }
        for index in indicators.indices { visit(index, [], &self) }
        return order
    }

    // MARK: Escalations and caps

    private mutating func buildLevelRules(
        _ section: String, kind: LevelRule.Kind, levels: [Level], indicators: [Indicator]
    ) -> [LevelRule] {
        let table = definitions.table(section)
        let scope = makeScope(context: .levelRule, indicators: indicators.map { ($0.id, $0.dimension, !$0.isProtective) })
        var rules: [LevelRule] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = fields(
                    node, "\(kind.rawValue) \(id)", allowed: ["id", "when", "level", "reason", "source", "enabled"],
                    required: ["id", "when", "level"])
            else { continue }
            if let enabled = entries["enabled"], boolean(enabled.value, "enabled") == false { continue }
            var levelIndex: Int?
            if let levelNode = entries["level"]?.value {
                if let name = levelNode.scalar, let found = levels.firstIndex(where: { $0.id == name }) {
                    levelIndex = found
                } else {
                    bag.error(
                        "found \(levelNode.kindDescription) for level; expected one of the levels: \(levels.map(\.id).joined(separator: ", "))"
                            + Suggestion.hint(for: levelNode.scalar ?? "", in: levels.map(\.id)),
                        at: levelNode.location)
                }
            }
            guard let when = entries["when"]?.value, let compiled = condition(when, scope: scope, what: "\(kind.rawValue) \(id)"),
                let levelIndex
            else { continue }
            let sensitive = compiled.footprint.readsSensitive || compiled.footprint.indicators.contains { indicators[$0].isSensitive }
            outcomeReferences.formUnion(compiled.footprint.indicators)
            someRuleCountsFired = someRuleCountsFired || compiled.footprint.readsAllIndicators
            if compiled.program.constant == .false {
                bag.warning("found the \(kind.rawValue) \(id), whose condition can never hold; it never changes a level", at: when.location)
            }
            rules.append(
                LevelRule(
                    id: id, kind: kind, level: levelIndex, reason: text(entries["reason"]?.value, "reason") ?? "",
                    source: text(entries["source"]?.value, "source"), conditionText: when.scalar ?? "", location: node.location,
                    isSensitive: sensitive, condition: compiled.program))
        }
        return rules
    }

    private mutating func levelIndex(_ node: YAMLNode?, _ what: String, levels: [Level]) -> Int? {
        guard let node else { return nil }
        if let name = node.scalar, let found = levels.firstIndex(where: { $0.id == name }) { return found }
        bag.error(
            "found \(node.kindDescription) for \(what); expected one of the levels: \(levels.map(\.id).joined(separator: ", "))"
                + Suggestion.hint(for: node.scalar ?? "", in: levels.map(\.id)),
            at: node.location)
        return nil
    }

    private mutating func buildCohortRules(levels: [Level]) -> [CohortRule] {
        let table = definitions.table("cohort")
        var rules: [CohortRule] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = fields(
                    node, "cohort rule \(id)", allowed: ["id", "group_by", "when_level", "level", "reason", "source"],
                    required: ["id", "group_by", "when_level", "level"])
            else { continue }
            let trigger = levelIndex(entries["when_level"]?.value, "when_level", levels: levels)
            let level = levelIndex(entries["level"]?.value, "level", levels: levels)
            var slot: Int?
            if let groupNode = entries["group_by"]?.value {
                if let name = groupNode.scalar, let field = schema.field(named: name), field.type == .text {
                    slot = field.slot
                } else {
                    bag.error(
                        "found \(groupNode.kindDescription) for group_by; expected a text field such as dorm or class_name"
                            + Suggestion.hint(for: groupNode.scalar ?? "", in: schema.fields.filter { $0.type == .text }.map(\.name)),
                        at: groupNode.location)
                }
            }
            guard let trigger, let level, let slot, let groupBy = entries["group_by"]?.value.scalar else { continue }
            rules.append(
                CohortRule(
                    id: id, groupBy: groupBy, triggerLevel: trigger, level: level,
                    reason: text(entries["reason"]?.value, "reason") ?? "", source: text(entries["source"]?.value, "source"),
                    location: node.location, groupSlot: slot))
        }
        return rules
    }

    // MARK: Whole-set checks

    private mutating func checkReachability(
        levels: [Level], indicators: [Indicator], effects: [CalendarEffect], floors: Set<Int>
    ) {
        var multiplier = [Double](repeating: 1, count: indicators.count)
        for effect in effects where effect.factor > 1 {
            for index in effect.indicatorIndices { multiplier[index] *= effect.factor }
        }
        let maximum = indicators.filter { !$0.isProtective && $0.isEnabled }.reduce(0.0) {
            $0 + $1.maximumPoints * multiplier[$1.index]
        }
        for level in levels.dropFirst() where level.threshold > maximum && !floors.contains(level.rank) {
            bag.error(
                "found level \(level.id) from \(NumberText.format(level.threshold)), which no student can reach: all indicators together give at most \(NumberText.format(maximum)) and no escalation sets it; expected a lower threshold or an escalation",
                at: level.location)
        }
    }

    private mutating func warnAboutIndicatorsWithoutEffect(indicators: [Indicator]) {
        for indicator in indicators where indicator.isEnabled && indicator.maximumPoints == 0 {
            let counted = someRuleCountsFired && !indicator.isProtective
            if !counted && !outcomeReferences.contains(indicator.index) {
                bag.warning(
                    "found the indicator \(indicator.id) with no points that no escalation, cap or indicator names; it can never change an outcome",
                    at: indicator.location)
            }
        }
        for indicator in indicators where indicator.isEnabled && indicator.condition?.constant == .false {
            bag.warning("found the indicator \(indicator.id), whose condition can never hold; it can never change an outcome", at: indicator.location)
        }
    }
}

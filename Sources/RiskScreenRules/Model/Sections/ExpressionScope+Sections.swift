// The scope of a condition in a rule set being built: the names the sections decoded before it define.
extension ExpressionScope {
    /// The scope of an indicator's condition, points or evidence (`.indicator`), or of an escalation or a cap
    /// (`.levelRule`).
    init(
        context: Context, schema: Schema, parameters: [String: Double], calendar: CalendarSection.Output,
        indicators: [IndicatorSection.Header], dimensions: [Dimension] = Dimension.standard
    ) {
        self.init(
            schema: schema, parameters: parameters,
            indicatorIndex: Dictionary(indicators.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }),
            indicatorDimensions: indicators.map(\.dimension),
            indicatorIsRisk: indicators.map { $0.isRisk && !$0.isDisplayOnly },
            indicatorGroups: Self.groups(of: indicators), windowIndex: calendar.windowIndex,
            academicYearStart: calendar.academicYearStart, context: context,
            displayOnlyIndicators: Set(indicators.indices.filter { indicators[$0].isDisplayOnly }),
            dimensions: dimensions)
    }

    /// Each group name with the risk indicators that declare it, in rule-set order (display-only ones declare none).
    static func groups(of indicators: [IndicatorSection.Header]) -> [String: [Int]] {
        var groups: [String: [Int]] = [:]
        for (index, header) in indicators.enumerated() where header.isRisk && !header.isDisplayOnly {
            for group in header.groups where groups[group]?.last != index { groups[group, default: []].append(index) }
        }
        return groups
    }

    /// The scope of a scale's class rules, which read the scale's own scores, `item(n)`, parameters and the record's
    /// number, yes/no and enumeration fields: no calendar, no event and no indicator.
    init(classesOf scale: ScaleDefinition, schema: Schema, parameters: [String: Double]) {
        self.init(
            context: .scaleClass(scale), schema: schema, parameters: parameters, calendar: CalendarSection.Output(),
            indicators: [])
    }
}

// The scope of a condition in a rule set being built: the names the sections decoded before it define.
extension ExpressionScope {
    /// The scope of an indicator's condition, points or evidence (`.indicator`), or of an escalation or a cap
    /// (`.levelRule`).
    init(
        context: Context, schema: Schema, parameters: [String: Double], calendar: CalendarSection.Output,
        indicators: [IndicatorSection.Header]
    ) {
        self.init(
            schema: schema, parameters: parameters,
            indicatorIndex: Dictionary(indicators.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }),
            indicatorDimensions: indicators.map(\.dimension), indicatorIsRisk: indicators.map(\.isRisk),
            windowIndex: calendar.windowIndex, academicYearStart: calendar.academicYearStart, context: context)
    }

    /// The scope of a scale's class rules, which read the scale's own scores, `item(n)`, parameters and the record's
    /// number, yes/no and enumeration fields: no calendar, no event and no indicator.
    init(classesOf scale: ScaleDefinition, schema: Schema, parameters: [String: Double]) {
        self.init(
            context: .scaleClass(scale), schema: schema, parameters: parameters, calendar: CalendarSection.Output(),
            indicators: [])
    }
}

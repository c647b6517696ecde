internal import RiskScreenRules

/// What scoring needs for one as-of date, worked out once per batch: which windows hold, which
/// indicators are in force, and each indicator's points after calendar multipliers.
struct ScoringPlan: Sendable {
    var day: ScoringDay
    var asOf: CivilDate
    /// The academic year the as-of date falls in, for `study_year()`.
    var asOfAcademicYear: Int
    /// Indicator indices to evaluate, in dependency order; those switched off or outside their windows are left out.
    var order: [Int]
    /// For each indicator: the calendar multiplier in force.
    var multiplier: [Double]
    /// Effects in force on this day.
    var activeEffects: [CalendarEffect]

    init(rules: RuleSet, asOf: CivilDate) {
        self.asOf = asOf
        asOfAcademicYear = AcademicYear.of(dayNumber: asOf.dayNumber, start: rules.academicYearStart)
        let active = rules.windows.map { $0.holds(on: asOf) }
        day = ScoringDay(asOf: Int32(clamping: asOf.dayNumber), windowActive: active)
        multiplier = [Double](repeating: 1, count: rules.indicators.count)
        activeEffects = rules.effects.filter { active[$0.windowIndex] }
        for effect in activeEffects {
            for index in effect.indicatorIndices { multiplier[index] *= effect.factor }
        }
        order = rules.evaluationOrder.filter { index in
            let indicator = rules.indicators[index]
            return indicator.isEnabled
                && (indicator.windowIndices.isEmpty || indicator.windowIndices.contains { active[$0] })
        }
    }
}

/// What depends on the as-of date alone, computed once per batch: the day and the calendar.
struct ScoringDay: Sendable {
    var asOf: Int32
    var windowActive: [Bool]
}

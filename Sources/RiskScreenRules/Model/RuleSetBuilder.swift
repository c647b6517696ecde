internal import RiskScreenYAML

/// Decodes merged definitions into a ``RuleSet``, one section of a rule file after another.
///
/// Each step (in `Sections/`) takes what the steps before it gave and returns its own part; all of them report into
/// one ``NodeDecoder``, so the diagnostics come in the order the steps run:
///
/// | step | reads | needs |
/// |---|---|---|
/// | ``ParameterSection`` | `parameters:` | — |
/// | ``RoleSection`` | `roles:` | — |
/// | ``SchemaSection`` (with ``ScaleSection``) | `schema:` | parameters, roles |
/// | ``CalendarSection`` | `calendar:` but its effects | — |
/// | ``LevelSection`` | `levels:` (and `ruleset: level_defaults:`) | roles, parameters |
/// | ``TextSection`` | `ruleset: notice:`, `level_defaults:`'s texts | — |
/// | ``CaseSection`` | `schema: case:` (adds the case facts to the schema) | schema, levels, roles, parameters |
/// | ``DimensionSection`` | `dimensions:` | — |
/// | ``IndicatorSection`` | `indicators:`, `protective:` | parameters, schema, calendar, dimensions |
/// | ``EffectSection`` | `calendar: effects:` | calendar, parameters, indicators, dimensions |
/// | ``LevelRuleSection`` | `escalations:`, `caps:` | levels, indicators, schema, parameters, calendar |
/// | ``CohortSection`` | `cohort:` | levels, schema |
/// | ``ActionSection`` | `actions:` | roles, levels, indicators, schema, parameters, calendar |
/// | ``WholeSetChecks`` | — | levels, indicators, effects, escalations, caps, cohort rules |
///
/// Then the compiled code is verified once, so scoring can trust it.
struct RuleSetBuilder {
    /// The sections of every layer, merged.
    let definitions: Definitions
    /// The diagnostics found while the definitions were merged; then those found while building.
    var bag: DiagnosticBag

    /// The rule set, or nil when an error was found (in ``bag``).
    mutating func build(files: [String]) -> RuleSet? {
        var decoder = NodeDecoder(bag: bag)
        defer { bag = decoder.bag }
        let parameters = ParameterSection(table: definitions.table("parameters")).decode(&decoder)
        let roles = RoleSection(table: definitions.table("roles")).decode(&decoder)
        var schema = SchemaSection(
            fields: definitions.table("fields"), events: definitions.table("events"),
            scales: definitions.table("scales"), settings: definitions.schemaSettings, parameters: parameters.values,
            roles: roles
        ).decode(&decoder)
        let calendar = CalendarSection(settings: definitions.calendarSettings, windows: definitions.table("windows"))
            .decode(&decoder)
        var scores = ScoreSection(table: definitions.table("scores")).decode(&decoder)
        let levels = LevelSection(
            table: definitions.table("levels"), roles: roles, parameters: parameters.values,
            defaults: definitions.levelDefaults
        ).decode(&decoder, scores: &scores)
        let (scoreCombination, combinationRows) = ScoreSection.combination(
            definitions.combine, scores: scores, levels: levels, &decoder)
        let texts = TextSection(notice: definitions.notice, levelDefaults: definitions.levelDefaults).decode(&decoder)
        CaseSection(
            node: definitions.schemaSettings["case"], levels: levels, roles: roles, parameters: parameters.values
        ).decode(into: &schema, &decoder)
        let dimensions = DimensionSection(table: definitions.table("dimensions")).decode(&decoder)
        let indicators = IndicatorSection(
            risk: definitions.table("indicators"), protective: definitions.table("protective"),
            parameters: parameters.values, schema: schema, calendar: calendar, dimensions: dimensions,
            declaresScores: !scores.isEmpty
        ).decode(&decoder)
        let indicatorScores = ScoreSection.indicatorScores(
            indicators: indicators.all,
            nodes: { definitions.table($0.isProtective ? "protective" : "indicators").node($0.id) }, scores: scores,
            &decoder)
        let effects = EffectSection(
            nodes: definitions.effects, calendar: calendar, parameters: parameters.values,
            indicators: indicators.all, dimensions: dimensions
        ).decode(&decoder)
        var ruleScope = ExpressionScope(
            context: .levelRule, schema: schema, parameters: parameters.values, calendar: calendar,
            indicators: indicators.all.map(IndicatorSection.Header.init), dimensions: dimensions)
        ruleScope.scoreMembers = scores.map { score in
            // A display-only indicator gives no points and no rule reads it: it is left out.
            (
                score.id,
                indicatorScores.indices.filter {
                    indicatorScores[$0] == score.index && !indicators.all[$0].isDisplayOnly
                }
            )
        }
        let escalations = LevelRuleSection(
            kind: .escalation, table: definitions.table("escalations"), levels: levels,
            indicators: indicators.all, scope: ruleScope
        ).decode(&decoder)
        let caps = LevelRuleSection(
            kind: .cap, table: definitions.table("caps"), levels: levels, indicators: indicators.all,
            scope: ruleScope
        ).decode(&decoder)
        let cohortRules = CohortSection(
            table: definitions.table("cohort"), levels: levels, schema: schema, indicators: indicators.all
        ).decode(&decoder)
        let actions = ActionSection(
            table: definitions.table("actions"), roles: roles, levels: levels, indicators: indicators.all,
            parameters: parameters.values, scope: ruleScope
        ).decode(&decoder)
        WholeSetChecks(
            levels: levels, indicators: indicators.all, effects: effects, scores: scores,
            indicatorScores: indicatorScores, combinationRows: combinationRows,
            floors: Set(escalations.rules.map(\.rank) + cohortRules.map(\.rank)),
            ceilings: Set(caps.rules.map(\.rank)),
            outcomeReferences: indicators.outcomeReferences.union(escalations.outcomeReferences)
                .union(caps.outcomeReferences),
            someRuleCountsFired: escalations.countsFired || caps.countsFired
        ).check(&decoder)
        if decoder.bag.hasErrors { return nil }
        let header = definitions.header
        let id = header["id"]?.scalar ?? definitions.layerIDs.last ?? "rules"
        let rules = RuleSet(
            id: id, name: header["name"]?.scalar ?? id, extends: definitions.parents.reversed(),
            notes: definitions.notes, schema: schema, parameters: parameters.list, roles: roles,
            windows: calendar.windows, effects: effects,
            levels: levels, dimensions: dimensions, scores: scores, scoreCombination: scoreCombination,
            indicators: indicators.all, escalations: escalations.rules,
            caps: caps.rules,
            cohortRules: cohortRules, actions: actions, texts: texts,
            warnings: RuleSetLoader.sorted(decoder.bag.items.filter { $0.severity == .warning }),
            files: files, academicYearStart: calendar.academicYearStart, indicatorScores: indicatorScores,
            evaluationOrder: indicators.evaluationOrder)
        // Compiled code is checked once here, so scoring can trust it (a failure is a compiler bug).
        for failure in ExpressionCodeVerifier.failures(in: rules) {
            decoder.bag.error(.internal, failure.message, at: failure.location)
        }
        return decoder.bag.hasErrors ? nil : rules
    }

    /// A scope that knows `indicators` and nothing else yet: no field, parameter or window. Tests compile single
    /// conditions with it, after setting the schema and windows they need.
    func makeScope(context: ExpressionScope.Context, indicators: [(String, Dimension, Bool)]) -> ExpressionScope {
        ExpressionScope(
            context: context, schema: Schema(), parameters: [:], calendar: CalendarSection.Output(),
            indicators: indicators.map { (id, dimension, isRisk) in
                IndicatorSection.Header(id: id, dimension: dimension, isRisk: isRisk)
            })
    }
}

/// Parses, type-checks and compiles one expression against a loaded rule set's names, as the loader does for a
/// rule, without a rule file around it: the expression fuzz target and tests feed it text directly.
package enum ConditionCheck {
    /// Where the expression would stand in a rule file, which decides the names it may use and what it must give.
    package enum Context: Sendable, CaseIterable {
        /// An indicator's `when`: a condition over fields, events, scales, windows, parameters and indicators.
        case indicator
        /// An escalation's or cap's `when`: may also use `score`, `fired_count(…)`, `points(…)`, `max_points(…)` and
        /// `sum_points(…)`.
        case levelRule
        /// An indicator's banded points (`by:`): an expression giving a number.
        case number
        /// An evidence entry: any value a person can read.
        case evidence
        /// A class rule of the rule set's first scale: the scale's own scores and `item(n)` only.
        case scaleClass
    }

    /// What compiling one expression gave: whether code came out, and every error with its offset in the text.
    package struct Outcome: Sendable {
        /// True when the compiler gave code; it may give code and errors together (for a misspelt value in a list), and
        /// the loader refuses the rule whenever there is an error.
        package var compiled: Bool
        /// The errors, each with its offset in the expression's text; the loader refuses the rule when there is any.
        package var errors: [(offset: Int, message: String)]
    }

    /// Parses and compiles `source` in `context` against the names of `rules`.
    package static func check(_ source: String, against rules: RuleSet, as context: Context) -> Outcome {
        let syntax: ExpressionSyntax
        do throws(ExpressionSyntaxError) {
            syntax = try ExpressionParser.parse(source)
        } catch {
            return Outcome(compiled: false, errors: [(error.offset, error.message)])
        }
        let indicators = rules.indicators
        var compiler = ExpressionCompiler(
            scope: ExpressionScope(
                schema: rules.schema,
                parameters: Dictionary(
                    rules.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
                indicatorIndex: Dictionary(
                    indicators.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }),
                indicatorDimensions: indicators.map(\.dimension),
                indicatorIsRisk: indicators.map { !$0.isProtective && !$0.isDisplayOnly },
                indicatorGroups: ExpressionScope.groups(of: indicators.map(IndicatorSection.Header.init)),
                windowIndex: Dictionary(
                    rules.windows.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first }),
                academicYearStart: rules.academicYearStart, context: scopeContext(context, rules: rules),
                displayOnlyIndicators: Set(indicators.indices.filter { indicators[$0].isDisplayOnly }),
                dimensions: rules.dimensions))
        let compiled: Bool
        switch context {
        case .indicator, .levelRule, .scaleClass: compiled = compiler.compileCondition(syntax) != nil
        case .number: compiled = compiler.compileNumber(syntax) != nil
        case .evidence: compiled = compiler.compileValue(syntax) != nil
        }
        return Outcome(compiled: compiled, errors: compiler.errors.map { ($0.offset, $0.message) })
    }

    private static func scopeContext(_ context: Context, rules: RuleSet) -> ExpressionScope.Context {
        switch context {
        case .indicator, .number, .evidence: return .indicator
        case .levelRule: return .levelRule
        case .scaleClass: return rules.schema.scales.first.map { .scaleClass($0) } ?? .indicator
        }
    }
}

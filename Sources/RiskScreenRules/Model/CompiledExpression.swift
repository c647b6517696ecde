/// An expression of a rule file, compiled: its program and what it reads.
struct CompiledExpression<Program> {
    /// The compiled code, with what it needs to run.
    var program: Program
    /// What the expression reads: fields, events, scales, windows and indicators.
    var footprint: ExpressionFootprint
    /// The expression as written.
    var text: String
}

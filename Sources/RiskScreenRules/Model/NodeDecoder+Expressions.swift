internal import RiskScreenYAML

// Conditions, banded points and evidence: parsed, type-checked and compiled in one place, which reports every
// error at its column inside the expression.
extension NodeDecoder {
    /// A condition (`when:` of an indicator, escalation, cap or scale class).
    mutating func condition(_ node: YAMLNode, scope: ExpressionScope, what: String)
        -> CompiledExpression<TruthProgram>?
    {
        compile(
            node, scope: scope, errorPrefix: "in \(what): ",
            notText:
                "found \(node.kindDescription) for \(what); expected a condition such as \"count(night_absence, 30d) >= 2\""
        ) { compiler, syntax, source in
            compiler.compileCondition(syntax).map {
                TruthProgram(code: $0.code, text: source, location: node.location, constant: $0.constant)
            }
        }
    }

    /// An expression giving a number (`by:` of banded points).
    mutating func numberExpression(_ node: YAMLNode, scope: ExpressionScope, what: String)
        -> CompiledExpression<NumberProgram>?
    {
        compile(
            node, scope: scope, errorPrefix: "in \(what): ",
            notText: "found \(node.kindDescription) for \(what); expected an expression giving a number"
        ) { compiler, syntax, source in
            compiler.compileNumber(syntax).map {
                NumberProgram(code: $0.code, text: source, location: node.location, kind: $0.kind)
            }
        }
    }

    /// A value to show as evidence of the indicator `what`.
    mutating func evidenceValue(_ node: YAMLNode, scope: ExpressionScope, what: String)
        -> CompiledExpression<EvidenceProgram>?
    {
        compile(
            node, scope: scope, errorPrefix: "in evidence of \(what): ",
            notText: "found \(node.kindDescription) in evidence; expected an expression to show"
        ) { compiler, syntax, _ in
            compiler.compileValue(syntax)
        }
    }

    /// Parses the text of `node`, compiles it with `make`, and reports a node that is not text (`notText`), a syntax
    /// error, or each compiler error (after `errorPrefix`); nil when anything was reported. The messages are built
    /// only when reported: loading a rule set that has no error makes none of them.
    private mutating func compile<Program>(
        _ node: YAMLNode, scope: ExpressionScope, errorPrefix: @autoclosure () -> String,
        notText: @autoclosure () -> String,
        _ make: (inout ExpressionCompiler, ExpressionSyntax, String) -> Program?
    ) -> CompiledExpression<Program>? {
        guard let source = node.scalar, !node.isNull else {
            bag.error(.typeMismatch, notText(), at: node.location)
            return nil
        }
        let syntax: ExpressionSyntax
        do {
            syntax = try ExpressionParser.parse(source)
        } catch {
            bag.error(error.code, errorPrefix() + error.message, at: expressionLocation(node, offset: error.offset))
            return nil
        }
        var compiler = ExpressionCompiler(scope: scope)
        let program = make(&compiler, syntax, source)
        for failure in compiler.errors {
            bag.error(
                failure.code, errorPrefix() + failure.message, at: expressionLocation(node, offset: failure.offset))
        }
        guard let program, compiler.errors.isEmpty else { return nil }
        return CompiledExpression(program: program, footprint: compiler.footprint, text: source)
    }
}

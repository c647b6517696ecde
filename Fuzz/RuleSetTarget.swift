// Fuzz target: bytes → a rule set of one file (no `extends`) → when it loads, score generated students with it.
// Contract: no crash or sanitizer report; a refused rule set names at least one error, each at a line and column of
// the file; a rule set that loads builds an engine that scores and explains students for every role.
import RiskScreen
import RiskScreenSynthetic

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func ruleSetTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let rules: RuleSet
    do throws(RuleSetError) {
        rules = try RuleSet.load(yaml: bytes, file: "fuzz.yaml")
    } catch {
        checkRefusal(error)
        return 0
    }
    let engine: ScoringEngine
    do throws(RuleSetError) {
        engine = try ScoringEngine(rules: rules)
    } catch {
        checkRefusal(error)
        return 0
    }
    guard let asOf = CivilDate(iso: "2026-11-23") else { contractBroken("2026-11-23 is not read as a date") }
    let records = SyntheticCohort(rules: rules, seed: 13, asOf: asOf).records(0..<6)
    for assessment in engine.assess(records, asOf: asOf, for: .fullView, threads: 1) {
        _ = assessment.explanation
        for role in rules.roles { _ = assessment.visible(to: role).explanation }
    }
    _ = engine.score(records, asOf: asOf, for: .fullView, threads: 1).countsByLevel
    return 0
}

private func checkRefusal(_ error: RuleSetError) {
    if error.errors.isEmpty { contractBroken("a rule set was refused without an error: \(error.description)") }
    for diagnostic in error.diagnostics where diagnostic.location.line < 1 || diagnostic.location.column < 1 {
        contractBroken("a diagnostic has no line and column: \(diagnostic)")
    }
    _ = error.description
}

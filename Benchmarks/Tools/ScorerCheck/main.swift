// Proves that the hand-written scorer gives the engine's result for every student of the benchmark cohort:
// level, score and the set of indicators that fired, on the benchmark's as-of date and on dates that switch
// every calendar window on or off, both from the engine's assessments (`assess`) and from its cohort scores
// (`score`). Exits non-zero, naming the first student that differs, when they disagree.
//
//     cd Benchmarks && swift run -c release ScorerCheck [STUDENTS]
import Foundation
import HandScorer
import RiskScreen
import RiskScreenSynthetic

let students = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 50_000 : 50_000
let rulesPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../Rules/campus-default").standardized.path
let rules = try RuleSet.load(from: rulesPath)
let engine = try ScoringEngine(rules: rules)
let indicatorIDs = Set(rules.indicators.map(\.id))
guard indicatorIDs == Set(HandScorer.indicatorIDs) else {
    print(
        "indicators differ: engine only \(indicatorIDs.subtracting(HandScorer.indicatorIDs).sorted()), "
            + "hand only \(Set(HandScorer.indicatorIDs).subtracting(indicatorIDs).sorted())")
    exit(1)
}

// The benchmark's date first, then dates inside each calendar window and outside all of them.
let dates = [
    "2026-09-15", "2026-11-23", "2026-01-10", "2026-03-10", "2026-04-15", "2026-05-20", "2026-06-20",
    "2026-07-25", "2026-10-10", "2026-12-10", "2026-02-25",
]
var failed = false
for text in dates {
    let asOf = CivilDate(iso: text)!
    let cohort = SyntheticCohort(rules: rules, seed: 42, asOf: asOf)
    let records = cohort.records(0..<students)
    let assessments = engine.assess(records, asOf: asOf)
    let scores = engine.score(records, asOf: asOf)
    let hand = try HandStudent.convert(cohort, 0..<students)
    let results = HandScorer(asOf: asOf).score(hand)
    var levels = [String: Int]()
    var mismatches = 0
    for index in 0..<students {
        let expected = assessments[index]
        let actual = results[index]
        levels[expected.level, default: 0] += 1
        let engineFired = Set(expected.fired.map(\.id))
        let scoredFired = Set(scores.firedIndicators(index).map { scores.indicatorIDs[$0] })
        if expected.studentID != hand[index].id || expected.level != HandScorer.levels[Int(actual.level)]
            || expected.score != Double(actual.score) || engineFired != actual.firedIDs
            || scores.level(index) != expected.level || scores.score(index) != expected.score
            || scoredFired != engineFired
        {
            if mismatches == 0 {
                print(
                    "\(text): student \(expected.studentID) (#\(index)): engine \(expected.level) score \(expected.score), "
                        + "hand \(HandScorer.levels[Int(actual.level)]) score \(actual.score); "
                        + "engine only \(engineFired.subtracting(actual.firedIDs).sorted()), "
                        + "hand only \(actual.firedIDs.subtracting(engineFired).sorted())")
            }
            mismatches += 1
        }
    }
    let counts = HandScorer.levels.map { "\($0) \(levels[$0, default: 0])" }.joined(separator: ", ")
    // Crises that raise roommates (confirmed by a person or set by an act), against all crises screening gives.
    let acting = results.indices.filter { results[$0].acting >= 4 && hand[$0].dormID >= 0 }.count
    if mismatches == 0 {
        print(
            "\(text): all \(students) students agree (level, score, fired indicators): \(counts); "
                + "\(acting) in a crisis that acts raise their roommates")
    } else {
        print("\(text): \(mismatches) of \(students) students differ")
        failed = true
    }
}
exit(failed ? 1 : 0)

// Proves that the hand-written scorer gives the engine's result for every student of the benchmark cohort:
// level, score and the set of indicators that fired, on the benchmark's as-of date and on dates that switch
// every calendar window on or off, both from the engine's assessments (`assess`) and from its cohort scores
// (`score`). Then the same for students of the cohort changed into cases the generator never writes (a retest, two
// results of one day, dates after the as-of date, case facts), read by the library's JSON Lines reader. Exits
// non-zero, naming the first student that differs, when they disagree.
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

/// Compares the engine's and the hand-written scorer's results for one batch, prints one line, and returns whether
/// every student agrees.
func compare(_ label: String, _ records: [StudentRecord], _ hand: [HandStudent], asOf: CivilDate) -> Bool {
    let assessments = engine.assess(records, asOf: asOf, for: .fullView)
    let scores = engine.score(records, asOf: asOf, for: .fullView)
    let results = HandScorer(asOf: asOf).score(hand)
    var levels = [String: Int]()
    var mismatches = 0
    for index in records.indices {
        let expected = assessments[index]
        let actual = results[index]
        levels[expected.level.id, default: 0] += 1
        let engineFired = Set(expected.fired.map(\.id))
        let scoredFired = Set(scores.firedIndicators(index).map { scores.indicatorIDs[$0] })
        if expected.studentID != hand[index].id || expected.level.id != HandScorer.levels[Int(actual.level)]
            || expected.score != Double(actual.score) || engineFired != actual.firedIDs
            || scores.level(index) != expected.level || scores.score(index) != expected.score
            || scoredFired != engineFired
        {
            if mismatches == 0 {
                print(
                    "\(label): student \(expected.studentID) (#\(index)): engine \(expected.level) score "
                        + "\(expected.score), hand \(HandScorer.levels[Int(actual.level)]) score \(actual.score); "
                        + "engine only \(engineFired.subtracting(actual.firedIDs).sorted()), "
                        + "hand only \(actual.firedIDs.subtracting(engineFired).sorted())")
            }
            mismatches += 1
        }
    }
    let counts = HandScorer.levels.map { "\($0) \(levels[$0, default: 0])" }.joined(separator: ", ")
    // Crises that raise roommates (acting, with a recent act fired); any other crisis raises nobody.
    let acting = results.indices.filter { results[$0].raisesRoommates && hand[$0].dormID >= 0 }.count
    if mismatches == 0 {
        print(
            "\(label): all \(records.count) students agree (level, score, fired indicators): \(counts); "
                + "\(acting) in a crisis with a recent act raise their roommates")
    } else {
        print("\(label): \(mismatches) of \(records.count) students differ")
    }
    return mismatches == 0
}

/// Student `index`'s JSON line changed into a case the generator never writes, by `index % 8`: a death/self-harm
/// answer followed by a retest without it (verified between the two for some); two results of each scale on one
/// day; a risk verification, an enrolment or a case's confirmation after the as-of date; a crisis confirmed, then
/// left; a confirmed crisis closed, with a risk fact, a staff contact or nothing since; two reports of one night.
func edgeCase(_ line: String, index: Int, asOf: CivilDate) -> String {
    var object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    let today = asOf.dayNumber
    func date(_ day: Int) -> String { "\(CivilDate(dayNumber: day))" }
    func day(_ text: Any?) -> Int { CivilDate(iso: text as! String)!.dayNumber }
    var scales = object["scales"] as? [[String: Any]] ?? []
    var events = object["events"] as? [String: [String]] ?? [:]
    /// The death/self-harm item's position and a positive answer, for the scales that have one.
    func critical(_ scale: [String: Any]) -> (item: Int, answer: Int)? {
        switch scale["scale"] as? String {
        case "phq9": (8, 1 + index % 3)
        case "upi": (24, 1)
        default: nil
        }
    }
    switch index % 8 {
    case 0:
        // An answer, then a retest three days later without it (and a verification between them for every other).
        var retests: [[String: Any]] = []
        for position in scales.indices {
            guard let (item, answer) = critical(scales[position]) else { continue }
            let answered = min(day(scales[position]["date"]), today - 4 - index % 40)
            var items = (scales[position]["items"] as! [NSNumber]).map(\.intValue)
            items[item] = answer
            scales[position]["items"] = items
            scales[position]["date"] = date(answered)
            items[item] = 0
            retests.append(["scale": scales[position]["scale"]!, "date": date(answered + 3), "items": items])
            if index % 16 == 8 { object["risk_verified_on"] = date(answered + 1) }
        }
        scales += retests
    case 1:
        // Each scale given twice on one day: the second answer to the death/self-harm item, the first to the rest.
        var seconds: [[String: Any]] = []
        for scale in scales {
            var items = (scale["items"] as! [NSNumber]).map { _ in scale["scale"] as? String == "scl90" ? 1 : 0 }
            if let (item, answer) = critical(scale) { items[item] = answer }
            seconds.append(["scale": scale["scale"]!, "date": scale["date"]!, "items": items])
        }
        scales = index % 16 == 1 ? seconds + scales : scales + seconds
    case 2:
        // A recent answer, and a verification dated after the as-of date (not yet known).
        for position in scales.indices {
            guard let (item, answer) = critical(scales[position]) else { continue }
            var items = (scales[position]["items"] as! [NSNumber]).map(\.intValue)
            items[item] = answer
            scales[position]["items"] = items
            scales[position]["date"] = date(today - 2)
        }
        object["risk_verified_on"] = date(today + 5)
    case 3:
        // Enrolled after the as-of date; a confirmation after it too.
        object["enrolled_on"] = date(today + 20)
        object["confirmed_level"] = "crisis"
        object["confirmed_on"] = date(today + 1)
    case 4:
        // A crisis confirmed, and the student left (before the as-of date for every other, after it for the rest).
        object["confirmed_level"] = "crisis"
        object["confirmed_on"] = date(today - 30)
        object["left_on"] = date(index % 16 == 4 ? today - 1 : today + 1)
    case 5:
        // A crisis confirmed, the case closed; since then a risk fact, a staff contact, a new confirmation or nothing.
        object["confirmed_level"] = "crisis"
        object["confirmed_on"] = date(today - 20)
        object["closed_on"] = date(today - 10)
        switch index / 8 % 4 {
        case 0: events["truancy", default: []].append(date(today - 5))
        case 1: events["counsellor_contact", default: []].append(date(today - 5))
        case 2: object["confirmed_on"] = date(today - 5)
        default: break
        }
    case 6:
        // Night absences reported twice a night.
        let nights = events["night_absence"] ?? [date(today - 3)]
        events["night_absence"] = (nights + nights).sorted()
    default:
        // A confirmed level that is not a crisis, confirmed on the as-of date itself.
        object["confirmed_level"] = HandScorer.levels[index / 8 % 4]
        object["confirmed_on"] = date(today)
    }
    object["scales"] = scales
    object["events"] = events
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
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
    if !compare(text, cohort.records(0..<students), try HandStudent.convert(cohort, 0..<students), asOf: asOf) {
        failed = true
    }
}

// Edge cases, as of the benchmark's date: the engine reads them as a school's file.
let asOf = CivilDate(iso: dates[0])!
let cohort = SyntheticCohort(rules: rules, seed: 42, asOf: asOf)
let lines = (0..<min(students, 16_000)).map { edgeCase(cohort.jsonLine($0), index: $0, asOf: asOf) }
let batch = RecordReader.readJSONLines(
    Array(lines.joined(separator: "\n").utf8), file: "edge-cases.jsonl", schema: rules.schema)
if let rejected = batch.rejected.first {
    print("edge cases: \(batch.rejected.count) rejected, the first: \(rejected)")
    failed = true
} else {
    var hand = try lines.map { line throws(HandStudent.ConversionError) in try HandStudent(jsonLine: line) }
    var dorms: [String: Int32] = [:]
    for index in hand.indices {
        guard let dorm = hand[index].dorm else { continue }
        hand[index].dormID = dorms[dorm] ?? Int32(dorms.count)
        dorms[dorm] = hand[index].dormID
    }
    if !compare("edge cases \(dates[0])", batch.records, hand, asOf: asOf) { failed = true }
}
exit(failed ? 1 : 0)

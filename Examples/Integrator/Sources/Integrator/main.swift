import Foundation
import RiskScreen

// The rule files are data the centre keeps and tunes, not part of the library: give their folder (here the
// repository's campus-default, found from this file's place, unless a folder is named on the command line).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../..")
let rulesPath =
    CommandLine.arguments.dropFirst().first ?? repository.appendingPathComponent("Rules/campus-default").path
let rules = try RuleSet.load(from: rulesPath)  // throws RuleSetError with every diagnostic, file:line:column
let engine = try ScoringEngine(rules: rules)

// Two students built in code; each value is checked against the rule set's schema as the file readers check it,
// and a refusal is a RecordError at the line that gave the value.
func date(_ text: String) throws -> CivilDate {
    guard let date = CivilDate(iso: text) else { throw CocoaError(.formatting) }
    return date
}
var first = try RecordBuilder(id: "S0001", schema: rules.schema)
try first.set("college", "文学院")
try first.set("class_name", "汉语言2301")
try first.set("enrolled_on", try date("2023-09-01"))
try first.set("failed_courses", 2)
try first.addEvent("night_absence", on: try date("2026-11-10"))
try first.addEvent("night_absence", on: try date("2026-11-17"))
try first.addEvent("family_change", on: try date("2026-11-02"))  // a sensitive event kind
var second = try RecordBuilder(id: "S0002", schema: rules.schema)
try second.set("college", "理学院")
try second.set("class_name", "数学2401")
try second.set("enrolled_on", try date("2024-09-01"))
try second.set("has_three_friends", true)
let records = [try first.build(), try second.build()]

// Scored as of a date, for an audience: without one, what a role that sees no sensitive facts may see (the dorm
// liaison here). Each assessment prints as one line of JSON in the versioned AssessmentRecord shape.
let asOf = try date("2026-11-23")
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
for assessment in engine.assess(records, asOf: asOf) {
    print(String(decoding: try encoder.encode(assessment), as: UTF8.self))
}

// The centre sees sensitive facts: its view of the first student names the family change and shows the score.
if let centre = rules.role(named: "centre") {
    let view = engine.assess(records, asOf: asOf, for: .role(centre))[0]
    print(view.level, view.score, view.fired.map(\.id), view.route)
}

import Foundation
import RiskScreen
import Testing

/// Issue 15 item 2: the JSON shape is a public, versioned, Codable type, and the command writes exactly it.
@Suite struct AssessmentRecordTests {
    static let repository = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Rules, a record file and its date: campus-default on its own fixtures, and a rule set of two scores.
    static let cases: [(rules: String, input: String, asOf: String)] = [
        (repository + "/Rules/campus-default", repository + "/Fixtures/scenarios.yaml", "2026-07-20"),
        (repository + "/Rules/campus-default", repository + "/Fixtures/regression-500.yaml", "2026-11-23"),
        (
            TestSupport.testsDirectory + "/Rules/two-scores",
            TestSupport.testsDirectory + "/Rules/two-scores/fixtures/replay.yaml", "2026-11-23"
        ),
    ]

    @Test(arguments: cases.indices)
    func theCommandsJSONDecodesIntoTheRecordsTheLibraryGivesForEveryAudience(_ index: Int) throws {
        let (rulesPath, input, asOf) = Self.cases[index]
        let rules = try RuleSet.load(from: rulesPath)
        let engine = try ScoringEngine(rules: rules)
        let records = try RecordReader.read(contentsOf: input, schema: rules.schema).records
        let audiences: [(String?, Audience)] =
            [(nil, .leastPrivileged)] + rules.roles.map { ($0.id, Audience.role($0)) }
        var withheldSeen = false
        for (name, audience) in audiences {
            let result = try CommandRunner.run(
                ["score", "--rules", rulesPath, "--as-of", asOf, "--format", "json"]
                    + (name.map { ["--audience", $0] } ?? []) + [input])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            let decoded = try lines.map { try JSONDecoder().decode(AssessmentRecord.self, from: Data($0.utf8)) }
            let expected = engine.assess(records, asOf: TestSupport.date(asOf), for: audience).map(\.record)
            #expect(decoded.count == records.count)
            for (got, want) in zip(decoded, expected) where got != want {
                Issue.record("\(name ?? "default") \(got.id): the command wrote\n\(got)\nthe library gives\n\(want)")
                break
            }
            #expect(lines.allSatisfy { $0.hasPrefix(#"{"version":\#(AssessmentRecord.currentVersion),"id":"#) })
            withheldSeen = withheldSeen || decoded.contains { $0.fired.contains { $0.id == "withheld" } }
        }
        // The restricted views were really compared with something withheld (campus-default's fixtures).
        if index < 2 { #expect(withheldSeen) }
    }

    @Test func anAssessmentEncodesAsItsRecordAndReadsBackTheSame() throws {
        let rules = try TestSupport.loadCampus()
        let engine = try ScoringEngine(rules: rules)
        let records = try TestSupport.records(
            """
            - {id: R1, dorm: A-101, self_harm_risk: true, gpa: 1.234, events: {family_change: [2026-01-05]}}
            - {id: R2, dorm: A-102, failed_courses: 1, events: {night_absence: [2026-01-04, 2026-01-05]}}
            """, schema: rules.schema)
        for audience in [Audience.leastPrivileged, .fullView] {
            for assessment in engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: audience) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let data = try encoder.encode(assessment)
                let back = try JSONDecoder().decode(AssessmentRecord.self, from: data)
                #expect(back == assessment.record)
                #expect(back.version == AssessmentRecord.currentVersion && back.asOf == TestSupport.date("2026-01-10"))
                let text = String(decoding: data, as: UTF8.self)
                #expect(text.contains(#""as_of":"2026-01-10""#) && text.contains(#""confirmed_level":null"#))
                // Every key is written, a missing value as null, as the command writes it.
                let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
                #expect(Set(keys).isSuperset(of: ["version", "id", "as_of", "score", "confirmed_level", "calendar"]))
                if assessment.withheld { #expect(text.contains(#""dimension":null,"evidence":[],"id":"withheld""#)) }
                if audience == .leastPrivileged && assessment.withheld {
                    #expect(back.score == nil && back.scoreLevel == "withheld" && back.fired.last?.id == "withheld")
                }
            }
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CivilDate.self, from: Data(#""2026-02-30""#.utf8))
        }
    }
}

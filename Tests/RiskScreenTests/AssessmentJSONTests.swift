import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSynthetic
@testable import RiskScreenYAML

/// JSON rendering straight into bytes: what each role may see, and every character that must be escaped.
@Suite struct AssessmentJSONTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    func rendered(_ assessment: Assessment, visibleTo role: Role) -> String {
        var bytes: [UInt8] = []
        AssessmentJSON.append(assessment, visibleTo: role, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func renderingForARoleShowsExactlyWhatTheRedactedAssessmentShows() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: rules)
        let asOf = TestSupport.date("2026-09-15")
        let records = SyntheticCohort(rules: rules, seed: 5, asOf: asOf).records(0..<3000)
        let assessments = engine.assess(records, asOf: asOf, for: .fullView)
        let reader = rules.leastPrivilegedRole
        let counsellor = try #require(rules.roles.first { $0.seesSensitive })
        var withheld = 0
        for assessment in assessments {
            let redacted = rendered(assessment, visibleTo: reader)
            #expect(
                redacted == AssessmentFormatting.jsonLine(assessment.visible(to: reader)),
                "student \(assessment.studentID)")
            #expect(rendered(assessment, visibleTo: counsellor) == AssessmentFormatting.jsonLine(assessment))
            if redacted.contains("\"withheld\"") { withheld += 1 }
        }
        // The cohort must exercise redaction, or the comparison above proves little.
        #expect(withheld > 100)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("引号\"与\\反斜杠", #""引号\"与\\反斜杠""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("bell\u{07}and\u{1F}unit", #""bell\u0007and\u001funit""#),
        ("separators \u{2028} and \u{2029}", #""separators \u2028 and \u2029""#),
        ("dash — arrow → stay as they are", #""dash — arrow → stay as they are""#),
        ("sixteen plain bytes then a quote\"", #""sixteen plain bytes then a quote\"""#),
        ("", #""""#),
    ])
    func textsAreEscapedOnlyWhereJSONRequires(text: String, expected: String) throws {
        var bytes: [UInt8] = []
        AssessmentJSON.appendString(text, to: &bytes)
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(json == expected)
        // And it reads back as the same text.
        let decoded = try JSONSerialization.jsonObject(with: Data(("[" + json + "]").utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test(arguments: [
        (0.0, "0"), (-0.001, "0"), (3.0, "3"), (-12.0, "-12"), (2.345, "2.35"), (0.1 + 0.2, "0.3"),
        (1e15, "1000000000000000.0"),
        (Double.nan, "null"), (123_456_789_012_345.0, "123456789012345"),
    ])
    func numbersAreWrittenAsTheTextFormatWritesThem(value: Double, expected: String) {
        var bytes: [UInt8] = []
        AssessmentJSON.appendNumber(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(AssessmentFormatting.number(value) == expected)
    }
}

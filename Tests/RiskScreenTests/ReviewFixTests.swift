import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Fixes from the second review of the hardening change, each with the case that showed it.
@Suite struct ReviewFixTests {
    @Test func aRejectedSensitiveValueIsNotQuotedToARoleThatMayNotSeeIt() throws {
        // A self-harm flag written wrongly used to be quoted on standard error to every audience.
        let directory = try TestSupport.directory([
            "r.yaml":
                "- {id: S1, self_harm_risk: maybe}\n- {id: S2, failed_courses: x}\n- {id: S3, events: {family_change: [2026-13-01]}}\n"
        ])
        let restricted = try CommandRunner.run([
            "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", directory + "/r.yaml",
        ])
        #expect(
            !restricted.stderr.contains("maybe") && !restricted.stderr.contains("self_harm")
                && !restricted.stderr.contains("2026-13-01"))
        #expect(
            restricted.stderr.contains(
                "r.yaml:1:28: error: student S1: found a sensitive value that could not be read; the reason is shown to roles that see sensitive facts"
            ))
        #expect(restricted.stderr.contains("r.yaml:2:28: error: student S2, field failed_courses: found \"x\""))
        let centre = try CommandRunner.run(
            [
                "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", "--audience", "centre",
                directory + "/r.yaml",
            ])
        #expect(
            centre.stderr.contains(
                "student S1, field self_harm_risk: found \"maybe\"; expected one of: true, 是, 1, false, 否, 0"))
        #expect(centre.stderr.contains("2026-13-01"))
    }

    @Test func theTableNamesTheEscalationOfAStudentWithNoIndicator() throws {
        // Operator precedence dropped the escalations and caps whenever no indicator was shown.
        let rules = try TestSupport.loadCampus()
        let engine = try ScoringEngine(rules: rules)
        let records = try TestSupport.records("- {id: S1, self_harm_risk: true}", schema: rules.schema)
        let assessment = try #require(
            engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView).first)
        let escalations = assessment.escalations.filter { $0.changedLevel == true }.map(\.id)
        try #require(!escalations.isEmpty)
        let row = AssessmentFormatting.assessmentTable([assessment]).split(separator: "\n")[1]
        for id in escalations { #expect(row.contains("escalation \(id)"), "\(row)") }
    }

    @Test func aNamedPipeWithNoReaderIsRefusedAsOutput() throws {
        let directory = try TestSupport.directory(["r.yaml": "- {id: S1}\n"])
        #expect(mkfifo(directory + "/out.json", 0o600) == 0)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try CommandRunner.run(
            [
                "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", "--format", "json", "--output",
                directory + "/out.json",
                directory + "/r.yaml",
            ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("found a named pipe with no reader"))
        #expect(clock.now - start < .seconds(10))
    }

    @Test func noRuleMayBeCalledWithheld() throws {
        let text = """
            levels:
              - id: none
              - id: withheld
                from: 1

            """
        let path = try TestSupport.directory(["rules.yaml": text])
        do {
            _ = try RuleSet.load(from: path)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.map(\.message).contains(
                    "found the id \"withheld\" in levels; expected another name (outputs use withheld for what a role may not see)"
                ))
        }
    }

    @Test func twoOutputsMayShareADevice() throws {
        // /dev/stdout and /dev/stderr (or /dev/null twice) were refused as "the same file".
        let directory = try TestSupport.directory(["r.yaml": "- {id: S1}\n"])
        let result = try CommandRunner.run(
            [
                "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", "--format", "json", "--output",
                "/dev/null",
                "--summary", "/dev/null", directory + "/r.yaml",
            ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aLinkToNothingIsRefusedAsOutputAndKept() throws {
        // A dangling link was replaced by a regular file.
        let directory = try TestSupport.directory(["r.yaml": "- {id: S1}\n"])
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/out.json", withDestinationPath: directory + "/missing/out.json")
        let result = try CommandRunner.run(
            [
                "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", "--format", "json", "--output",
                directory + "/out.json",
                directory + "/r.yaml",
            ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("found a link to a file that does not exist"))
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/out.json")) == directory
                + "/missing/out.json")
    }
}

import Foundation
import Testing

@Suite("riskscreen report")
struct ReportCommandTests {
    @Test func writesOneSelfContainedPageAsTheLeastPrivilegedRoleSeesIt() throws {
        let output = try TestSupport.directory([:]) + "/report.html"
        let result = try CommandRunner.run([
            "report", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--previous", "2025-12-10",
            try CommandFixtures.input(), "--output", output,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        // The rejected record is on standard error and counted in the header.
        #expect(result.stderr.contains("student S003, field failed_courses"))
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("4 scored, 1 rejected, 2 at attention or above"))
        #expect(html.contains("<code>dorm_liaison</code>"))
        #expect(html.contains("the least privileged view"))
        #expect(html.contains("Movers from 2025-12-10 to 2026-01-10"))
        // S001's red flag reads a sensitive field: withheld, with the score.
        #expect(!html.contains("red_flag"))
        #expect(html.contains("withheld"))
        // Nothing is loaded from anywhere.
        for reference in ["<script", "src=", "href=\"http", "url(", "@import", "<link", "<img"] {
            #expect(!html.contains(reference), "the page refers to \(reference)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func anAudienceThatSeesSensitiveFactsIsShownThem() throws {
        let output = try TestSupport.directory([:]) + "/report.html"
        let result = try CommandRunner.run([
            "report", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--audience", "counsellor",
            try CommandFixtures.input(), "--output", output,
        ])
        #expect(result.status == 0)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("red_flag"))
        #expect(!html.contains("withheld:") && !html.contains(">withheld<") && !html.contains("score withheld"))
        #expect(!html.contains("least privileged"))
        #expect(!html.contains("id=\"movers\""))
    }

    @Test(arguments: [
        (["--as-of", "2026-01-10"], "missing --output"),
        (["--as-of", "2026-13-01", "--output", "OUT"], "--as-of 2026-13-01: expected a date YYYY-MM-DD"),
        (["--as-of", "2026-01-10", "--previous", "10/12/2025", "--output", "OUT"], "--previous 10/12/2025"),
        (
            ["--as-of", "2026-01-10", "--previous", "2026-01-10", "--output", "OUT"],
            "--previous 2026-01-10 is not before --as-of 2026-01-10"
        ),
        (
            ["--as-of", "2026-01-10", "--previous", "2026-02-01", "--output", "OUT"],
            "--previous 2026-02-01 is not before --as-of 2026-01-10"
        ),
        (["--as-of", "2026-01-10", "--audience", "janitor", "--output", "OUT"], "--audience janitor"),
        (["--as-of", "2026-01-10", "--encoding", "latin1", "--output", "OUT"], "--encoding latin1"),
    ])
    func badUsageExits64WithAMessageAndWritesNothing(options: [String], message: String) throws {
        let folder = try TestSupport.directory([:])
        let output = folder + "/report.html"
        let result = try CommandRunner.run(
            ["report", "--rules", CommandFixtures.rules] + options.map { $0 == "OUT" ? output : $0 }
                + [try CommandFixtures.input()])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func anOutputThatIsAnInputIsRefusedBeforeAnythingIsRead() throws {
        let input = try CommandFixtures.input()
        let before = try String(contentsOfFile: input, encoding: .utf8)
        let result = try CommandRunner.run([
            "report", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", input, "--output", input,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--output"))
        #expect(try String(contentsOfFile: input, encoding: .utf8) == before)
    }
}

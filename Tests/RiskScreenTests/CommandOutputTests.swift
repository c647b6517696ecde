import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenYAML

/// The files the command writes: never an input, whole or not at all, with the mode of the file they replace, and
/// no temporary left behind.
@Suite("riskscreen output files")
struct CommandOutputTests {
    /// The command's two ways to hold a temporary: unnamed (`O_TMPFILE`) where the system has it, named otherwise.
    static let temporaryKinds: [[String: String]] = [[:], ["RISKSCREEN_NAMED_TEMPORARIES": "1"]]

    static func score(_ options: [String], input: String, environment: [String: String] = [:]) throws
        -> CommandRunner.Result
    {
        try CommandRunner.run(
            ["score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json"] + options + [
                input
            ],
            environment: environment)
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test(arguments: ["students.yaml", "./students.yaml", "link.yaml", "hard.yaml"])
    func outputNamingTheInputIsRefusedAndTheInputKept(spelling: String) throws {
        let input = try CommandFixtures.input()
        let directory = (input as NSString).deletingLastPathComponent
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/link.yaml", withDestinationPath: "students.yaml")
        try FileManager.default.linkItem(atPath: input, toPath: directory + "/hard.yaml")
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let result = try Self.score(["--output", directory + "/" + spelling], input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--output names the input"))
        #expect(result.stderr.contains("expected a file that is not read by this run"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test func outputNamingATableOfAnInputDirectoryIsRefused() throws {
        let directory = try TestSupport.directory([
            "students.csv": "id,college,enrolled_on\nS1,文学院,2025-09-01\n",
            "events.csv": "student_id,kind,date\nS1,night_absence,2026-01-02\n",
        ])
        let before = try String(contentsOfFile: directory + "/events.csv", encoding: .utf8)
        let result = try Self.score(["--output", directory + "/events.csv"], input: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--output names the input"))
        #expect(try String(contentsOfFile: directory + "/events.csv", encoding: .utf8) == before)
    }

    @Test func outputNamingARuleFileIsRefused() throws {
        let rules = try TestSupport.directory([:]) + "/rules"
        try FileManager.default.copyItem(atPath: CommandFixtures.rules, toPath: rules)
        let ruleFile =
            rules + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: rules).sorted().first))
        let before = try Data(contentsOf: URL(fileURLWithPath: ruleFile))
        let result = try CommandRunner.run(
            [
                "score", "--rules", rules, "--as-of", "2026-01-10", "--format", "json", "--output", ruleFile,
                try CommandFixtures.input(),
            ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--output names the input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: ruleFile)) == before)
        let generated = try CommandRunner.run([
            "generate", "--students", "3", "--seed", "1", "--rules", rules, "--output", ruleFile,
        ])
        #expect(generated.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: ruleFile)) == before)
    }

    /// Standard error gets the summary once the result is in place (from a scratch file since b2bcb34): the same bytes
    /// --summary writes, after the rejections, and nothing left beside the output.
    @Test func theSummaryOnStandardErrorIsTheOneSummaryWrites() throws {
        let (directory, input) = (try TestSupport.directory([:]), try CommandFixtures.input())
        let toFile = try Self.score(
            ["--output", directory + "/file.jsonl", "--summary", directory + "/summary.txt"], input: input)
        let toStandardError = try Self.score(["--output", directory + "/error.jsonl"], input: input)
        #expect(toFile.status == 0 && toStandardError.status == 0, "\(toStandardError.stderr)")
        let summary = try String(contentsOfFile: directory + "/summary.txt", encoding: .utf8)
        #expect(summary.hasPrefix("Counts by college and class (4 scored, 1 rejected)"))
        #expect(toStandardError.stderr == toFile.stderr + summary)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
                == ["error.jsonl", "file.jsonl", "summary.txt"])
    }

    /// Without a folder for the scratch file, a result on standard output still gets its summary (held whole).
    @Test func theSummaryIsShownWhereNoScratchFileCanBeMade() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json",
                try CommandFixtures.input(),
            ],
            environment: ["TMPDIR": "/nonexistent-riskscreen-folder"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"{"version":1,"id":"S001""#))
        #expect(result.stderr.contains("Counts by college and class (4 scored, 1 rejected)"))
    }

    @Test func outputEqualToSummaryIsRefused() throws {
        let directory = try TestSupport.directory([:])
        let result = try Self.score(
            ["--output", directory + "/result", "--summary", directory + "/./result"],
            input: try CommandFixtures.input())
        #expect(result.status == 1)
        #expect(result.stderr.contains("--summary names the same file as --output"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func existingOutputKeepsItsModeAndANewOneIs0600() throws {
        let directory = try TestSupport.directory(["private.jsonl": "old\n", "shared.jsonl": "old\n"])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/private.jsonl")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: directory + "/shared.jsonl")
        for name in ["private.jsonl", "shared.jsonl", "new.jsonl"] {
            let result = try Self.score(
                ["--output", directory + "/" + name, "--summary", directory + "/summary-" + name],
                input: try CommandFixtures.input())
            #expect(result.status == 0, "\(result.stderr)")
            let written = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(written.hasPrefix(#"{"version":1,"id":"S001""#))
        }
        #expect(try Self.mode(directory + "/private.jsonl") == 0o600)
        #expect(try Self.mode(directory + "/shared.jsonl") == 0o640)
        #expect(try Self.mode(directory + "/new.jsonl") == 0o600)
        #expect(try Self.mode(directory + "/summary-new.jsonl") == 0o600)
    }

    @Test(arguments: temporaryKinds)
    func unwritableSummaryLeavesTheOutputAsItWasAndNoTemporary(environment: [String: String]) throws {
        let directory = try TestSupport.directory(["result.jsonl": "the previous result\n"])
        let result = try Self.score(
            ["--output", directory + "/result.jsonl", "--summary", directory + "/missing/summary.txt"],
            input: try CommandFixtures.input(),
            environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing/summary.txt: error: could not create a temporary file in the folder"))
        #expect(result.stderr.contains("No such file or directory (errno 2)"))
        #expect(try String(contentsOfFile: directory + "/result.jsonl", encoding: .utf8) == "the previous result\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["result.jsonl"])
    }

    @Test(arguments: temporaryKinds)
    func fileSizeLimitFailsTheWriteAndLeavesNoTemporary(environment: [String: String]) throws {
        let directory = try TestSupport.directory(["cohort.jsonl": "the previous cohort\n"])
        let binary = try #require(CommandRunner.executable)
        // `ulimit -f 1`: at most 512 or 1024 bytes, far less than 300 students.
        let result = try CommandRunner.run(
            [
                "-c", "ulimit -f 1 && exec \"$0\" \"$@\"", binary, "generate", "--students", "300", "--seed", "1",
                "--rules",
                CommandFixtures.rules, "--output", directory + "/cohort.jsonl",
            ],
            environment: environment, executable: "/bin/sh")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cohort.jsonl: error: could not write the result: File too large (errno 27)"))
        #expect(try String(contentsOfFile: directory + "/cohort.jsonl", encoding: .utf8) == "the previous cohort\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["cohort.jsonl"])
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func stoppedRunRemovesItsNamedTemporary(signal: Int32) throws {
        let binary = try #require(CommandRunner.executable)
        let directory = try TestSupport.directory([:])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "generate", "--students", "2000000", "--seed", "1", "--rules", CommandFixtures.rules, "--output",
            directory + "/big.jsonl",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["RISKSCREEN_NAMED_TEMPORARIES": "1"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Waits (at most 20 s) for the temporary to appear, then stops the run.
        var sawTemporary = false
        for _ in 0..<400 where !sawTemporary {
            sawTemporary = try FileManager.default.contentsOfDirectory(atPath: directory).contains {
                $0.contains(".riskscreen-tmp-")
            }
            if !sawTemporary { Thread.sleep(forTimeInterval: 0.05) }
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(sawTemporary)
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func writeErrorIsASentenceWithTheSystemsReason() throws {
        let toStandardOutput = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json",
                try CommandFixtures.input(),
            ],
            standardOutput: "/dev/full")
        #expect(toStandardOutput.status == 1)
        #expect(
            toStandardOutput.stderr.contains(
                "standard output: error: could not write the result: No space left on device (errno 28)"))
        #expect(!toStandardOutput.stderr.contains("Domain"))
        let toFile = try Self.score(["--output", "/dev/full"], input: try CommandFixtures.input())
        #expect(toFile.status == 1)
        #expect(
            toFile.stderr.contains("/dev/full: error: could not write the result: No space left on device (errno 28)"))
    }

    @Test func outputToTheStandardOutputDeviceWritesThroughIt() throws {
        let directory = try TestSupport.directory([:])
        let redirected = directory + "/redirected.jsonl"
        _ = FileManager.default.createFile(atPath: redirected, contents: nil)
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", "--output",
                "/dev/stdout",
                try CommandFixtures.input(),
            ],
            standardOutput: redirected)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: redirected, encoding: .utf8).split(separator: "\n").count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["redirected.jsonl"])
        var isLink = false
        if let type = try? FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType {
            isLink = type == .typeSymbolicLink
        }
        #expect(isLink)
    }

    @Test func recordedFixtureKeepsItsMode() throws {
        let fixture = """
            rules: \(CommandFixtures.rules)
            as_of: 2026-01-10
            students:
              - id: S004
                college: 理学院
                enrolled_on: 2023-09-01
                expect: {level: crisis}
            """
        let path = try TestSupport.directory(["fixture.yaml": fixture]) + "/fixture.yaml"
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let result = try CommandRunner.run(["replay", "--record", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 expectation re-recorded"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("level: none"))
        #expect(try Self.mode(path) == 0o640)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == [
                "fixture.yaml"
            ])
    }

    @Test func unknownAudienceNamesTheRolesWithoutTheRootUsage() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--audience", "janitor",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--audience janitor: found no such role in the rule set test-campus"))
        #expect(result.stderr.contains("expected one of its roles: dorm_liaison, class_committee, counsellor, centre"))
        #expect(!result.stderr.contains("Usage"))
        let explain = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--student", "S001", "--audience",
                "janitor", try CommandFixtures.input(),
            ])
        #expect(explain.status == 64)
        #expect(!explain.stderr.contains("Usage"))
    }

    @Test func summaryWithTheTableFormatIsAnError() throws {
        let directory = try TestSupport.directory([:])
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--summary",
                directory + "/summary.txt", try CommandFixtures.input(),
            ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("the table (--format table, the default) already includes the summary"))
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}

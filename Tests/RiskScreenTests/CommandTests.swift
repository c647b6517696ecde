import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Runs the built `riskscreen` binary (build it first: `swift build`, which `swift test` also does).
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: `$RISKSCREEN_BIN`, or `riskscreen` in the products directory beside the test bundle.
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["RISKSCREEN_BIN"] { return path }
        var candidates: [URL] = []
        let main = Bundle.main.bundleURL
        candidates.append(main.appendingPathComponent("riskscreen"))
        candidates.append(main.deletingLastPathComponent().appendingPathComponent("riskscreen"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("riskscreen"))
        }
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the command (or `executable` when given) with `environment` added to the test's own, its standard output
    /// going to `standardOutput` when given (then `stdout` is empty).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], standardOutput: String? = nil,
        executable: String? = nil, currentDirectory: String? = nil
    ) throws -> Result {
        let binary = try #require(executable ?? Self.executable, "riskscreen is not built: run swift build first")
        let directory = try TestSupport.directory([:])
        let outPath = directory + "/stdout"
        let errPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutput ?? outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let stdout = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// Records for the test-campus rules: S001 in crisis (self-harm risk), S002 attention (a PHQ-9 of 13), S003
/// rejected (failed_courses is not a number), S004 at none, S005 two night absences (moves under test-college).
enum CommandFixtures {
    static let yaml = """
        students:
          - id: S001
            college: 文学院
            class_name: 中文2025级1班
            enrolled_on: 2025-09-01
            failed_courses: 2
            gpa: 1.8
            family_structure: single_parent
            self_harm_risk: true
            events: {night_absence: [2026-01-02, 2026-01-05], family_change: [2025-12-01]}
          - id: S002
            college: 理学院
            class_name: 数学1班
            enrolled_on: 2024-09-01
            failed_courses: 0
            scales:
              - {scale: phq9, date: 2025-12-20, items: [2,2,2,2,2,1,1,1,0]}
          - id: S003
            college: 文学院
            enrolled_on: 2025-09-01
            failed_courses: abc
          - id: S004
            college: 理学院
            enrolled_on: 2023-09-01
          - id: S005
            college: 理学院
            class_name: 数学1班
            enrolled_on: 2023-09-01
            events: {night_absence: [2026-01-02, 2026-01-05]}
        """

    static func input() throws -> String {
        try TestSupport.directory(["students.yaml": yaml]) + "/students.yaml"
    }

    static let rules = TestSupport.campusRules
}

@Suite("riskscreen score")
struct CommandScoreTests {
    @Test func tableListsAssessmentsCountsAndAttention() throws {
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", try CommandFixtures.input(),
        ])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        // By default the least privileged reader's view: the red flag reads sensitive facts, so it is withheld, and with
        // it the score and the level by score.
        #expect(
            lines.contains {
                $0.split(separator: " ").prefix(6) == ["S001", "crisis", "—", "new", "withheld", "withheld"]
                    && $0.hasSuffix(", withheld")
            })
        #expect(!result.stdout.contains("red_flag"))
        #expect(!lines.contains { $0.hasPrefix("S003") })
        #expect(result.stdout.contains("Counts by college and class (4 scored, 1 rejected)"))
        // The attention list: crisis first, then attention by score; S004 (none) and S005 (score 2) are not on it.
        let attention = try #require(lines.firstIndex { $0.hasPrefix("Attention list (2") })
        #expect(lines[attention + 2].contains("S001"))
        #expect(lines[attention + 3].contains("S002"))
        #expect(result.stderr.contains("students.yaml:21:21:"))
        #expect(result.stderr.contains("student S003, field failed_courses"))
        #expect(!result.stdout.contains("error:"))
        #expect(result.stdout.contains("不是诊断"))
    }

    @Test func tableAlignsWideCharacters() throws {
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", try CommandFixtures.input(),
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("COLLEGE") })
        let row = try #require(lines.first { $0.hasPrefix("文学院") })
        // "none" ends at the same display column in the header and in a row that starts with Chinese text.
        let headerEnd = AssessmentFormatting.displayWidth(String(header[..<header.range(of: "none")!.upperBound]))
        let cells = row.split(separator: " ", omittingEmptySubsequences: true)
        let prefix = row[..<row.range(of: " " + cells[2] + " ")!.upperBound].dropLast()
        #expect(AssessmentFormatting.displayWidth(String(prefix)) == headerEnd)
    }

    @Test func jsonLinesOnePerAssessmentWithSummaryOnStandardError() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        let objects = try lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["id"] as? String } == ["S001", "S002", "S004", "S005"])
        let first = objects[0]
        for key in [
            "id", "score", "level", "score_level", "route", "response", "parents", "fired", "escalations", "caps",
            "calendar", "notice",
        ] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["level"] as? String == "crisis")
        // family_change reads a sensitive event: withheld by default, with its dimension and points, and so the score.
        #expect(first["score"] is NSNull)
        #expect(first["score_level"] as? String == "withheld")
        let fired = try #require(first["fired"] as? [[String: Any]])
        #expect(!fired.contains { $0["id"] as? String == "family_change" })
        let withheld = try #require(fired.last)
        #expect(withheld["id"] as? String == "withheld")
        #expect(withheld["dimension"] is NSNull && withheld["points"] is NSNull)
        #expect((withheld["evidence"] as? [[String: Any]])?.isEmpty == true)
        #expect(result.stderr.contains("Attention list (2"))
        #expect(result.stderr.contains("student S003"))
    }

    @Test func audienceThatSeesSensitiveFactsSeesThem() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", "--audience",
                "counsellor", try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#"{"label":"days_since(family_change)","value":"40"}"#))
        #expect(!result.stdout.contains("withheld"))
    }

    @Test func unknownAudienceIsAUsageError() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--audience", "janitor",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--audience janitor"))
        #expect(result.stderr.contains("counsellor"))
        #expect(result.stdout.isEmpty)
    }

    @Test func csvHasAHeaderAndOneRowPerAssessment() throws {
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "csv",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 5)
        #expect(rows[0] == AssessmentFormatting.csvHeader)
        #expect(
            rows[1].hasPrefix(
                "S001,文学院,中文2025级1班,2026-01-10,crisis,危机,Crisis,,new,withheld,withheld,counsellor > centre,yes,"))
        #expect(result.stderr.contains("Counts by college and class"))
    }

    @Test func strictFailsOnAnyRejectionAndWritesNothing() throws {
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--strict", try CommandFixtures.input(),
        ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("student S003"))
        #expect(result.stderr.contains("--strict"))
    }

    @Test func outputIsWrittenToAFileAndNothingElseIsLeft() throws {
        let directory = try TestSupport.directory([:])
        let output = directory + "/result.jsonl"
        let result = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", "--output",
                output, "--summary", directory + "/summary.txt", try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written.split(separator: "\n").count == 4)
        #expect(try String(contentsOfFile: directory + "/summary.txt", encoding: .utf8).contains("Attention list"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["result.jsonl", "summary.txt"])
    }

    @Test(arguments: [
        (["--as-of", "2026-1-10"], "--as-of 2026-1-10"),
        (["--as-of", "2026-02-30"], "--as-of 2026-02-30"),
        (["--as-of", "2026-01-10", "--format", "xml"], "xml"),
        (["--as-of", "2026-01-10", "--encoding", "latin1"], "--encoding latin1"),
    ])
    func badOptionsAreUsageErrors(options: [String], message: String) throws {
        let result = try CommandRunner.run(
            ["score", "--rules", CommandFixtures.rules] + options + [try CommandFixtures.input()])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
        #expect(result.stdout.isEmpty)
    }

    @Test func badRulesExitOneWithLocations() throws {
        let rules = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: broken}
            schema:
              fields: {gpa: number}
            levels:
              - {id: none}
              - {id: attention, from: 3}
            indicators:
              - {id: low, label: Low, dimension: checkable, when: "gpaa < 2", points: 1}
            """
        ])
        let result = try CommandRunner.run([
            "score", "--rules", rules, "--as-of", "2026-01-10", try CommandFixtures.input(),
        ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("rules.yaml:8:"))
        #expect(result.stderr.contains("error"))
    }

    @Test func unreadableInputExitsOne() throws {
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "/nonexistent/students.jsonl",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/students.jsonl"))
    }

    @Test func jsonLinesInputWithABadLine() throws {
        let input =
            try TestSupport.directory([
                "s.jsonl": """
                {"id":"J1","college":"文学院","enrolled_on":"2025-09-01","self_harm_risk":true}
                {"id":"J2","gpa":"high"}
                {"id":"J3",
                """
            ]) + "/s.jsonl"
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", input,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("s.jsonl:2:"))
        #expect(result.stderr.contains("field gpa"))
        #expect(result.stderr.contains("s.jsonl:3:"))
    }

    @Test func helpDocumentsExitCodes() throws {
        for command in ["score", "explain", "diff", "generate"] {
            let result = try CommandRunner.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Exit codes"), "\(command) --help")
        }
    }
}

@Suite("riskscreen score with CSV")
struct CommandCSVTests {
    static let students =
        "\u{FEFF}id,college,class_name,enrolled_on,failed_courses,self_harm_risk\r\nC1,\"文学院, 北校区\",中文1班,2025-09-01,0,\r\nC2,理学院,数学1班,2024-09-01,1,false\r\n"
    static let events = "student_id,kind,date\nC2,night_absence,2026-01-02\nC2,night_absence,2026-01-05\n"
    static let scales =
        "student_id,scale,date,item1,item2,item3,item4,item5,item6,item7,item8,item9\nC1,phq9,2025-12-20,2,2,2,2,2,2,1,1,1\n"

    @Test func directoryOfTablesIsJoinedByStudentID() throws {
        let directory = try TestSupport.directory([
            "students.csv": Self.students, "events.csv": Self.events, "scales.csv": Self.scales,
        ])
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", "--audience",
            "centre", directory,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].contains(#""id":"C1""#) && lines[0].contains("positive_scale"))
        #expect(lines[1].contains(#""id":"C2""#) && lines[1].contains("night_absence"))
    }

    @Test func studentsFileFindsItsCompanions() throws {
        let directory = try TestSupport.directory([
            "2026-students.csv": Self.students, "2026-events.csv": Self.events, "2026-scales.csv": Self.scales,
        ])
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "csv",
            directory + "/2026-students.csv",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("night_absence:+2"))
    }

    @Test func gb18030IsRefusedWithoutTheFlagAndReadWithIt() throws {
        let text = "id,college,class_name,enrolled_on\r\nG1,文学院,中文1班,2025-09-01\r\n"
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        let data = try #require(text.data(using: gb18030))
        let directory = try TestSupport.directory([:])
        try data.write(to: URL(fileURLWithPath: directory + "/students.csv"))
        let refused = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", directory,
        ])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("students.csv:2:"))
        #expect(refused.stderr.contains("--encoding gb18030"))
        #expect(refused.stdout.isEmpty)
        let read = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--encoding", "gb18030", directory,
        ])
        #expect(read.status == 0)
        #expect(read.stdout.contains("文学院"))
    }

    @Test func badEventRowRejectsItsStudentWithFileLineAndField() throws {
        let directory = try TestSupport.directory([
            "students.csv": Self.students,
            "events.csv": "student_id,kind,date\nC2,night_absense,2026-01-02\nC9,night_absence,2026-01-02\n",
        ])
        let result = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", directory,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(
            result.stderr.contains(
                "events.csv:2:4: error: student C2, field events: found the unknown event kind \"night_absense\""))
        #expect(result.stderr.contains("events.csv:3:1: error: student C9, field events"))
    }
}

@Suite("riskscreen explain")
struct CommandExplainTests {
    @Test func explainsPointByPointAndWhatCameClose() throws {
        let result = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--student", "S002", "--audience",
                "counsellor",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("S002: attention (score 3, as of 2026-01-10)"))
        #expect(result.stdout.contains("+3  positive_scale"))
        #expect(result.stdout.contains("Closest to firing:"))
        // suicidal_ideation reads self_harm_risk, which S002's record lacks: unknown, listed first as a red flag.
        let close = try #require(result.stdout.components(separatedBy: "Closest to firing:\n").last)
        #expect(close.hasPrefix("  suicidal_ideation"))
        #expect(close.contains("unknown for lack of data"))
    }

    @Test func outsideItsWindowIsCloseToFiring() throws {
        // S001 enrolled 2025-09-01; on 2025-11-01 freshman_autumn's condition holds but autumn_start is over.
        let result = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2025-10-20", "--student", "S001",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        #expect(
            result.stdout.contains(
                "freshman_autumn 新生入学 (up to +1): condition holds, but it counts only during autumn_start"))
    }

    @Test func cohortRulesReachTheExplainedStudentAsInScore() throws {
        // R1 is in crisis; R2, in the same dorm with nothing of its own, rises to attention by the roommate rule.
        let input =
            try TestSupport.directory([
                "dorm.yaml": """
                students:
                  - {id: R1, college: 文学院, enrolled_on: 2025-09-01, dorm: A-101, self_harm_risk: true}
                  - {id: R2, college: 文学院, enrolled_on: 2025-09-01, dorm: A-101}
                """
            ]) + "/dorm.yaml"
        let scored = try CommandRunner.run(
            [
                "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "json", "--audience",
                "counsellor", input,
            ])
        #expect(
            scored.stdout.split(separator: "\n").last?.contains(
                #""id":"R2","as_of":"2026-01-10","score":0,"level":"attention""#) == true)
        let result = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--student", "R2", "--audience",
                "counsellor", input,
            ])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("R2: attention (score 0, as of 2026-01-10)"))
        #expect(result.stdout.contains("cohort rule roommate_exposure: at least attention (applied)"))
    }

    @Test func unknownStudentExitsOne() throws {
        let result = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--student", "S999",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("found no student S999"))
    }

    @Test func rejectedStudentExitsOneWithTheReason() throws {
        let result = try CommandRunner.run(
            [
                "explain", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--student", "S003",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("student S003 was rejected"))
        #expect(result.stderr.contains("field failed_courses"))
    }
}

@Suite("riskscreen diff")
struct CommandDiffTests {
    @Test func matrixAndMovers() throws {
        let result = try CommandRunner.run(
            [
                "diff", "--old", CommandFixtures.rules, "--new", TestSupport.collegeRules, "--as-of", "2026-01-10",
                try CommandFixtures.input(),
            ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("rows test-campus (old), columns test-college (new); 4 students"))
        // S005: two night absences, 2 points (none) under test-campus, 4 points (attention from 2) under test-college.
        #expect(result.stdout.contains("S005: none → attention (score 2 → 4)"))
        #expect(result.stdout.contains("~ night_absence +2 → +4"))
        let matrixRow = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("none ") })
        #expect(matrixRow.split(separator: " ").map(String.init) == ["none", "1", "1", "0", "0", "0"])
        #expect(result.stderr.contains("old rules:") && result.stderr.contains("student S003"))
    }
}

@Suite("riskscreen generate")
struct CommandGenerateTests {
    @Test func sameSeedSameCohortAndItScores() throws {
        let first = try CommandRunner.run([
            "generate", "--students", "300", "--seed", "11", "--rules", CommandFixtures.rules,
        ])
        let second = try CommandRunner.run([
            "generate", "--students", "300", "--seed", "11", "--rules", CommandFixtures.rules,
        ])
        let other = try CommandRunner.run([
            "generate", "--students", "300", "--seed", "12", "--rules", CommandFixtures.rules,
        ])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
        #expect(first.stdout.split(separator: "\n").count == 300)
        let file = try TestSupport.directory(["c.jsonl": first.stdout]) + "/c.jsonl"
        let scored = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-03-15", "--strict", "--format", "json", file,
        ])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdout.split(separator: "\n").count == 300)
    }

    @Test func csvTablesRoundTrip() throws {
        let directory = try TestSupport.directory([:]) + "/cohort"
        let generated = try CommandRunner.run(
            [
                "generate", "--students", "200", "--seed", "3", "--format", "csv", "--output", directory, "--rules",
                CommandFixtures.rules,
            ])
        #expect(generated.status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "events.csv", "scales.csv", "students.csv",
            ])
        let scored = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-03-15", "--strict", "--format", "csv",
            directory,
        ])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 201)
    }

    @Test func csvNeedsAnOutputDirectory() throws {
        let result = try CommandRunner.run([
            "generate", "--students", "2", "--seed", "1", "--format", "csv", "--rules", CommandFixtures.rules,
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--output DIR"))
    }
}

/// `validate` names what it checked.
@Suite struct ValidateCommandTests {
    @Test func validatingACopyOfARuleSetNamesTheCopyBeforeTheIdItKept() throws {
        let copy = try TestSupport.directory([:]) + "/my-rules"
        try FileManager.default.copyItem(atPath: TestSupport.campusRules, toPath: copy)
        let result = try CommandRunner.run(["validate", copy])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\(copy) (rule set \(try TestSupport.loadCampus().id)): "))
    }
}

@Suite("riskscreen generate")
struct GenerateCommandTests {
    /// Issue 16: `generate` with its default `--rules` works from a folder other than the checkout (the default is
    /// looked up beside the executable when the current folder has no Rules/campus-default), and an explicit
    /// `--rules` that is not there is still an error that names it.
    @Test func theDefaultRulesAreFoundFromAnyFolder() throws {
        let elsewhere = try TestSupport.directory([:])
        let result = try CommandRunner.run(
            ["generate", "--students", "2", "--seed", "1", "--as-of", "2026-09-01"], currentDirectory: elsewhere)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 2 && result.stdout.contains("\"enrolled_on\""))
        let missing = try CommandRunner.run(
            ["generate", "--students", "2", "--seed", "1", "--rules", "Rules/nowhere", "--as-of", "2026-09-01"],
            currentDirectory: elsewhere)
        #expect(missing.status != 0 && missing.stderr.contains("Rules/nowhere"), "\(missing.stderr)")
    }
}

import Foundation
import Testing

@testable import RiskScreen

/// Every CSV the command writes follows one byte-order-mark rule, `score`'s: a UTF-8 byte order mark at the start of
/// a file named `.csv`, none on standard output, `--bom`/`--no-bom` to choose (issue 16, points 3 and 4).
@Suite struct ByteOrderMarkTests {
    static let mark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    @Test func generateStartsEachTableWithTheMarkUnlessToldNot() throws {
        let directory = try TestSupport.directory([:])
        for (name, extra) in [("default", [String]()), ("none", ["--no-bom"])] {
            let result = try CommandRunner.run(
                ["generate", "--students", "5", "--seed", "1", "--format", "csv", "--rules", CommandFixtures.rules]
                    + extra + ["--output", directory + "/" + name])
            #expect(result.status == 0, "\(result.stderr)")
        }
        for table in ["students", "events", "scales"] {
            let marked = Self.bytes(directory + "/default/\(table).csv")
            let plain = Self.bytes(directory + "/none/\(table).csv")
            #expect(marked.starts(with: Self.mark) && !plain.starts(with: Self.mark))
            #expect(Array(marked.dropFirst(3)) == plain)
        }
        let jsonl = try CommandRunner.run([
            "generate", "--students", "1", "--seed", "1", "--bom", "--rules", CommandFixtures.rules,
        ])
        #expect(jsonl.status == 64 && jsonl.stderr.contains("a byte order mark is written only in CSV"))
        let headers = try CommandRunner.run([
            "generate", "--students", "1", "--seed", "1", "--headers", "zh", "--rules", CommandFixtures.rules,
        ])
        #expect(headers.status == 64 && headers.stderr.contains("only CSV has a header"))
    }

    @Test func diffWritesTheMarkInASummaryFileNamedCSVAndOnStandardOutputOnlyWhenAsked() throws {
        let directory = try TestSupport.directory([:])
        let input = try AsOfDiffFixtures.input()
        func diff(_ extra: [String]) throws -> CommandRunner.Result {
            try CommandRunner.run(
                ["diff", "--rules", AsOfDiffFixtures.rules, "--from", "2026-06-01", "--to", "2026-07-01"] + extra
                    + [input])
        }
        let plain = try diff(["--format", "csv", "--summary", directory + "/summary.csv"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("id,"))
        #expect(Self.bytes(directory + "/summary.csv").starts(with: Self.mark + Array("from,to,college,".utf8)))
        let marked = try diff(["--format", "csv", "--bom", "--summary", directory + "/summary.txt"])
        #expect(marked.stdout.hasPrefix("\u{FEFF}id,"))
        #expect(Self.bytes(directory + "/summary.txt").starts(with: Self.mark))
        let unmarked = try diff(["--format", "csv", "--no-bom", "--summary", directory + "/other.csv"])
        #expect(!Self.bytes(directory + "/other.csv").starts(with: Self.mark))
        #expect(unmarked.stdout == plain.stdout)
        let table = try diff(["--bom"])
        #expect(table.status == 64 && table.stderr.contains("a byte order mark is written only in CSV"))
        let ruleSets = try CommandRunner.run([
            "diff", "--old", CommandFixtures.rules, "--new", CommandFixtures.rules, "--as-of", "2026-01-10", "--bom",
            input,
        ])
        #expect(ruleSets.status == 64 && ruleSets.stderr.contains("--bom"))
    }

    @Test func scoreFollowsTheSameRule() throws {
        let directory = try TestSupport.directory([:])
        let input = try CommandFixtures.input()
        let toFile = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "csv", "--output",
            directory + "/out.csv", input,
        ])
        #expect(toFile.status == 0)
        #expect(Self.bytes(directory + "/out.csv").starts(with: Self.mark))
        let toStandardOutput = try CommandRunner.run([
            "score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10", "--format", "csv", input,
        ])
        #expect(toStandardOutput.stdout.hasPrefix("id,"))
    }
}

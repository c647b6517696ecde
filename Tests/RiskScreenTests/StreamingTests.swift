import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSynthetic

/// A cohort read, scored and summarised a chunk at a time gives what the whole batch at once gives: the same records,
/// the same assessments (cohort rules included), the same summary, and from the command the same bytes.
@Suite("streaming")
struct StreamingTests {
    static let asOf = CivilDate(iso: "2026-03-15")!
    /// The bundled rules, which the generator writes records for.
    static let rulesPath =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Rules/campus-default"

    /// 4,000 generated students (seed 11), among whom a cohort rule raises seven roommates as of `asOf`.
    static func cohort() throws -> (rules: RuleSet, lines: String) {
        let rules = try RuleSet.load(from: rulesPath)
        return (rules, SyntheticCohort(rules: rules, seed: 11, asOf: asOf).jsonLines(0..<4_000))
    }

    static func file(_ name: String, _ contents: [UInt8]) throws -> String {
        let path = try TestSupport.directory([:]) + "/" + name
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Each record's id, line and assessment as JSON, for comparing two readings.
    static func fingerprint(_ records: [StudentRecord], engine: ScoringEngine) -> [String] {
        records.map { record in
            var bytes: [UInt8] = []
            AssessmentJSON.append(engine.assessInFull(record, asOf: asOf), to: &bytes)
            return "\(record.id)@\(record.location?.line ?? -1) " + String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test(arguments: [1, 700, 64 << 10, 8 << 20])
    func chunksHoldTheRecordsAndRejectionsOfTheWholeFile(chunkBytes: Int) throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        // A byte order mark, blank lines, a CR LF line end, a line that is not JSON, a repeated id and no final
        // line feed.
        var text = Array("\u{FEFF}".utf8) + Array(lines.split(separator: "\n").prefix(300).joined(separator: "\n").utf8)
        text += Array("\n\n   \n{not json}\r\n".utf8)
        text += Array((lines.split(separator: "\n").first.map(String.init) ?? "").utf8)
        let path = try Self.file("students.jsonl", text)
        let whole = try RecordReader.read(contentsOf: path, schema: rules.schema)
        var records: [StudentRecord] = []
        var rejected: [String] = []
        var chunks = 0
        try RecordReader.readJSONLines(contentsOf: path, schema: rules.schema, chunkBytes: chunkBytes) { chunk in
            records += chunk.records
            rejected += chunk.rejected.map(\.description)
            chunks += 1
        }
        #expect(Self.fingerprint(records, engine: engine) == Self.fingerprint(whole.records, engine: engine))
        #expect(rejected == whole.rejected.map(\.description))
        #expect(rejected.count == 2)
        #expect(chunkBytes > 1 << 20 ? chunks == 1 : chunks > 1)
    }

    @Test func aByteThatIsNotUTF8IsRefusedAtItsLineAsTheWholeFileIsRefused() throws {
        let (rules, lines) = try Self.cohort()
        var text = Array(lines.split(separator: "\n").prefix(40).joined(separator: "\n").utf8) + [0x0A]
        let line = 23
        let start = try #require(text.indices.filter { text[$0] == 0x0A }.dropFirst(line - 2).first) + 1
        text[start + 5] = 0xFF
        let path = try Self.file("students.jsonl", text)
        var wholeError: RecordFileError?
        do { _ = try RecordReader.read(contentsOf: path, schema: rules.schema) } catch { wholeError = error }
        var chunked: String?
        var chunksBefore = 0
        do {
            try RecordReader.readJSONLines(contentsOf: path, schema: rules.schema, chunkBytes: 1_000) { _ in
                chunksBefore += 1
            }
        } catch { chunked = "\(error)" }
        let expected = try #require(wholeError)
        #expect(expected.location.line == line)
        #expect(chunked == expected.description)
        #expect(chunksBefore > 0)
    }

    @Test func classicMacLineEndsReadAsTheWholeFileReadsThem() throws {
        let (rules, lines) = try Self.cohort()
        let text = Array(lines.split(separator: "\n").prefix(50).joined(separator: "\r").utf8)
        let path = try Self.file("students.jsonl", text)
        let engine = try ScoringEngine(rules: rules)
        let whole = try RecordReader.read(contentsOf: path, schema: rules.schema)
        var records: [StudentRecord] = []
        try RecordReader.readJSONLines(contentsOf: path, schema: rules.schema, chunkBytes: 64) { records += $0.records }
        #expect(whole.records.count == 50)
        #expect(Self.fingerprint(records, engine: engine) == Self.fingerprint(whole.records, engine: engine))
    }

    @Test func assessingInChunksWithTheExposureGivesTheWholeBatchsAssessments() throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let whole = engine.assess(records, asOf: Self.asOf, for: .fullView)
        // The cohort rule raises students here; the chunks cut groups apart (a trigger and its roommates fall in
        // different chunks).
        #expect(whole.filter { !$0.cohortEntries.isEmpty }.count >= 5)
        let chunks = stride(from: 0, to: records.count, by: 333).map {
            Array(records[$0..<min(records.count, $0 + 333)])
        }
        var streamed: [Assessment] = []
        var builder = BatchSummary.Builder(rules: rules, for: .fullView)
        var calls = 0
        let feed = { (each: ([StudentRecord]) throws -> Void) throws in
            calls += 1
            for chunk in chunks { try each(chunk) }
        }
        try engine.assess(chunks: feed, asOf: Self.asOf, for: .fullView) { part, assessed in
            builder.add(part, assessed, firstIndex: streamed.count)
            streamed += assessed
        }
        #expect(calls == 2)
        func json(_ assessments: [Assessment]) -> [String] {
            assessments.map { assessment in
                var bytes: [UInt8] = []
                AssessmentJSON.append(assessment, to: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        #expect(json(streamed) == json(whole))
        let summary = BatchSummary(rules: rules, records: records, assessments: whole, for: .fullView)
        #expect(AssessmentFormatting.summaryText(builder.summary()) == AssessmentFormatting.summaryText(summary))
    }

    @Test func aSummaryBuiltInPartsAndMendedEqualsTheWholeBatchsSummary() throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let role = try #require(rules.role(named: "grade_counsellor"))
        let final = engine.assessInFull(records, asOf: Self.asOf)
        let before = engine.assessChunk(records, asOf: Self.asOf).assessments
        let raised = final.indices.filter { !final[$0].cohortEntries.isEmpty }
        #expect(!raised.isEmpty)
        // Parts counted from position 0 and merged with their offsets, before the cohort rules; then the raised
        // students replaced, as the command mends them at the end of a stream.
        var builder = BatchSummary.Builder(rules: rules, for: .role(role))
        for start in stride(from: 0, to: records.count, by: 250) {
            let range = start..<min(records.count, start + 250)
            var part = BatchSummary.Builder(rules: rules, for: .role(role))
            part.add(Array(records[range]), Array(before[range]), firstIndex: 0)
            builder.merge(part, indexOffset: start)
        }
        var mends = BatchSummary.Builder(rules: rules, for: .role(role))
        for index in raised { mends.replace(index, record: records[index], was: before[index], now: final[index]) }
        builder.merge(mends)
        let whole = BatchSummary(rules: rules, records: records, assessments: final, for: .role(role))
        let built = builder.summary()
        #expect(AssessmentFormatting.summaryText(built) == AssessmentFormatting.summaryText(whole))
        #expect(built.attention.map(\.index) == whole.attention.map(\.index))
    }

    /// The command's JSON Lines input streams; a CSV export of the same students is read whole. Both give the same
    /// bytes, for small chunks too (many chunks, cohort-rule mends across them).
    @Test(arguments: ["json", "csv"])
    func theCommandStreamsTheSameBytesAsTheWholeBatch(format: String) throws {
        let (rules, lines) = try Self.cohort()
        let directory = try TestSupport.directory([:])
        try lines.write(toFile: directory + "/cohort.jsonl", atomically: true, encoding: .utf8)
        let tables = SyntheticCohort(rules: rules, seed: 11, asOf: Self.asOf).csvTables(0..<4_000)
        try FileManager.default.createDirectory(atPath: directory + "/csv", withIntermediateDirectories: true)
        try tables.students.write(toFile: directory + "/csv/students.csv", atomically: true, encoding: .utf8)
        try tables.events.write(toFile: directory + "/csv/events.csv", atomically: true, encoding: .utf8)
        try tables.scales.write(toFile: directory + "/csv/scales.csv", atomically: true, encoding: .utf8)
        let spoolFolder = try TestSupport.directory([:])
        for audience in [[], ["--audience", "centre"]] {
            func score(_ input: String, _ environment: [String: String] = [:]) throws -> CommandRunner.Result {
                try CommandRunner.run(
                    ["score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", format]
                        + audience + [input], environment: environment.merging(["TMPDIR": spoolFolder]) { $1 })
            }
            let whole = try score(directory + "/csv")
            #expect(whole.status == 0)
            if audience.isEmpty == false { #expect(whole.stdout.contains("roommate_exposure")) }
            for chunkBytes in ["2000", "300000"] {
                let streamed = try score(directory + "/cohort.jsonl", ["RISKSCREEN_CHUNK_BYTES": chunkBytes])
                #expect(streamed.status == 0)
                #expect(streamed.stdout == whole.stdout)
                #expect(streamed.stderr == whole.stderr)
            }
        }
        // The scratch file has no name: nothing is left in TMPDIR.
        #expect(try FileManager.default.contentsOfDirectory(atPath: spoolFolder).isEmpty)
    }

    @Test func repeatedIdsAcrossAndWithinStreamedFilesAreRejectedAsTheWholeBatchRejectsThem() throws {
        let (_, lines) = try Self.cohort()
        let all = lines.split(separator: "\n").map(String.init)
        let directory = try TestSupport.directory([:])
        // The second file repeats a student of the first, and one of its own.
        let first = all[0..<30].joined(separator: "\n") + "\n"
        let second = ([all[5]] + all[30..<60] + [all[40]]).joined(separator: "\n") + "\n"
        try first.write(toFile: directory + "/a.jsonl", atomically: true, encoding: .utf8)
        try second.write(toFile: directory + "/b.jsonl", atomically: true, encoding: .utf8)
        // The table is scored the whole batch at once: its rejections are the reference.
        func run(_ format: String, _ environment: [String: String] = [:]) throws -> CommandRunner.Result {
            try CommandRunner.run(
                ["score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", format]
                    + [directory + "/a.jsonl", directory + "/b.jsonl"], environment: environment)
        }
        let streamed = try run("json", ["RISKSCREEN_CHUNK_BYTES": "1500"])
        let whole = try run("table")
        #expect(streamed.status == 0)
        let rejections = streamed.stderr.split(separator: "\n").filter { $0.contains("found the id a second time") }
        #expect(rejections.count == 2)
        #expect(rejections.first?.contains("first in \(directory)/a.jsonl") == true)
        #expect(rejections.last?.contains("first at line 12") == true)
        let wholeRejections = whole.stderr.split(separator: "\n").filter { $0.contains("found the id a second time") }
        #expect(rejections == wholeRejections)
        #expect(streamed.stdout.split(separator: "\n").count == 60)
    }

    @Test func strictToStandardOutputWritesNothingWhenARecordIsRejected() throws {
        let (_, lines) = try Self.cohort()
        let directory = try TestSupport.directory([:])
        let text = lines.split(separator: "\n").prefix(200).joined(separator: "\n") + "\n{\"id\": 12}\n"
        try text.write(toFile: directory + "/cohort.jsonl", atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(
            ["score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--strict"]
                + [directory + "/cohort.jsonl"], environment: ["RISKSCREEN_CHUNK_BYTES": "4000"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("1 record(s) rejected; --strict: no result written"))
    }
}

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

    /// ``cohort()`` read and scored as the grade counsellor sees it, before the cohort rules (`before`, as a chunk of
    /// a stream is) and after them (`final`), with the students they raise.
    static func cohortBeforeAndAfterItsRules() throws -> (
        rules: RuleSet, records: [StudentRecord], role: Role, before: [Assessment], final: [Assessment], raised: [Int]
    ) {
        let (rules, lines) = try cohort()
        let engine = try ScoringEngine(rules: rules)
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let role = try #require(rules.role(named: "grade_counsellor"))
        let final = engine.assessInFull(records, asOf: asOf)
        let before = engine.assessChunk(records, asOf: asOf).assessments
        return (rules, records, role, before, final, final.indices.filter { !final[$0].cohortEntries.isEmpty })
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

    /// In a file with classic Mac line ends, a byte that is not UTF-8 is placed on the line its record is read from,
    /// by the whole-file reader as by the chunks (the whole-file reader counted line feeds only: line 1 for line 23).
    /// Found by fuzzing (`Fuzz/crashes/jsonlchunks/`).
    @Test func aByteThatIsNotUTF8InAClassicMacFileIsPlacedOnItsLine() throws {
        let (rules, lines) = try Self.cohort()
        var text = Array(lines.split(separator: "\n").prefix(40).joined(separator: "\r").utf8)
        let start = try #require(text.indices.filter { text[$0] == 0x0D }.dropFirst(21).first) + 1
        text[start + 5] = 0xFF
        let path = try Self.file("students.jsonl", text)
        var wholeError: RecordFileError?
        do { _ = try RecordReader.read(contentsOf: path, schema: rules.schema) } catch { wholeError = error }
        var chunked: String?
        do { try RecordReader.readJSONLines(contentsOf: path, schema: rules.schema, chunkBytes: 1_000) { _ in } } catch
        {
            chunked = "\(error)"
        }
        let expected = try #require(wholeError)
        #expect(expected.location.line == 23)
        #expect(expected.location.column == 6)
        #expect(chunked == expected.description)
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

    /// The command keeps each student's group key in four bytes: every student the full key lets through is let
    /// through, no group (0) is never, and a key whose halves fold to 0 is not taken for no group.
    @Test func aShortGroupKeyLetsThroughEveryStudentTheFullKeyLetsThrough() throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let chunk = engine.assessChunk(records, asOf: Self.asOf)
        let sealed = chunk.exposure.sealed()
        var letThrough = 0
        for (rule, keys) in chunk.raiseKeys.enumerated() {
            for key in keys where sealed.mayRaise(rule: rule, key: key) {
                letThrough += 1
                #expect(sealed.mayRaise(rule: rule, shortKey: CohortExposure.shortKey(key)))
            }
            #expect(!sealed.mayRaise(rule: rule, shortKey: 0))
        }
        #expect(letThrough >= 5)
        #expect(CohortExposure.shortKey(0) == 0)
        for key: UInt64 in [1 << 32, 0x1234_5678_1234_5678, 0xFFFF_FFFF_0000_0000, 1] {
            #expect(CohortExposure.shortKey(key) != 0)
        }
    }

    /// Two dorms whose group keys fold to the same four bytes (found by search: "38栋395B" and "95栋422A"): the short
    /// key, which picks the students the command reads again at the end, lets through a student in the one without a
    /// trigger, and the full key does not; the student is left as it is, since the full key and its group's text
    /// decide, and the roommates of the trigger are raised (a trigger is never raised by its own rule). The command
    /// gives the bytes of the whole batch.
    @Test func aStudentWhoseDormSharesATriggersShortKeyIsNotRaised() throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        let (exposed, quiet) = ("38栋395B", "95栋422A")
        #expect(CohortExposure.shortKey(GroupKey.of(exposed)) == CohortExposure.shortKey(GroupKey.of(quiet)))
        #expect(GroupKey.of(exposed) != GroupKey.of(quiet))
        // A trigger's dorm renamed to the one, and the first student of a dorm without a trigger moved to the other.
        let records = RecordReader.readJSONLines(Array(lines.utf8), file: "cohort.jsonl", schema: rules.schema).records
        let triggerDorms = engine.assessChunk(records, asOf: Self.asOf).exposure.groups[0]
        let dormSlot = rules.cohortRules[0].groupSlot
        // The trigger's dorm with the most students, so that it has roommates to raise.
        let students = Dictionary(grouping: records.compactMap { $0.groupValue(slot: dormSlot) }, by: { $0 })
        let triggerDorm = try #require(
            triggerDorms.sorted().max { (students[$0]?.count ?? 0) < (students[$1]?.count ?? 0) })
        #expect((students[triggerDorm]?.count ?? 0) >= 2)
        let moved = try #require(
            records.firstIndex { $0.groupValue(slot: dormSlot).map { !triggerDorms.contains($0) } ?? false })
        let dorm = try NSRegularExpression(pattern: "\"dorm\":\"[^\"]*\"")
        let changed = lines.split(separator: "\n").enumerated().map { position, line in
            let text = String(line)
            if position == moved {
                return dorm.stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\"dorm\":\"\(quiet)\"")
            }
            return text.replacingOccurrences(of: "\"dorm\":\"\(triggerDorm)\"", with: "\"dorm\":\"\(exposed)\"")
        }
        let text = changed.joined(separator: "\n") + "\n"
        // The short key lets the moved student through; the full key does not.
        let chunk = engine.assessChunk(
            RecordReader.readJSONLines(Array(text.utf8), file: "cohort.jsonl", schema: rules.schema).records,
            asOf: Self.asOf)
        #expect(chunk.exposure.groups[0].contains(exposed) && !chunk.exposure.groups[0].contains(quiet))
        #expect(chunk.raiseKeys[0][moved] == GroupKey.of(quiet))
        let sealed = chunk.exposure.sealed()
        #expect(sealed.mayRaise(rule: 0, shortKey: CohortExposure.shortKey(GroupKey.of(quiet))))
        #expect(!sealed.mayRaise(rule: 0, key: GroupKey.of(quiet)))

        let directory = try TestSupport.directory([:])
        let input = directory + "/students.jsonl"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let binary = try #require(CommandRunner.executable)
        let arguments = [
            "score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--audience", "centre",
        ]
        func shell(_ command: String) throws -> CommandRunner.Result {
            try CommandRunner.run(["-c", command, binary] + arguments, executable: "/bin/sh")
        }
        // The whole batch: standard input that is a pipe is read whole (named .jsonl through a link).
        let pipe = directory + "/standard-input.jsonl"
        let whole = try shell("ln -s /dev/stdin '\(pipe)' && cat '\(input)' | \"$0\" \"$@\" '\(pipe)'")
        #expect(whole.status == 0, "\(whole.stderr)")
        let streamed = try shell("\"$0\" \"$@\" '\(input)'")
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout == whole.stdout)
        #expect(streamed.stderr == whole.stderr, "the summary")
        let results = streamed.stdout.split(separator: "\n")
        #expect(results.count == records.count)
        #expect(results[moved].contains("\"id\":\"\(records[moved].id)\""))
        #expect(!results[moved].contains("roommate_exposure"))
        let roommates = changed.indices.filter { changed[$0].contains("\"dorm\":\"\(exposed)\"") }
        #expect(roommates.contains { results[$0].contains("roommate_exposure") }, "a roommate of the trigger raised")
    }

    @Test func aSummaryBuiltInPartsAndMendedEqualsTheWholeBatchsSummary() throws {
        let (rules, records, role, before, final, raised) = try Self.cohortBeforeAndAfterItsRules()
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
        #expect(built.attention == whole.attention)
        #expect(Set([built.attention, whole.attention]).count == 1)
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
            // Small chunks; large ones; mends a student at a time (a batch of mends reaches at most 3,000 bytes
            // past the batch before: raised students far apart never share one); and the attention list kept in its
            // scratch file a few entries at a time, some of them replaced by mends; the index written and read back a
            // few students at a time.
            for environment in [
                ["RISKSCREEN_CHUNK_BYTES": "2000"], ["RISKSCREEN_CHUNK_BYTES": "300000"],
                ["RISKSCREEN_MEND_SPAN": "3000"],
                ["RISKSCREEN_CHUNK_BYTES": "2000", "RISKSCREEN_ATTENTION_SPILL": "7"],
                ["RISKSCREEN_CHUNK_BYTES": "2000", "RISKSCREEN_INDEX_BYTES": "100", "RISKSCREEN_MEND_SPAN": "3000"],
            ] {
                let streamed = try score(directory + "/cohort.jsonl", environment)
                #expect(streamed.status == 0)
                #expect(streamed.stdout == whole.stdout)
                #expect(streamed.stderr == whole.stderr)
            }
        }
        // The scratch file has no name: nothing is left in TMPDIR.
        #expect(try FileManager.default.contentsOfDirectory(atPath: spoolFolder).isEmpty)
    }

    /// The cohort rule raises students in every input file, each read again from its own file (the index keeps
    /// which file by runs of students): the result is the one of the cohort in one file.
    @Test func studentsRaisedInEveryInputFileAreMendedFromTheirOwnFile() throws {
        let (_, lines) = try Self.cohort()
        let all = lines.split(separator: "\n").map(String.init)
        let directory = try TestSupport.directory([:])
        try lines.write(toFile: directory + "/cohort.jsonl", atomically: true, encoding: .utf8)
        let cuts = [0, all.count / 5, all.count / 2, all.count]
        for file in 0..<3 {
            try (all[cuts[file]..<cuts[file + 1]].joined(separator: "\n") + "\n")
                .write(toFile: directory + "/part\(file).jsonl", atomically: true, encoding: .utf8)
        }
        func score(_ inputs: [String]) throws -> CommandRunner.Result {
            try CommandRunner.run(
                [
                    "score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--audience",
                    "centre",
                ]
                    + inputs.map { directory + "/" + $0 },
                environment: [
                    "RISKSCREEN_CHUNK_BYTES": "20000", "RISKSCREEN_MEND_SPAN": "30000", "RISKSCREEN_INDEX_BYTES": "100",
                ])
        }
        let whole = try score(["cohort.jsonl"])
        let parts = try score(["part0.jsonl", "part1.jsonl", "part2.jsonl"])
        #expect(whole.status == 0)
        #expect(parts.status == 0)
        #expect(parts.stdout == whole.stdout)
        #expect(parts.stderr == whole.stderr)
        // Raised students in each file.
        let results = parts.stdout.split(separator: "\n")
        #expect(results.count == all.count)
        for file in 0..<3 {
            #expect(results[cuts[file]..<cuts[file + 1]].contains { $0.contains("roommate_exposure") }, "file \(file)")
        }
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

    @Test func twoByteOrderMarksAreSkippedAsTheWholeFileSkipsThem() throws {
        let (rules, lines) = try Self.cohort()
        let engine = try ScoringEngine(rules: rules)
        let text =
            Array("\u{FEFF}\u{FEFF}".utf8) + Array(lines.split(separator: "\n").prefix(20).joined(separator: "\n").utf8)
        let path = try Self.file("students.jsonl", text)
        let whole = try RecordReader.read(contentsOf: path, schema: rules.schema)
        var records: [StudentRecord] = []
        try RecordReader.readJSONLines(contentsOf: path, schema: rules.schema, chunkBytes: 100) {
            records += $0.records
        }
        #expect(whole.records.count == 20)
        #expect(Self.fingerprint(records, engine: engine) == Self.fingerprint(whole.records, engine: engine))
    }

    /// A raised student is read again from its line at the end of the run: a file that changed in between is refused,
    /// never read as if it were the same.
    @Test func aFileChangedWhileItIsScoredIsRefusedWhenItIsOpenedAgain() throws {
        let (rules, lines) = try Self.cohort()
        let text = lines.split(separator: "\n").prefix(50).joined(separator: "\n") + "\n"
        let path = try Self.file("students.jsonl", Array(text.utf8))
        for change in ["appended", "replaced"] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let reader = try JSONLinesChunkReader(path: path, schema: rules.schema, chunkBytes: 500)
            var chunk = try reader.next()
            var starts: [Int] = []
            while let found = chunk {
                starts += found.lineStarts
                chunk = try reader.next()
            }
            reader.closeFile()
            try reader.reopen()
            #expect(reader.record(atOffset: starts[7], line: 8)?.id == "S0000008")
            reader.closeFile()
            if change == "appended" {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("\n".utf8))
                try handle.close()
            } else {
                // The same bytes, but another file (another inode) under the name: what an export that rewrites its
                // file does.
                let other = path + ".new"
                try Data(text.replacingOccurrences(of: "S0000008", with: "S9999998").utf8).write(
                    to: URL(fileURLWithPath: other))
                #expect(rename(other, path) == 0)
            }
            #expect(throws: RecordFileError.self) { try reader.reopen() }
        }
    }

    /// Standard output is whole or nothing, as when the whole batch is read first: a later file that cannot be read
    /// leaves it empty (here a rule set without cohort rules, which needs no scratch file otherwise).
    @Test func aFileFoundBadHalfwayLeavesStandardOutputEmpty() throws {
        let rules = TestSupport.testsDirectory + "/Rules/test-points"
        let directory = try TestSupport.directory([:])
        let good = (1...50).map { "{\"id\": \"S\($0)\", \"heart_rate\": 70}" }.joined(separator: "\n") + "\n"
        try good.write(toFile: directory + "/a.jsonl", atomically: true, encoding: .utf8)
        var bad = Array("{\"id\": \"T1\", \"heart_rate\": 70}\n{\"id\": \"T2\", \"heart_rate\": 7".utf8)
        bad += [0xFF] + Array("0}\n".utf8)
        try Data(bad).write(to: URL(fileURLWithPath: directory + "/b.jsonl"))
        let arguments = ["score", "--rules", rules, "--as-of", "2026-03-15", "--format", "json"]
        let fine = try CommandRunner.run(
            arguments + [directory + "/a.jsonl"], environment: ["RISKSCREEN_CHUNK_BYTES": "200"])
        #expect(fine.status == 0)
        #expect(fine.stdout.split(separator: "\n").count == 50)
        let result = try CommandRunner.run(
            arguments + [directory + "/a.jsonl", directory + "/b.jsonl"], environment: ["RISKSCREEN_CHUNK_BYTES": "200"]
        )
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("b.jsonl:2:"))
    }

    /// Chunks are read and scored one ahead of the thread that writes them: a write that fails midway (a full
    /// device) ends the run with the writer's error while the next chunk is being prepared, and the run stops.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aWriteThatFailsMidwayEndsTheRunWithItsError() throws {
        let rules = TestSupport.testsDirectory + "/Rules/test-points"
        let directory = try TestSupport.directory([:])
        let lines = (1...20_000).map { "{\"id\": \"S\($0)\", \"heart_rate\": 70}" }.joined(separator: "\n") + "\n"
        try lines.write(toFile: directory + "/a.jsonl", atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(
            ["score", "--rules", rules, "--as-of", "2026-03-15", "--format", "json", "--output", "/dev/full"]
                + [directory + "/a.jsonl"], environment: ["RISKSCREEN_CHUNK_BYTES": "4000"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/dev/full: error: could not write the result: No space left on device"))
    }

    /// The results between the students a cohort rule raises are copied from the scratch file by the kernel into a
    /// file, and read and written where the kernel will not copy (a pipe, a file opened to append): each way gives
    /// the whole batch's result. Here the first 1,100 students and the last share three dorms, so raised students come
    /// one after another from the first, with students left as they are between (a dorm without a trigger, the
    /// triggers) and before the last.
    @Test func theResultIsTheWholeBatchsWhereverItIsWritten() throws {
        let (_, lines) = try Self.cohort()
        let directory = try TestSupport.directory([:])
        let dorm = try NSRegularExpression(pattern: "\"dorm\":\"[^\"]*\"")
        let all = lines.split(separator: "\n").prefix(1_200).enumerated().map { position, line in
            let text = String(line)
            guard position < 1_100 || position == 1_199 else { return text }
            return dorm.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text),
                withTemplate: "\"dorm\":\"D\(position % 1_199 % 3)\"")
        }
        let input = directory + "/students.jsonl"
        try (all.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let binary = try #require(CommandRunner.executable)
        let arguments = [
            "score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--audience", "centre",
        ]
        func shell(_ command: String, _ environment: [String: String] = [:]) throws -> CommandRunner.Result {
            try CommandRunner.run(
                ["-c", command, binary] + arguments, environment: environment, executable: "/bin/sh")
        }
        // The whole batch: standard input that is a pipe is read whole (named .jsonl through a link).
        let pipe = directory + "/standard-input.jsonl"
        let whole = try shell("ln -s /dev/stdin '\(pipe)' && cat '\(input)' | \"$0\" \"$@\" '\(pipe)'")
        #expect(whole.status == 0, "\(whole.stderr)")
        let results = whole.stdout.split(separator: "\n")
        #expect(results.count == 1_200)
        let raised = results.indices.filter { results[$0].contains("roommate_exposure") }
        #expect(raised.count > 300, "\(raised.count) raised")
        #expect(raised.contains(0) && raised.contains { raised.contains($0 + 1) } && raised.contains(1_199))
        #expect(raised.contains { !raised.contains($0 + 1) && raised.contains($0 + 2) }, "one left between two raised")
        #expect(!raised.contains(1_198), "students left as they are before the last")
        for environment in [[:], ["RISKSCREEN_MEND_SPAN": "3000"]] {
            let toFile = try shell("\"$0\" \"$@\" --output '\(directory)/out.json' '\(input)'", environment)
            #expect(toFile.status == 0, "\(toFile.stderr)")
            #expect(FileManager.default.contents(atPath: directory + "/out.json") == Data(whole.stdout.utf8))
            let toStandardOutput = try shell("\"$0\" \"$@\" '\(input)'", environment)
            #expect(toStandardOutput.stdout == whole.stdout)
            #expect(toStandardOutput.stderr == whole.stderr, "the summary")
            let toPipe = try shell("\"$0\" \"$@\" '\(input)' | cat", environment)
            #expect(toPipe.stdout == whole.stdout)
            try "kept\n".write(toFile: directory + "/appended.json", atomically: true, encoding: .utf8)
            let appended = try shell("\"$0\" \"$@\" '\(input)' >> '\(directory)/appended.json'", environment)
            #expect(appended.status == 0, "\(appended.stderr)")
            #expect(
                FileManager.default.contents(atPath: directory + "/appended.json")
                    == Data(("kept\n" + whole.stdout).utf8))
        }
    }

    /// Files are closed once read and opened again one at a time for the students a cohort rule raises: a run over
    /// more files than a process may hold open at once still reads them all (30 files under a limit of 24, which the
    /// whole-batch reader met and a stream holding every file open did not).
    /// Also when the students a cohort rule raises are in every file (here all share three dorms): a batch of mends
    /// reads from a few files at a time, where one batch over all 30 ran out of descriptors.
    @Test(arguments: [false, true])
    func moreInputsThanOpenFilesAreScored(sharedDorms: Bool) throws {
        let (_, lines) = try Self.cohort()
        let directory = try TestSupport.directory([:])
        let dorm = try NSRegularExpression(pattern: "\"dorm\":\"[^\"]*\"")
        let all = lines.split(separator: "\n").enumerated().map { position, line in
            guard sharedDorms else { return String(line) }
            let text = String(line)
            return dorm.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\"dorm\":\"D\(position % 3)\"")
        }
        if sharedDorms { #expect(all.allSatisfy { $0.contains("\"dorm\":\"D") }) }
        var paths: [String] = []
        for file in 0..<30 {
            let path = directory + "/part\(file).jsonl"
            try (all[(file * 30)..<(file * 30 + 30)].joined(separator: "\n") + "\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        try (all[0..<900].joined(separator: "\n") + "\n").write(
            toFile: directory + "/all.jsonl", atomically: true, encoding: .utf8)
        let binary = try #require(CommandRunner.executable)
        let arguments = [
            "score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--audience", "centre",
        ]
        let many = try CommandRunner.run(
            ["-c", "ulimit -n 24 && exec \"$0\" \"$@\"", binary] + arguments + paths, executable: "/bin/sh")
        let one = try CommandRunner.run(arguments + [directory + "/all.jsonl"])
        #expect(many.status == 0, "\(many.stderr)")
        #expect(one.stdout.contains("roommate_exposure"))
        #expect(many.stdout == one.stdout)
    }

    /// Under a limit on threads (here the processes of the user `nobody`, `prlimit --nproc`), the run ends: with a
    /// message when it cannot start a thread it cannot do without (the one that removes temporaries on a signal, the
    /// one that reads ahead), leaving nothing behind; and with the same result as without the limit when only threads
    /// it can do without are refused (the writer, the flush, the helpers on other cores). It waited forever before.
    /// Runs as root only (it switches to `nobody`); `timeout` is one of nobody's processes, and the limits assume
    /// `nobody` runs nothing else (the limit counts all of its processes and threads).
    @Test(
        .enabled(
            if: getuid() == 0
                && ["/usr/sbin/runuser", "/usr/bin/prlimit", "/usr/bin/timeout"].allSatisfy {
                    FileManager.default.isExecutableFile(atPath: $0)
                }))
    func aThreadTheSystemWillNotStartEndsTheRunInsteadOfHangingIt() throws {
        let (_, lines) = try Self.cohort()
        let directory = try TestSupport.directory([:])
        let input = directory + "/students.jsonl"
        try lines.write(toFile: input, atomically: true, encoding: .utf8)
        chmod(directory, 0o777)
        chmod(input, 0o644)
        let binary = try #require(CommandRunner.executable)
        func score(_ output: String) -> [String] {
            [
                "score", "--rules", Self.rulesPath, "--as-of", "2026-03-15", "--format", "json", "--output", output,
                "--summary", output + ".summary", input,
            ]
        }
        let free = try CommandRunner.run(score(directory + "/free.json"))
        #expect(free.status == 0, "\(free.stderr)")
        let expected = FileManager.default.contents(atPath: directory + "/free.json")
        for (limit, message) in [
            (2, "could not start a thread to remove temporary files on a signal"),
            (3, "could not start a thread to read the input"), (4, nil),
        ] {
            let output = directory + "/limited\(limit).json"
            let limited = try CommandRunner.run(
                ["-u", "nobody", "--", "prlimit", "--nproc=\(limit)", "--", "timeout", "120", binary] + score(output),
                executable: "/usr/sbin/runuser")
            if let message {
                #expect(limited.status == 1, "limit \(limit): \(limited.stderr)")
                #expect(limited.stderr.contains(message), "limit \(limit): \(limited.stderr)")
                #expect(limited.stderr.contains("Resource temporarily unavailable (errno 11)"))
                #expect(!FileManager.default.fileExists(atPath: output))
            } else {
                #expect(limited.status == 0, "limit \(limit): \(limited.stderr)")
                #expect(FileManager.default.contents(atPath: output) == expected)
                #expect(
                    FileManager.default.contents(atPath: output + ".summary")
                        == FileManager.default.contents(atPath: directory + "/free.json.summary"))
            }
        }
        // Nothing else is left in the folder: no temporary, no partial result.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == ["free.json", "free.json.summary", "limited4.json", "limited4.json.summary", "students.jsonl"])
    }
}

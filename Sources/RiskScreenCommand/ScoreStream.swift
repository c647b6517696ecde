import Foundation
import RiskScreen
@_spi(RiskScreenStorage) import RiskScreenSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `score --format json|csv` over JSON Lines files, streamed: each file is read, decoded, scored, rendered and written
/// a chunk at a time (decoding, scoring and rendering on all cores, writing on a thread of its own), so memory stays
/// bounded whatever the size of the cohort. The output is byte for byte what scoring the whole batch at once gives.
///
/// What the whole cohort needs is kept compactly: in memory the summary's counts (``BatchSummary/Builder``), the ids
/// seen (to reject a repeated one) and for cohort rules the groups of their triggers (``CohortExposure``); in
/// scratch files of their own, each record's group keys and where its line starts and its result ends
/// (``CompactIndex``), and the summary's attention list (about 48 bytes for each student on it, a third of a
/// cohort), which comes back once the ids are let go. A cohort rule raises a student only when a trigger in the same
/// group is known, which may be later in the input; so with cohort rules the result goes to a scratch file
/// (``SpoolFile``) first, and at the end the few students a rule raises are read again from their lines, scored, and
/// their results replaced while the scratch file is copied to the output.
struct ScoreStream: Sendable {
    let engine: ScoringEngine
    let date: CivilDate
    let role: Role
    let format: Score.Format
    /// About how many bytes of JSON Lines a chunk holds (4 MB: with a chunk being prepared, one waiting and two
    /// being written, the chunks in flight are most of the memory of a small cohort; `RISKSCREEN_CHUNK_BYTES` sets
    /// another size, for the tests that cut a small input into many chunks).
    var chunkBytes = 4 << 20
    /// How far past the end of the batch before a batch of cohort-rule mends reaches in the scratch file, unless one
    /// student's result is longer (64 MB: a batch holds only its students' records and new results, and the results
    /// between are copied while the next batch is mended; `RISKSCREEN_MEND_SPAN` sets another, for the tests).
    var mendSpan = 64 << 20
    /// How many attention-list entries the summary holds in memory before they go to a scratch file of their own
    /// (16,384: under a megabyte; `RISKSCREEN_ATTENTION_SPILL` sets another, for the tests). They come back once the
    /// ids are let go, so that the list and the ids never take memory at the same time.
    var attentionSpill = 1 << 14
    /// How many bytes of the cohort-rule index wait before they go to its scratch file (``CompactIndex``; 1 MB,
    /// `RISKSCREEN_INDEX_BYTES` sets another, for the tests).
    var indexBuffer = 1 << 20

    /// Whether `score` can stream these inputs: regular JSON Lines files (a student raised by a cohort rule is read
    /// again from its line, which a pipe cannot give; a pipe is read whole, within its 64 MB limit) read as UTF-8,
    /// rendered as JSON or CSV.
    static func applies(to inputs: [String], format: Score.Format, encoding: TextEncoding) -> Bool {
        guard format != .table, encoding == .utf8 else { return false }
        return inputs.allSatisfy { path in
            let lower = path.lowercased()
            var info = stat()
            return (lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json"))
                && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }

    /// What a run leaves for the summary.
    struct Outcome {
        var summary: BatchSummary
        var rejected: Int
    }

    /// Scores every input into `writer`; rejected records are printed on standard error as `role` may read them, a
    /// file at a time. Under `strict`, a rejected record ends the run before anything reaches `writer`.
    func run(
        _ inputs: [String], into writer: OutputFile, outputPath: String?, strict: Bool, bom: Bool,
        showProgress: Bool
    ) throws
        -> Outcome
    {
        let rules = engine.rules
        let hasCohortRules = !rules.cohortRules.isEmpty
        // The result waits in a scratch file when it may be mended at the end, and always on its way to standard
        // output: there, a file found bad halfway (a byte that is not UTF-8, a read error) or a rejection under
        // --strict means no result at all, as when the whole batch is read first. Beside --output when given.
        let spool = hasCohortRules || outputPath == nil ? try SpoolFile(near: outputPath) : nil
        var head: [UInt8] = []
        if format == .csv {
            if bom { head += Array(ByteOrderMark.text.utf8) }
            head += Array((AssessmentFormatting.csvHeader(scores: rules.scores) + "\r\n").utf8)
        }
        var summary = BatchSummary.Builder(rules: rules, for: .role(role))
        var index = CompactIndex(
            rules: rules.cohortRules.count, resultStart: head.count, near: outputPath, bufferBytes: indexBuffer)
        var exposure = CohortExposure()
        var crossFile = StudentIDRegister()
        var rejectedCount = 0
        var readers: [JSONLinesChunkReader] = []
        // The attention list's entries, taken from the summary 16,384 at a time (``attentionSpill``).
        var attentionFile: SpoolFile?
        let progress = ProgressLine(totalBytes: inputs.map { Self.fileSize($0) }.reduce(0, +), shown: showProgress)
        var bytesBefore = 0
        // Each chunk is read and its parts decoded, scored, rendered and counted (each part on one thread) one chunk
        // ahead, while this thread takes the chunk before in order. The first record of the run (which carries the
        // CSV notice) can only be the first of the first part.
        let prepare: ChunkPipeline<[Part]>.Prepare = { [self] reader, text, firstOfRun, scoring in
            let parts = Parallel.map(parts: text.parts.count) { part in
                let decoded = reader.decode(text, part: part)
                return scoring
                    ? process(
                        decoded.batch.records, lineStarts: decoded.lineStarts, rejected: decoded.batch.rejected,
                        first: firstOfRun && part == 0)
                    : Part(rejected: decoded.batch.rejected, records: decoded.batch.records)
            }
            return (parts, parts.reduce(0) { $0 + $1.records.count })
        }
        let pipeline: ChunkPipeline<[Part]>
        do {
            pipeline = try ChunkPipeline(
                inputs: inputs, schema: rules.schema, chunkBytes: chunkBytes, parts: partsPerChunk, prepare: prepare)
        } catch {
            printError(error.message("to read the input"))
            throw Exit.failure
        }
        defer { pipeline.cancel() }
        // Started after the pipeline, which cannot do without its thread: the writer can (it then writes in turn).
        let sink = ChunkWriter(spool.map { .spool($0) } ?? .output(writer))
        if !head.isEmpty { try sink.write([head]) }
        var path = ""
        var register = StudentIDRegister()
        // As `readInputs` prints them: the ids repeated from an earlier file, then the file's own rejections.
        var repeatedFromEarlier: [RecordError] = []
        var own: [RecordError] = []
        // Under --strict, once a record is rejected the rest is only read, for the rejections to print.
        func scoringGoesOn() -> Bool {
            !(strict && (rejectedCount > 0 || !own.isEmpty || !repeatedFromEarlier.isEmpty))
        }
        while let item = pipeline.next() {
            switch item {
            case .failed(let message):
                progress.clear()
                printError(message)
                throw Exit.failure
            case .opened(let reader):
                readers.append(reader)
                path = reader.file
                register = StudentIDRegister()
                (repeatedFromEarlier, own) = ([], [])
            case .chunk(let parts, let bytesRead):
                for var part in parts {
                    own += part.rejected
                    // Ids are registered in file order: first in the file (a repeat there is the file's own
                    // rejection), then across the files read before. A part with a repeated id is done again
                    // without it (rare), as is one whose first record turns out to be the run's first.
                    var kept: [Int] = []
                    kept.reserveCapacity(part.records.count)
                    for position in part.records.indices {
                        // The id and the place read in place: `part.records[position]` as a value copied the record.
                        let (id, location) = (part.records[position].id, part.records[position].location)
                        let line = SourceLocation(file: path, line: location?.line ?? 0, column: 1)
                        if let rejection = register.register(id, at: line) {
                            own.append(rejection)
                            continue
                        }
                        if inputs.count > 1,
                            let rejection = crossFile.register(
                                id, at: location ?? SourceLocation(file: path, line: 1, column: 1),
                                place: "in \(path)")
                        {
                            repeatedFromEarlier.append(rejection)
                            continue
                        }
                        kept.append(position)
                    }
                    // A part prepared before a rejection under --strict was known is dropped here.
                    guard scoringGoesOn() else {
                        pipeline.stopScoring()
                        continue
                    }
                    if kept.count != part.records.count || part.renderedAsFirst != (index.count == 0) {
                        part = process(
                            kept.map { part.records[$0] }, lineStarts: kept.map { part.lineStarts[$0] }, rejected: [],
                            first: index.count == 0)
                    }
                    try add(part, reader: readers.count - 1, summary: &summary, index: &index, exposure: &exposure)
                    try sink.write([part.bytes])
                    if summary.heldAttentionCount >= attentionSpill {
                        if attentionFile == nil { attentionFile = try SpoolFile(near: outputPath) }
                        try attentionFile?.write(summary.takeAttention())
                    }
                }
                progress.update(read: bytesBefore + bytesRead, students: index.count, written: sink.bytesWritten)
            case .ended(let bytesRead):
                bytesBefore += bytesRead
                own.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
                if !(repeatedFromEarlier.isEmpty && own.isEmpty) { progress.clear() }
                for error in repeatedFromEarlier + own { printError(error.visible(to: role).description) }
                rejectedCount += repeatedFromEarlier.count + own.count
            }
        }
        try sink.finish()
        if strict && rejectedCount > 0 {
            progress.clear()
            printError("\(rejectedCount) record(s) rejected; --strict: no result written")
            throw Exit.failure
        }
        try index.finishWrites()
        // The ids are not needed for the mends: let go before them, with what the reading threads freed.
        (register, crossFile) = (StudentIDRegister(), StudentIDRegister())
        FreedMemory.giveBack()
        if let spool {
            try copy(
                spool, to: writer, index: index, exposure: exposure, readers: readers, summary: &summary,
                progress: progress)
        }
        progress.clear()
        // The index's scratch file is let go before the attention list comes back and the summary sorts it.
        index = CompactIndex(rules: 0)
        if let file = attentionFile {
            var pieces = file.pieces()
            guard try summary.restoreAttention({ try pieces.next() }) else {
                printError(SpoolFile.readFailure(EIO))
                throw Exit.failure
            }
            attentionFile = nil
        }
        return Outcome(summary: summary.summary(rejected: rejectedCount), rejected: rejectedCount)
    }

    /// Parts a chunk is cut into: a few per core, so that a core that finishes early takes another.
    private var partsPerChunk: Int { Parallel.cores * 4 }

    /// One part of a chunk, decoded, scored before cohort rules, rendered and counted.
    struct Part: Sendable {
        var rejected: [RecordError]
        var records: [StudentRecord]
        var lineStarts: [Int] = []
        var assessments: [Assessment] = []
        /// The rendered results, one after another, and each one's length.
        var bytes: [UInt8] = []
        var lengths: [Int] = []
        /// The summary of this part, its first record at position 0.
        var summary: BatchSummary.Builder?
        var exposure = CohortExposure()
        var raiseKeys: [[UInt64]] = []
        /// Whether the first record was rendered as the run's first (with the CSV notice).
        var renderedAsFirst = false
    }

    /// Scores, renders and counts the records of one part (on the thread that calls it).
    private func process(_ records: [StudentRecord], lineStarts: [Int], rejected: [RecordError], first: Bool) -> Part {
        let rules = engine.rules
        let chunk = engine.assessChunk(records, asOf: date, threads: 1)
        var part = Part(
            rejected: rejected, records: records, lineStarts: lineStarts, assessments: chunk.assessments,
            exposure: chunk.exposure, raiseKeys: chunk.raiseKeys, renderedAsFirst: first && !records.isEmpty)
        var summary = BatchSummary.Builder(rules: rules, for: .role(role))
        summary.add(records, chunk.assessments, firstIndex: 0)
        part.summary = summary
        let groups = format == .csv ? BatchSummary.collegeAndClass(of: records, schema: rules.schema) : []
        part.lengths.reserveCapacity(records.count)
        for position in records.indices {
            let before = part.bytes.count
            Self.render(
                chunk.assessments[position], role: role, format: format, index: first && position == 0 ? 0 : 1,
                group: format == .csv ? groups[position] : nil, to: &part.bytes)
            part.lengths.append(part.bytes.count - before)
            if position == 0 { part.bytes.reserveCapacity(part.bytes.count * records.count * 5 / 4) }
        }
        return part
    }

    /// Adds a part's counts, triggers and index entries to the run's. Prints why and exits 1 when the index's file
    /// cannot be written.
    private func add(
        _ part: Part, reader: Int, summary: inout BatchSummary.Builder, index: inout CompactIndex,
        exposure: inout CohortExposure
    ) throws {
        if let partSummary = part.summary { summary.merge(partSummary, indexOffset: index.count) }
        exposure.merge(part.exposure)
        try index.add(
            part.records, lineStarts: part.lineStarts, resultLengths: part.lengths, reader: reader,
            raiseKeys: part.raiseKeys)
    }

    /// One assessment as it is written: a JSON line, or a CSV row (the notice on the first row only).
    static func render(
        _ assessment: Assessment, role: Role, format: Score.Format, index: Int,
        group: (college: String, className: String)?, to bytes: inout [UInt8]
    ) {
        renderWithoutLineEnd(assessment, role: role, format: format, index: index, group: group, to: &bytes)
        bytes.append(contentsOf: format == .json ? [0x0A] : [0x0D, 0x0A])
    }

    /// ``render(_:role:format:index:group:to:)`` without the line end: the assessment as `role` may see it, as JSON,
    /// or as a CSV row with its record's college and class (`group`, as the summary groups them; empty when
    /// missing) and, on the row at `index` 0 only, the notice.
    static func renderWithoutLineEnd(
        _ assessment: Assessment, role: Role, format: Score.Format, index: Int,
        group: (college: String, className: String)?, to bytes: inout [UInt8]
    ) {
        if format == .json {
            AssessmentJSON.append(assessment, visibleTo: role, to: &bytes)
        } else {
            let missing = BatchSummary.missing
            bytes.append(
                contentsOf: AssessmentFormatting.csvRow(
                    assessment.visible(to: role),
                    college: group.map { $0.college == missing ? "" : $0.college } ?? "",
                    className: group.map { $0.className == missing ? "" : $0.className } ?? "", notice: index == 0
                ).utf8)
        }
    }

    /// Copies the scratch file to the output, replacing the results of the students a cohort rule raises. They are
    /// found from the compact index once every trigger is known (a key that matches a trigger's group), read again
    /// from their lines up to 1,024 at a time, scored with the exposure and rendered on all cores; the summary is
    /// mended too. Only their new results pass through this process: the results between are copied by the kernel
    /// where it can (``SpoolFile/copy(_:to:)``).
    private func copy(
        _ spool: SpoolFile, to writer: OutputFile, index: CompactIndex, exposure: CohortExposure,
        readers: [JSONLinesChunkReader], summary: inout BatchSummary.Builder, progress: ProgressLine
    ) throws {
        let sealed = exposure.sealed()
        var mended = 0
        // Written on a thread of its own, so that the copying overlaps the mending of the next students.
        let sink = ChunkWriter(.outputFrom(spool, writer))
        // The scratch file is handed over to the writer up to here.
        var copied = 0
        var candidates: [CompactIndex.Entry] = []
        var batchFiles: Set<UInt32> = []
        func mend() throws {
            if candidates.isEmpty { return }
            // Each file these students are in (`batchFiles`) is opened again, and checked to be the file that was
            // read; the others are closed, so that few are open at once.
            for (number, reader) in readers.enumerated() {
                guard batchFiles.contains(UInt32(number)) else {
                    reader.closeFile()
                    continue
                }
                do { try reader.reopen() } catch {
                    progress.clear()
                    printError(error.description)
                    throw Exit.failure
                }
            }
            let (students, rules, role, format) = (candidates, engine.rules, role, format)
            // Each worker reads, scores and renders a run of the students.
            let parts = Parallel.mapParts(
                items: students.count, parts: Parallel.workerCount(items: students.count, minimumPerWorker: 128)
            ) { _, range in
                var records: [StudentRecord] = []
                for student in students[range] {
                    let reader = readers[student.reader]
                    guard let record = reader.record(atOffset: student.lineStart, line: student.line)
                    else { return Result<Mends, MendFailure>.failure(MendFailure(file: reader.file)) }
                    records.append(record)
                }
                let before = engine.assessChunk(records, asOf: date, threads: 1)
                let after = engine.raised(before, records: records, exposure: sealed)
                var delta = BatchSummary.Builder(rules: rules, for: .role(role))
                let groups = format == .csv ? BatchSummary.collegeAndClass(of: records, schema: rules.schema) : []
                var mends = Mends()
                for position in records.indices {
                    let student = students[range.lowerBound + position].student
                    delta.replace(
                        student, record: records[position], was: before.assessments[position], now: after[position])
                    Self.render(
                        after[position], role: role, format: format, index: student,
                        group: format == .csv ? groups[position] : nil, to: &mends.bytes)
                    mends.ends.append(mends.bytes.count)
                }
                mends.summary = delta
                return .success(mends)
            }
            var replacement = ChunkWriter.Replacement(
                replaced: students.map(\.result))
            for part in parts {
                switch part {
                case .success(let mends):
                    if let delta = mends.summary { summary.merge(delta) }
                    let base = replacement.bytes.count
                    replacement.bytes += mends.bytes
                    replacement.ends += mends.ends.map { $0 + base }
                case .failure(let failure):
                    progress.clear()
                    printError(
                        "\(failure.file): error: could not read a record again to apply the cohort rules; expected the file unchanged while it is scored"
                    )
                    throw Exit.failure
                }
            }
            try sink.replace(from: copied, replacement)
            copied = students[students.count - 1].result.upperBound
            mended += students.count
            progress.update(mended: mended, copied: copied, of: spool.size)
            candidates.removeAll(keepingCapacity: true)
            batchFiles.removeAll(keepingCapacity: true)
        }
        if !sealed.isEmpty {
            try index.forEachCandidate(
                matching: { sealed.mayRaise(rule: $0, shortKey: $1) },
                each: { student in
                    // A batch holds at most 1,024 students, of at most 8 input files (open while it is mended),
                    // and reaches at most `mendSpan` past the end of the batch before (so a student far from the
                    // one before is mended alone: its stretch is copied meanwhile). A student beyond starts a new
                    // batch.
                    let file = UInt32(student.reader)
                    if !candidates.isEmpty
                        && (student.result.upperBound - copied > mendSpan
                            || (batchFiles.count == Self.filesPerBatch && !batchFiles.contains(file)))
                    {
                        try mend()
                    }
                    batchFiles.insert(file)
                    candidates.append(student)
                    if candidates.count == 1024 { try mend() }
                })
            try mend()
        }
        try sink.copy(copied..<spool.size)
        try sink.finish()
    }

    /// The most input files a batch of cohort-rule mends reads from (each is open while the batch is mended).
    static let filesPerBatch = 8

    /// The new results of a few students, one after another, where each ends, and the summary's change.
    struct Mends: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var summary: BatchSummary.Builder?
    }

    /// A student's record that could not be read again.
    struct MendFailure: Error {
        var file: String
    }

    /// The size of a file, 0 when it has none (a pipe).
    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
    }
}

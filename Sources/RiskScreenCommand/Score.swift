import ArgumentParser
import Foundation
import RiskScreen

/// `riskscreen score`: assessments, counts per level by college and class, and the attention list.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score student records and list who needs attention.",
        discussion: """
            INPUT is a .yaml/.yml file, a .jsonl/.ndjson file (one JSON object a line), a students.csv file \
            (events.csv and scales.csv beside it are joined by student_id; X-students.csv goes with X-events.csv \
            and X-scales.csv), or a directory holding students.csv. Inputs must be UTF-8 (a byte order mark is \
            allowed); a file saved by Excel in China is GB18030: pass --encoding gb18030.

            table (the default): the assessments in input order, then counts per level by college and class, then \
            the attention list (everyone at the second level or above; level, then score, highest first, then id).
            json: JSON Lines, one object per assessment (id, as_of, score, level, score_level, route, response, \
            parents, fired [{id, label, dimension, points, evidence [{label, value}]}], escalations, caps, calendar, \
            notice). csv: a header row, then one row per assessment (id, college, class, as_of, level, \
            level_zh, level_en, confirmed_level, status, score, score_level, route, parents, actions, next_due, \
            fired, evidence, escalations, caps, level_changed_by, calendar, notice; the notice on the first row only), \
            starting with a UTF-8 byte order mark when --output ends in .csv (Excel in China needs one; \
            --bom/--no-bom to choose). For json and csv the summary (counts and attention list with each \
            student's main reason and route) goes to standard error, or to --summary FILE.

            Output shows what a role that does not see sensitive facts may see, unless --audience names a role of \
            the rule set that sees them: indicators and rules that read sensitive fields, events or scales, and \
            cohort rules, show as one "withheld" entry without dimension or points, and then the score and the \
            level by score are "withheld" too. Without --audience, the summary ends with a line that names the role \
            shown and the roles that see sensitive facts.

            Rejected records are printed on standard error with file, line, student and field, counted in the \
            summary, and the rest are scored.

            Exit codes: 0 success (even with rejected records); 1 rule errors, an input that cannot be read, \
            an output that cannot be written or that names an input or the other output (refused before the records are \
            read), or any rejected record under --strict (then no result is written); \
            64 bad usage (a bad date, format, encoding or role, or --bom/--no-bom without csv).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Option(help: "The rule-set directory or file.")
    var rules: String

    @Option(name: .customLong("as-of"), help: "The date to score for, YYYY-MM-DD.")
    var asOf: String

    @Option(help: "table, json (JSON Lines) or csv.")
    var format: Format = .table

    @Option(
        help:
            "Write the result to FILE (whole or not at all, keeping its mode; 0600 when new) instead of standard output."
    )
    var output: String?

    @Option(help: "For json and csv: write the summary to FILE instead of standard error.")
    var summary: String?

    @Flag(help: "Fail (exit 1, no result) when any record is rejected.")
    var strict = false

    @Option(help: "Show evidence as this role of the rule set sees it (default: a role that sees no sensitive facts).")
    var audience: String?

    @Option(help: "Encoding of the inputs: utf8 or gb18030.")
    var encoding: String = "utf8"

    @Flag(
        inversion: .prefixedNo,
        help:
            "For csv: start with a UTF-8 byte order mark, so Excel reads Chinese text (default: on when --output ends in .csv, off otherwise)."
    )
    var bom: Bool?

    @Argument(help: "Record files or CSV directories.")
    var inputs: [String]

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        _ = try parseEncoding(encoding)
        if inputs.isEmpty { throw ValidationError("expected at least one INPUT") }
        if let bom, format != .csv {
            throw ValidationError(ByteOrderMark.misplaced(bom, "with --format \(format.rawValue)"))
        }
        if let summary, format == .table {
            throw ValidationError(
                "--summary \(summary): the table (--format table, the default) already includes the summary (counts and attention list); "
                    + "expected --summary only with --format json or csv")
        }
    }

    func run() throws {
        let date = try parseDate(asOf, option: "--as-of")
        let engine = try loadEngine(rules)
        let role = try resolveAudience(audience, rules: engine.rules)
        // Checked before the records are read: no output may replace an input or another output.
        try FileIdentity.refuseOverlaps(
            outputs: [("--output", output), ("--summary", summary)].compactMap { option, path in
                path.map { (option, $0) }
            },
            inputs: inputs.flatMap(FileIdentity.filesRead(byInput:)) + engine.rules.files)
        // Both temporaries are opened now, so an output that cannot be written fails before the scoring.
        let writer = try OutputFile(output)
        let summaryFile = try (format == .table ? nil : summary).map { try OutputFile($0) }
        let textEncoding = try parseEncoding(encoding)
        if ScoreStream.applies(to: inputs, format: format, encoding: textEncoding) {
            var stream = ScoreStream(engine: engine, date: date, role: role, format: format)
            // Sizes the tests set, to cut a small input into many chunks and many batches of mends.
            func size(_ name: String) -> Int? {
                ProcessInfo.processInfo.environment[name].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
            }
            stream.chunkBytes = size("RISKSCREEN_CHUNK_BYTES") ?? stream.chunkBytes
            stream.mendSpan = size("RISKSCREEN_MEND_SPAN") ?? stream.mendSpan
            stream.attentionSpill = size("RISKSCREEN_ATTENTION_SPILL") ?? stream.attentionSpill
            stream.indexBuffer = size("RISKSCREEN_INDEX_BYTES") ?? stream.indexBuffer
            let outcome = try stream.run(
                inputs, into: writer, outputPath: output, strict: strict,
                bom: ByteOrderMark.wanted(bom, path: output), showProgress: ProgressLine.allowed(output: output))
            try finish(
                summary: outcome.summary, writer: writer, summaryFile: summaryFile, rules: engine.rules, role: role)
            return
        }
        let batch = try readInputs(inputs, schema: engine.rules.schema, encoding: textEncoding, audience: role)
        if strict && !batch.rejected.isEmpty {
            printError("\(batch.rejected.count) record(s) rejected; --strict: no result written")
            throw Exit.failure
        }
        let assessments = engine.assessInFull(batch.records, asOf: date)
        let summaryValue = BatchSummary(
            rules: engine.rules, records: batch.records, assessments: assessments, rejected: batch.rejected.count,
            for: .role(role))
        if format == .table {
            var text =
                AssessmentFormatting.assessmentTable(Parallel.map(assessments) { $0.visible(to: role) }) + "\n\n"
                + AssessmentFormatting.summaryText(summaryValue) + "\n"
            if audience == nil { text += Self.audienceHint(role, rules: engine.rules) + "\n" }
            if !batch.rejected.isEmpty {
                text += "\(batch.rejected.count) rejected record(s): reasons on standard error.\n"
            }
            try writer.write(text)
            try OutputFile.commit([writer])
            return
        }
        // For CSV, the college and class of each record, as the summary groups them.
        let groups = format == .csv ? BatchSummary.collegeAndClass(of: batch.records, schema: engine.rules.schema) : []
        if format == .csv {
            if ByteOrderMark.wanted(bom, path: output) { try writer.write(ByteOrderMark.text) }
            try writer.write(AssessmentFormatting.csvHeader(scores: engine.rules.scores) + "\r\n")
        }
        // Rendered on all cores a slice at a time, as the stream renders them, and written as it goes: the whole
        // result is never held in memory.
        let slice = 16_384
        let format = format
        for start in stride(from: 0, to: assessments.count, by: slice) {
            let part = ArraySlice(start..<min(assessments.count, start + slice))
            let rendered = Parallel.renderedLines(part, separator: format == .json ? "\n" : "\r\n") {
                ScoreStream.renderWithoutLineEnd(
                    assessments[$0], role: role, format: format, index: $0,
                    group: format == .csv ? groups[$0] : nil, to: &$1)
            }
            for bytes in rendered { try writer.write(bytes) }
        }
        try finish(summary: summaryValue, writer: writer, summaryFile: summaryFile, rules: engine.rules, role: role)
    }

    /// For json and csv, once the result is written: the summary to its file or standard error, and both files
    /// committed.
    private func finish(
        summary summaryValue: BatchSummary, writer: OutputFile, summaryFile: OutputFile?, rules: RuleSet, role: Role
    ) throws {
        // Written as it is made, a stretch of the attention list at a time: for a province it is tens of megabytes.
        // To standard error only once the result is in place, so until then it waits in a scratch file: held in
        // memory, it and the copies made to print it took 148 MB more at a million students (287 MB at the peak).
        // The result is whole: it goes to disk while the summary is made.
        writer.flushInBackground()
        let spool = summaryFile == nil ? SpoolFile.ifPossible(near: output) : nil
        // Where no scratch file can be made (no writable folder for a result on standard output), it is held whole.
        var held: [UInt8] = []
        func write(_ bytes: [UInt8]) throws {
            if let summaryFile {
                try summaryFile.write(bytes)
            } else if let spool {
                try spool.write(bytes)
            } else {
                held += bytes
            }
        }
        var text: [UInt8] = []
        try AssessmentFormatting.writeSummary(summaryValue, to: &text) { written in
            try write(written)
            written.removeAll(keepingCapacity: true)
        }
        text.append(0x0A)
        if audience == nil { text += (Self.audienceHint(role, rules: rules) + "\n").utf8 }
        try write(text)
        // Both flushed to disk before either is renamed into place.
        try OutputFile.commit([writer] + (summaryFile.map { [$0] } ?? []))
        if let spool {
            try spool.readLines { printError(String(decoding: $0, as: UTF8.self), terminator: "") }
        } else if summaryFile == nil {
            printError(String(decoding: held, as: UTF8.self), terminator: "")
        }
    }

    /// Under the summary when no `--audience` was given: whose view this is and how to see another's.
    static func audienceHint(_ role: Role, rules: RuleSet) -> String {
        let others = rules.roles.filter(\.seesSensitive).map(\.id)
        return "Shown as \(role.id) sees it, without sensitive facts"
            + (others.isEmpty
                ? "; the rule set has no role that sees them."
                : "; --audience ROLE shows another role's view (\(others.joined(separator: ", ")) see sensitive facts).")
    }
}

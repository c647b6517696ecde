import ArgumentParser
import Foundation
import RiskScreen
import RiskScreenSynthetic

/// `riskscreen generate`: a synthetic cohort with realistic rates, for demos and benchmarks.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic cohort of students.",
        discussion: """
            Writes N students that fit the schema of --rules (Rules/campus-default by default), the same for the \
            same seed, as-of date and rule set (its schema and the start of its academic year). About 11.1 % of students are drawn from an elevated group (1,770 of \
            15,950 on the key-attention list, 001 第四·二是); every field, event and scale has a baseline and an \
            elevated rate (see SyntheticCohort in the RiskScreenSynthetic target). Events and scale results fall in the 180 days \
            before --as-of.

            jsonl goes to standard output or --output FILE. csv needs --output DIR and writes students.csv, \
            events.csv and scales.csv there (score reads the directory), each starting with a UTF-8 byte order mark \
            as score's CSV does in a file named .csv (--no-bom leaves it out); --headers zh names the columns by \
            their Chinese aliases in the schema (学号, 学院, 班级 …), as a Chinese university's export does.

            Exit codes: 0 success; 1 rule errors, an output that cannot be written or that names a rule file; 64 bad \
            usage.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv
    }

    /// `--headers`: the schema's names or their Chinese aliases.
    enum Headers: String, ExpressibleByArgument, CaseIterable {
        case en, zh

        var cohortHeaders: SyntheticCohort.Headers { self == .zh ? .zh : .en }
    }

    @Option(help: "How many students.")
    var students: Int

    @Option(help: "The seed (an unsigned 64-bit integer).")
    var seed: UInt64

    @Option(name: .customLong("as-of"), help: "The date events and scales lead up to, YYYY-MM-DD.")
    var asOf: String = "2026-03-15"

    @Option(help: "jsonl or csv.")
    var format: Format = .jsonl

    @Option(
        help:
            "The rule set whose schema the records fit (Rules/campus-default, in the current folder or the checkout the command was built in)."
    )
    var rules: String = Self.defaultRules

    @Option(help: "A file (jsonl) or a directory (csv) to write to.")
    var output: String?

    @Option(help: "With csv: column names, en (the schema's names) or zh (their Chinese aliases: 学号, 学院, 班级 …).")
    var headers: Headers?

    @Flag(
        inversion: .prefixedNo,
        help: "With csv: start each table with a UTF-8 byte order mark, so Excel reads Chinese text (default: on).")
    var bom: Bool?

    /// The default `--rules`.
    static let defaultRules = "Rules/campus-default"

    /// `path` as given, unless it is the default and the current folder has no such rule set: then the bundled one of
    /// the checkout the command was built in (a folder above the executable, as `.build/…/riskscreen` sits in it), so
    /// `generate` works from any folder; the default as given when there is none (its error names it).
    static func resolved(_ path: String) -> String {
        let manager = FileManager.default
        guard path == defaultRules, !manager.fileExists(atPath: path) else { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent(defaultRules)
            if manager.fileExists(atPath: candidate.appendingPathComponent("ruleset.yaml").path) {
                return candidate.path
            }
            folder.deleteLastPathComponent()
        }
        return path
    }

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        guard students >= 0, students <= 10_000_000 else {
            throw ValidationError("--students \(students): expected 0 to 10000000")
        }
        if format == .csv && output == nil {
            throw ValidationError("--format csv writes three tables: expected --output DIR")
        }
        if format != .csv, let headers {
            throw ValidationError(
                "--headers \(headers.rawValue) with --format \(format.rawValue): only CSV has a header; expected --format csv"
            )
        }
        if format != .csv, let bom { throw ValidationError(ByteOrderMark.misplaced(bom, "with --format jsonl")) }
    }

    func run() throws {
        let date = try parseDate(asOf, option: "--as-of")
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet.load(from: Self.resolved(rules))
        } catch {
            printError(error.description)
            throw Exit.failure
        }
        let cohort = SyntheticCohort(rules: ruleSet, seed: seed, asOf: date)
        let chunk = 10_000
        switch format {
        case .jsonl:
            // Slices generated on all cores (each student depends only on the seed and its position) and written as they come.
            if let output { try FileIdentity.refuseOverlaps(outputs: [("--output", output)], inputs: ruleSet.files) }
            let writer = try OutputFile(output)
            let slice = 16_384
            for start in stride(from: 0, to: students, by: slice) {
                let indices = Array(start..<min(students, start + slice))[...]
                let rendered = Parallel.renderedLines(indices, separator: "\n", minimumPerWorker: 1024) {
                    $1.append(contentsOf: cohort.jsonLine($0).utf8)
                }
                for bytes in rendered { try writer.write(bytes) }
            }
            try OutputFile.commit([writer])
        case .csv:
            guard let output else { return }
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                printError("\(output): error: could not create the directory; expected a writable path")
                throw Exit.failure
            }
            let paths = ["students.csv", "events.csv", "scales.csv"].map { output + "/" + $0 }
            // Each table a file named .csv: with a byte order mark, as score's CSV output has one.
            let mark = ByteOrderMark.wanted(bom, path: paths[0]) ? ByteOrderMark.text : ""
            var tables = (mark, mark, mark)
            for start in stride(from: 0, to: max(students, 1), by: chunk) {
                let part = cohort.csvTables(
                    start..<min(students, start + chunk), header: start == 0, headers: (headers ?? .en).cohortHeaders)
                tables.0 += part.students
                tables.1 += part.events
                tables.2 += part.scales
            }
            try FileIdentity.refuseOverlaps(outputs: paths.map { ("--output", $0) }, inputs: ruleSet.files)
            // The three tables replace the old ones together or not at all.
            try OutputFile.write([(tables.0, paths[0]), (tables.1, paths[1]), (tables.2, paths[2])])
        }
    }
}

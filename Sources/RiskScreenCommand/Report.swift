import ArgumentParser
import RiskScreen
import RiskScreenReport

/// `riskscreen report`: the centre's report, one self-contained HTML file.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the centre's report: one self-contained HTML page.",
        discussion: """
            Scores INPUT on --as-of and writes --output: the counts per level by college and by class (charts, and \
            the same numbers in tables), with --previous the movers since that date (as diff --rules --from --to \
            lists them), the attention list (everyone at the second level or above, most urgent first, with the main \
            reason, route, status and the duties owed), and a section per student on it with the explanation. \
            The page loads nothing (no script, font or image) and prints as it shows.

            Output shows what a role that does not see sensitive facts may see, unless --audience names a role of \
            the rule set that sees them, exactly as score and explain show it; the header names the role.

            Exit codes: 0 success (even with rejected records, which are printed on standard error and counted); \
            1 rule errors, an input that cannot be read, or an output that cannot be written or that names an \
            input; 64 bad usage (a missing --output, a bad date, --previous not before --as-of, a bad encoding or \
            an unknown role).
            """)

    @Option(help: "The rule-set directory or file.")
    var rules: String

    @Option(name: .customLong("as-of"), help: "The date to score for, YYYY-MM-DD.")
    var asOf: String

    @Option(help: "An earlier date, YYYY-MM-DD: show who joined, left, moved up or down since then.")
    var previous: String?

    @Option(
        help: "Show the report as this role of the rule set sees it (default: a role that sees no sensitive facts).")
    var audience: String?

    @Option(help: "The HTML file to write (whole or not at all, keeping its mode; 0600 when new).")
    var output: String?

    @Option(help: "Encoding of the inputs: utf8 or gb18030.")
    var encoding: String = "utf8"

    @Argument(help: "Record files or CSV directories.")
    var inputs: [String]

    func validate() throws {
        let date = try parseDate(asOf, option: "--as-of")
        if let previous {
            let earlier = try parseDate(previous, option: "--previous")
            if earlier >= date {
                throw ValidationError(
                    "--previous \(earlier) is not before --as-of \(date): expected an earlier date with --previous")
            }
        }
        _ = try parseEncoding(encoding)
        if output == nil {
            throw ValidationError("missing --output: the report is an HTML file; expected --output FILE.html")
        }
        if inputs.isEmpty { throw ValidationError("expected at least one INPUT") }
    }

    func run() throws {
        guard let output else { throw ValidationError("missing --output: expected --output FILE.html") }
        let date = try parseDate(asOf, option: "--as-of")
        let earlier = try previous.map { try parseDate($0, option: "--previous") }
        let engine = try loadEngine(rules)
        let role = try resolveAudience(audience, rules: engine.rules)
        try FileIdentity.refuseOverlaps(
            outputs: [("--output", output)],
            inputs: inputs.flatMap(FileIdentity.filesRead(byInput:)) + engine.rules.files)
        let writer = try OutputFile(output)
        let batch = try readInputs(
            inputs, schema: engine.rules.schema, encoding: try parseEncoding(encoding), audience: role)
        let report: CentreReport
        do {
            report = try CentreReport(
                engine: engine, records: batch.records, rejected: batch.rejected.count, asOf: date, previous: earlier,
                audience: role, audienceChosen: audience != nil)
        } catch {
            throw ValidationError("--previous: \(error.description)")
        }
        try writer.write(report.html())
        try OutputFile.commit([writer])
    }
}

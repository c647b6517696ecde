import ArgumentParser
import RiskScreen

/// `riskscreen diff`: who moves between two rule sets, or between two as-of dates on the same rules.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two rule sets on the same students, or the same rules on two dates.",
        usage: """
            riskscreen diff --old RULES --new RULES --as-of DATE INPUT
            riskscreen diff --rules RULES --from DATE --to DATE INPUT [--format table|json|csv] [--summary FILE] \
            [--audience ROLE] [--bom | --no-bom]
            """,
        discussion: """
            With --old and --new: scores INPUT with the --old and the --new rules and prints a level-transition \
            matrix (old levels as rows, new levels as columns), then every student whose level changes with the \
            indicators that made the difference: + fired only under the new rules, − only under the old, ~ points \
            changed; escalations or caps that changed the level under one rule set and not the other; and a threshold \
            when the same score gives another level. Then the students whose score changed but not their level, \
            and a line per cause with how many students it moved by level and by score only. The input is read \
            once with each rule set's schema: a field, event kind, scale, score or CSV column that one schema does \
            not know is left out of that reading and counted (a warning on standard error and a line at the end), \
            so a new event kind's indicator shows who it moves; records rejected under either for another reason \
            (a bad value) are printed on standard error and listed at the end.

            With --rules, --from and --to: scores INPUT with the same rules on both dates (--to after --from) and \
            says who joined the list (status new, confirmed at attention or above, or review_lower), who left it \
            (including a case closed or a student who left), who moved up or down, whose status changed and whose \
            duties became overdue, each with what made the difference: indicators (+ fired only on the later date, \
            − only on the earlier, ~ points changed), escalations, caps and cohort rules that applied on one date \
            only, duties owed on one date only. Then the monthly summary per college and class: levels and statuses \
            on the later date, joined, left, moved, overdue and newly overdue duties; with several scores, also who \
            moved on each score's own level and each score's levels (never where the view withholds the score). \
            table (the default) prints \
            both; json prints one JSON object per student who changed and csv one row, and the summary in the same \
            format goes to standard error, or to --summary FILE. A CSV starts with a UTF-8 byte order mark as \
            score's does: in a --summary file named .csv, not on standard output (--bom/--no-bom to choose). \
            Output shows what a role that does not see \
            sensitive facts may see, unless --audience names a role of the rule set that sees them: sensitive \
            indicators, rules, cohort rules and duties are not named, and a change among them shows only as \
            "something withheld". Rejected records are printed on standard error and left out.

            Exit codes: 0 success; 1 rule errors, an unreadable input or an unwritable --summary; 64 bad usage \
            (a bad or missing date, --to not after --from, options of both forms mixed, a bad format or role).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Option(help: "The rule set before the change (with --new and --as-of).")
    var old: String?

    @Option(help: "The rule set after the change (with --old and --as-of).")
    var new: String?

    @Option(name: .customLong("as-of"), help: "The date to score for, YYYY-MM-DD (with --old and --new).")
    var asOf: String?

    @Option(help: "The rule set to score both dates with (with --from and --to).")
    var rules: String?

    @Option(help: "The earlier date, YYYY-MM-DD (with --rules and --to).")
    var from: String?

    @Option(help: "The later date, YYYY-MM-DD (with --rules and --from).")
    var to: String?

    @Option(help: "With --from/--to: table, json (JSON Lines) or csv.")
    var format: Format?

    @Option(help: "With --from/--to and --format json or csv: write the summary to FILE instead of standard error.")
    var summary: String?

    @Option(
        help:
            "With --from/--to: show it as this role of the rule set sees it (default: a role that sees no sensitive facts)."
    )
    var audience: String?

    @Flag(
        inversion: .prefixedNo,
        help:
            "With --format csv: start the CSV with a UTF-8 byte order mark (default: in a --summary file named .csv, not on standard output)."
    )
    var bom: Bool?

    @Option(help: "Encoding of the input: utf8 or gb18030.")
    var encoding: String = "utf8"

    @Argument(help: "A record file or CSV directory.")
    var input: String

    /// True for the comparison of two dates (`--rules`, `--from`, `--to`).
    var comparesDates: Bool { rules != nil || from != nil || to != nil }

    func validate() throws {
        _ = try parseEncoding(encoding)
        if comparesDates {
            let mixed = [("--old", old), ("--new", new), ("--as-of", asOf)].filter { $0.1 != nil }.map(\.0)
            if !mixed.isEmpty {
                throw ValidationError(
                    "\(mixed.joined(separator: ", ")) with --rules, --from or --to: expected either --old, --new and "
                        + "--as-of (two rule sets) or --rules, --from and --to (two dates)")
            }
            let missing = [("--rules", rules), ("--from", from), ("--to", to)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                throw ValidationError(
                    "missing \(missing.joined(separator: " and ")): comparing two dates needs --rules, --from and --to")
            }
            let (earlier, later) = try dates()
            if later <= earlier {
                throw ValidationError(
                    "--to \(later) is not after --from \(earlier): expected the earlier date with --from, the later with --to"
                )
            }
            if let bom, format != .csv {
                throw ValidationError(ByteOrderMark.misplaced(bom, "with --format \((format ?? .table).rawValue)"))
            }
            if let summary, (format ?? .table) == .table {
                throw ValidationError(
                    "--summary \(summary): the table (--format table, the default) already includes the summary; "
                        + "expected --summary only with --format json or csv")
            }
        } else {
            let stray = [
                ("--format", format?.rawValue), ("--summary", summary), ("--audience", audience),
                (bom == true ? "--bom" : "--no-bom", bom.map { "\($0)" }),
            ]
            .filter { $0.1 != nil }.map(\.0)
            if !stray.isEmpty {
                throw ValidationError(
                    "\(stray.joined(separator: ", ")): expected only when comparing two dates (--rules, --from, --to)")
            }
            let missing = [("--old", old), ("--new", new), ("--as-of", asOf)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                throw ValidationError(
                    "missing \(missing.joined(separator: " and ")): expected --old, --new and --as-of (two rule sets) "
                        + "or --rules, --from and --to (two dates)")
            }
            _ = try parseDate(asOf ?? "", option: "--as-of")
        }
    }

    /// `--from` and `--to`, parsed.
    func dates() throws -> (CivilDate, CivilDate) {
        (try parseDate(from ?? "", option: "--from"), try parseDate(to ?? "", option: "--to"))
    }

    func run() throws {
        if comparesDates { return try runDates() }
        guard let old, let new, let asOf else { throw ValidationError("expected --old, --new and --as-of") }
        let date = try parseDate(asOf, option: "--as-of")
        let encoding = try parseEncoding(encoding)
        let oldEngine = try loadEngine(old)
        let newEngine = try loadEngine(new)
        // Each rule set reads what its schema knows: the names it does not know are left out, counted and said.
        let oldBatch = try readInputs(
            [input], schema: oldEngine.rules.schema, encoding: encoding, quiet: true, unknownNames: .ignore)
        let newBatch = try readInputs(
            [input], schema: newEngine.rules.schema, encoding: encoding, quiet: true, unknownNames: .ignore)
        // Each line of a rejection (one per error of the record) says which rule set refused it.
        for (side, batch) in [("old rules: ", oldBatch), ("new rules: ", newBatch)] {
            for error in batch.rejected {
                for line in error.description.split(separator: "\n") { printError(side + line) }
            }
        }
        let ignored = [
            ("old rules (\(oldEngine.rules.id))", oldBatch.ignored),
            ("new rules (\(newEngine.rules.id))", newBatch.ignored),
        ].filter { !$0.1.isEmpty }
        for (side, names) in ignored {
            printError(
                PrintableText.escaped(
                    "warning: \(side): ignored \(names), which its schema does not know; those records are scored without them"
                ))
        }
        let diff = RuleSetDiff(
            old: oldEngine, oldRecords: oldBatch.records, new: newEngine, newRecords: newBatch.records, asOf: date,
            for: .fullView)
        var lines: [String] = []
        let paired = diff.matrix.joined().reduce(0, +)
        lines.append(
            "Level transitions: rows \(oldEngine.rules.id) (old), columns \(newEngine.rules.id) (new); "
                + "\(paired) students, \(diff.moves.count) move")
        lines.append(
            AssessmentFormatting.table(
                header: ["OLD \\ NEW"] + diff.newLevels,
                rows: diff.oldLevels.enumerated().map { row, level in [level] + diff.matrix[row].map(String.init) },
                right: Set(1...max(1, diff.newLevels.count))))
        lines += Self.moverSection("Students who move", diff.moves) { "\($0.oldLevel) → \($0.newLevel)" }
        lines += Self.moverSection("Score moves without a level move", diff.scoreMoves) { $0.newLevel }
        if !diff.causes.isEmpty {
            lines.append("")
            lines.append("Causes (students moved by level, by score only)")
            for cause in diff.causes {
                lines.append(
                    "  " + PrintableText.escaped(cause.cause)
                        + ": \(cause.levelMoves) by level, \(cause.scoreMoves) by score")
            }
        }
        if !ignored.isEmpty {
            lines.append("")
            lines.append("Read without what the schema does not know (ignored and counted)")
            for (side, names) in ignored { lines.append("  " + PrintableText.escaped("\(side): \(names)")) }
        }
        if !diff.unpaired.isEmpty {
            lines.append("")
            lines.append(
                "Scored under only one rule set (rejected under the other): \(PrintableText.escaped(diff.unpaired.joined(separator: ", ")))"
            )
        }
        print(lines.joined(separator: "\n"))
    }
}

extension Diff {
    /// A blank line, `title (count)`, `nobody` when there are none, then each mover as `ID: LEVEL (score a → b; each
    /// score that changed)` with its changes below it.
    static func moverSection(_ title: String, _ moves: [RuleSetDiff.Move], level: (RuleSetDiff.Move) -> String)
        -> [String]
    {
        var lines = ["", "\(title) (\(moves.count))"]
        if moves.isEmpty { lines.append("  nobody") }
        for move in moves {
            lines.append(
                PrintableText.escaped(
                    "  \(move.studentID): \(level(move)) (score \(AssessmentFormatting.number(move.oldScore)) → "
                        + AssessmentFormatting.number(move.newScore)
                        + RuleSetDiff.scoreChanges(move).map { "; \($0)" }.joined() + ")"))
            for change in move.changes { lines.append("      " + PrintableText.escaped("\(change)")) }
        }
        return lines
    }

    /// The same rules on two dates: the movers and the monthly summary, as the audience may see them.
    func runDates() throws {
        guard let rules else { throw ValidationError("expected --rules") }
        let (earlier, later) = try dates()
        let engine = try loadEngine(rules)
        let role = try resolveAudience(audience, rules: engine.rules)
        if let summary {
            try FileIdentity.refuseOverlaps(
                outputs: [("--summary", summary)],
                inputs: FileIdentity.filesRead(byInput: input) + engine.rules.files)
        }
        let summaryFile = try summary.map { try OutputFile($0) }
        let batch = try readInputs(
            [input], schema: engine.rules.schema, encoding: try parseEncoding(encoding), audience: role)
        let diff = try AsOfDiff(engine: engine, records: batch.records, from: earlier, to: later, for: .role(role))
        let summaryText: String
        switch format ?? .table {
        case .table:
            print(diff.moversText(audience: role.id) + "\n\n" + diff.summaryText())
            return
        case .json:
            for line in diff.moversJSONLines() { print(line) }
            summaryText = diff.summaryJSONLines().map { $0 + "\n" }.joined()
        case .csv:
            // The byte order mark as score writes it: on standard output only when asked, in a file named .csv.
            if ByteOrderMark.wanted(bom, path: nil) { print(ByteOrderMark.text, terminator: "") }
            print(diff.moversCSVColumns, terminator: "\r\n")
            for row in diff.moversCSVRows() { print(row, terminator: "\r\n") }
            summaryText =
                (ByteOrderMark.wanted(bom, path: summary) ? ByteOrderMark.text : "")
                + ([diff.summaryCSVHeader] + diff.summaryCSVRows()).map { $0 + "\r\n" }.joined()
        }
        if let summaryFile {
            try summaryFile.write(summaryText)
            try OutputFile.commit([summaryFile])
        } else {
            printError(summaryText, terminator: "")
        }
    }
}

import ArgumentParser
import RiskScreen

/// `riskscreen diff`: who moves between two rule sets, and which indicators moved them.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two rule sets on the same students.",
        discussion: """
            Scores INPUT with the --old and the --new rules and prints a level-transition matrix (old levels as \
            rows, new levels as columns), then every student whose level changes with the indicators that made \
            the difference: + fired only under the new rules, − only under the old, ~ points changed; and \
            escalations or caps that changed the level under one rule set and not the other. The input is read \
            once with each rule set's schema; records rejected under either are printed on standard error.

            Exit codes: 0 success; 1 rule errors or an unreadable input; 64 bad usage.
            """)

    @Option(help: "The rule set before the change.")
    var old: String

    @Option(help: "The rule set after the change.")
    var new: String

    @Option(name: .customLong("as-of"), help: "The date to score for, YYYY-MM-DD.")
    var asOf: String

    @Option(help: "Encoding of the input: utf8 or gb18030.")
    var encoding: String = "utf8"

    @Argument(help: "A record file or CSV directory.")
    var input: String

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
        _ = try parseEncoding(encoding)
    }

    func run() throws {
        let date = try parseDate(asOf, option: "--as-of")
        let encoding = try parseEncoding(encoding)
        let oldEngine = try loadEngine(old)
        let newEngine = try loadEngine(new)
        let oldBatch = try readInputs([input], schema: oldEngine.rules.schema, encoding: encoding, quiet: true)
        let newBatch = try readInputs([input], schema: newEngine.rules.schema, encoding: encoding, quiet: true)
        for error in oldBatch.rejected { printError("old rules: " + error.description) }
        for error in newBatch.rejected { printError("new rules: " + error.description) }
        let diff = RuleSetDiff(
            old: oldEngine, oldRecords: oldBatch.records, new: newEngine, newRecords: newBatch.records, asOf: date)
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
        lines.append("")
        lines.append("Students who move (\(diff.moves.count))")
        if diff.moves.isEmpty { lines.append("  nobody") }
        for move in diff.moves {
            lines.append(
                PrintableText.escaped(
                    "  \(move.studentID): \(move.oldLevel) → \(move.newLevel) "
                        + "(score \(AssessmentFormatting.number(move.oldScore)) → \(AssessmentFormatting.number(move.newScore)))"
                ))
            for change in move.changes { lines.append("      " + PrintableText.escaped("\(change)")) }
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

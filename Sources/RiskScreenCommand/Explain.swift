import ArgumentParser
import RiskScreen

/// `riskscreen explain`: why one student has their level, point by point, and what came closest to firing.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one student's level, point by point.",
        discussion: """
            Prints the assessment of --student: every indicator that fired with its points and evidence, the level \
            the score gives, caps and escalations, calendar effects, route and response. Then "closest to firing": \
            indicators whose condition held but that counted only inside a calendar window not in force, or whose \
            value was below their first band, then those whose condition could not be decided because the record \
            lacks a value. Indicators whose condition was simply false are not listed, nor display-only ones \
            (they change no level).

            Indicators and rules that read sensitive facts, and cohort rules, are withheld unless --audience names \
            a role that sees them (and with them the score); sensitive indicators are then not listed as close to \
            firing. INPUT is read and scored as by score, cohort rules included: a student raised by a rule over their \
            dorm or class has the same level here as in score.

            Exit codes: 0 success; 1 rule errors, an unreadable input, or a student who is not in INPUT (or whose \
            record was rejected); 64 bad usage.
            """)

    @Option(help: "The rule-set directory or file.")
    var rules: String

    @Option(name: .customLong("as-of"), help: "The date to score for, YYYY-MM-DD.")
    var asOf: String

    @Option(help: "The student's id.")
    var student: String

    @Option(help: "Show evidence as this role of the rule set sees it (default: a role that sees no sensitive facts).")
    var audience: String?

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
        let engine = try loadEngine(rules)
        let role = try resolveAudience(audience, rules: engine.rules)
        let batch = try readInputs(
            [input], schema: engine.rules.schema, encoding: try parseEncoding(encoding), quiet: true)
        guard let position = batch.records.firstIndex(where: { $0.id == student }) else {
            if let rejection = batch.rejected.first(where: { $0.studentID == student }) {
                printError("student \(student) was rejected, so it has no assessment:")
                printError(rejection.visible(to: role).description)
            } else {
                printError(
                    "\(input): error: found no student \(student); expected the id of one of its \(batch.records.count) students"
                )
            }
            throw Exit.failure
        }
        let record = batch.records[position]
        // The whole batch is scored, as by score, so that cohort rules (a roommate in crisis) reach this student too.
        let assessment = engine.assess(batch.records, asOf: date, for: .role(role))[position]
        var lines = [assessment.explanation, "", "Closest to firing:"]
        let misses = engine.nearMisses(record, asOf: date, for: .role(role))
        if misses.isEmpty {
            lines.append("  nothing: every indicator that did not fire had a condition that was false")
        } else {
            lines += misses.map { "  " + PrintableText.escaped($0.description) }
        }
        print(lines.joined(separator: "\n"))
    }
}

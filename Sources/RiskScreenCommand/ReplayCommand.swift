import ArgumentParser
import Foundation
import RiskScreen

/// `riskscreen replay --rules RULES FIXTURES… [--record [--overwrite-reasoned]]`: expected against actual, with per-rule
/// coverage.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Replay fixture cohorts against a rule set: mismatches, coverage, and --record to rewrite expectations.",
        discussion: "Exit codes: 0 every expectation holds; 1 a mismatch, a rejected fixture record or rule errors.")

    @Option(help: "The rule set (default: the rules: named by each fixture).")
    var rules: String?

    @Argument(help: "Fixture files (YAML with as_of, students and expect:).")
    var fixtures: [String]

    @Flag(help: "Rewrite the expectations that do not hold to what the rules give now, and show what changed.")
    var record = false

    @Flag(
        help:
            "With --record: rewrite hand-reasoned fixtures too, marking each rewritten why: \"REVIEW (re-recorded DATE: …)\"."
    )
    var overwriteReasoned = false

    func validate() throws {
        if overwriteReasoned && !record { throw ValidationError("--overwrite-reasoned is only for --record") }
    }

    func run() throws {
        var failed = false
        var recorded: [(path: String, text: [UInt8])] = []
        var refused = false
        var coverageByRules: [String: (RuleSet, Coverage)] = [:]
        var order: [String] = []
        let mark = overwriteReasoned ? ReviewMark(date: Self.today()) : nil
        for path in fixtures {
            let rulesPath: String
            if let rules {
                rulesPath = rules
            } else {
                guard let named = try FixtureLoader.rulesPath(of: path) else {
                    printError("\(path): error: the fixture names no rules: and no --rules was given")
                    throw ExitCode(1)
                }
                rulesPath = named
            }
            let ruleSet: RuleSet
            do {
                ruleSet = try RuleSet.load(from: rulesPath)
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            let fixture = try FixtureLoader.load(path, rules: ruleSet)
            let replay = try Replay(rules: ruleSet)
            for rejected in fixture.rejected {
                printError(rejected.description)
                failed = true
            }
            if record {
                let text: [UInt8]
                let changes: [Replay.RecordedChange]
                do {
                    (text, changes) = try replay.record(fixture, overwritingReasoned: mark)
                } catch {
                    printError(error.description)
                    refused = true
                    continue
                }
                if !changes.isEmpty { recorded.append((path, text)) }
                print("\(path): \(changes.count) expectation\(changes.count == 1 ? "" : "s") re-recorded")
                for change in changes {
                    print(
                        PrintableText.escaped(
                            "  \(change.studentID): \(change.before?.description ?? "none") → \(change.after.description)"
                        ))
                    if change.markedWhy != nil { print("    why: marked for review") }
                }
                let marked = changes.filter { $0.markedWhy != nil }.count
                if marked > 0 {
                    print(
                        "  \(marked) why: marked \"\(ReviewMark.prefix)…\": re-reason each and rewrite it without the mark"
                    )
                }
                continue
            }
            let report = replay.run(fixture)
            let mismatches = report.mismatches
            print(
                "\(path) (\(ruleSet.id), as of \(report.asOf)): \(report.results.count - mismatches.count) of \(report.results.count) students as expected"
            )
            let review = report.markedForReview
            if !review.isEmpty {
                print(
                    "  \(review.count) student\(review.count == 1 ? "" : "s") still marked for review (a why: written before its expectation was re-recorded):"
                )
                for result in review {
                    print(
                        PrintableText.escaped(
                            "  REVIEW \(result.location): \(result.studentID) (\(ReviewMark.note(of: result.why) ?? ""))"
                        ))
                }
            }
            for result in mismatches {
                failed = true
                print(PrintableText.escaped("  MISMATCH \(result.location): \(result.studentID)"))
                for difference in result.differences { print(PrintableText.escaped("    \(difference)")) }
                if let why = result.why {
                    for line in why.split(separator: "\n", omittingEmptySubsequences: false) {
                        print(PrintableText.escaped("    why: \(line)"))
                    }
                }
                for line in result.actual.explanation.split(separator: "\n") {
                    print(PrintableText.escaped("    | \(line)"))
                }
            }
            let key = ruleSet.files.joined(separator: "|")
            if let (existing, coverage) = coverageByRules[key] {
                var merged = coverage
                merged.merge(report.coverage)
                coverageByRules[key] = (existing, merged)
            } else {
                coverageByRules[key] = (ruleSet, report.coverage)
                order.append(key)
            }
        }
        if refused {
            printError("error: --record refused to rewrite a fixture; no file was written")
            throw ExitCode(1)
        }
        // Written only once every fixture could be re-recorded, so that a refusal leaves all of them as they were;
        // each keeps its mode, and every temporary is flushed before the first is renamed into place.
        var files: [OutputFile] = []
        for (path, text) in recorded {
            let file = try OutputFile(path)
            try file.write(text)
            files.append(file)
        }
        if !files.isEmpty { try OutputFile.commit(files) }
        for key in order {
            guard let (ruleSet, coverage) = coverageByRules[key] else { continue }
            print("\nCoverage of \(ruleSet.id) (students who exercised each rule):")
            for kind in Coverage.Kind.allCases {
                let entries = coverage.entries.filter { $0.kind == kind }
                if entries.isEmpty { continue }
                print("  \(kind.rawValue):")
                for entry in entries { print("    \(String(entry.students).leftPadded(to: 5))  \(entry.id)") }
            }
            let unexercised = coverage.unexercised
            print(
                unexercised.isEmpty
                    ? "  every rule exercised"
                    : "  never exercised (\(unexercised.count)): "
                        + unexercised.map { "\($0.kind.rawValue) \($0.id)" }.joined(separator: ", "))
        }
        if failed { throw ExitCode(1) }
    }
}

extension ReplayCommand {
    /// Today's date where the command runs, for the review mark.
    static func today() -> CivilDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CivilDate(dayNumber: Int(Date().timeIntervalSince1970 / 86_400))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

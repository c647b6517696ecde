import ArgumentParser
import Foundation
import RiskScreen

/// The `riskscreen` command: validate rule sets, score and explain records, replay fixtures, compare rule sets.
@main
struct RiskScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riskscreen",
        abstract: "Rule-based mental-health risk screening for counselling centres.",
        discussion: """
            Exit codes: 0 success; 1 rule errors, an unreadable input or unwritable output, rejected records \
            under --strict, an unknown student (explain), or replay mismatches; 64 bad usage (a bad option value, \
            such as a date that is not YYYY-MM-DD, an unknown format, encoding or role). Errors go to standard \
            error, results alone to standard output.
            """,
        subcommands: [
            Validate.self, Score.self, Explain.self, ReplayCommand.self, Diff.self, Generate.self, Report.self,
        ]
    )

    /// Installs the removal of temporary files on SIGINT, SIGTERM and SIGHUP before any other thread starts, then
    /// runs the command; stops (exit 1) when it cannot, rather than leave a temporary file of students' data behind.
    static func main() {
        if let failure = TemporaryFiles.shared.removeOnSignals() {
            printError(failure.message("to remove temporary files on a signal"))
            Foundation.exit(1)
        }
        main(nil)
    }
}

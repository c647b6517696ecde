import ArgumentParser
import RiskScreen

/// The `riskscreen` command: validate rule sets, score and explain records, replay fixtures, compare rule sets.
@main
struct RiskScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riskscreen",
        abstract: "Rule-based mental-health risk screening for counselling centres.",
        discussion: """
            Exit codes: 0 success; 1 rule errors, rejected records under --strict, or replay mismatches; \
            64 bad usage.
            """,
        subcommands: [Validate.self]
    )
}

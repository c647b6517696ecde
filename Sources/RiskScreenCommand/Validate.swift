import ArgumentParser
import RiskScreen

/// `riskscreen validate RULES`: every error and warning of a rule set.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a rule set and print every error and warning.")

    @Argument(help: "A rule-set directory or file.")
    var rules: String

    func run() throws {
        do {
            let ruleSet = try RuleSet.load(from: rules)
            for warning in ruleSet.warnings { printError(warning.description) }
            // The path first: a copy of a rule set keeps the id written in its files, and should not be taken for it.
            print(
                "\(rules) (rule set \(ruleSet.id)): \(ruleSet.indicators.count) indicators, \(ruleSet.levels.count) levels, "
                    + "\(ruleSet.escalations.count) escalations, \(ruleSet.caps.count) caps; 0 errors, \(ruleSet.warnings.count) warnings"
            )
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

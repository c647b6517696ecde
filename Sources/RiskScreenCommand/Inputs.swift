import ArgumentParser
import Foundation
import RiskScreen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exit codes, as `--help` documents them.
enum Exit {
    /// Rule errors, an input that cannot be read, rejected records under `--strict`, an unknown student.
    static let failure = ExitCode(1)
}

/// Loads a rule set and an engine, printing every error on standard error and exiting 1 when it cannot.
func loadEngine(_ path: String) throws -> ScoringEngine {
    do {
        let rules = try RuleSet.load(from: path)
        for warning in rules.warnings { printError(warning.description) }
        return try ScoringEngine(rules: rules)
    } catch {
        printError(error.description)
        throw Exit.failure
    }
}

/// Parses a `YYYY-MM-DD` option strictly.
func parseDate(_ text: String, option: String) throws -> CivilDate {
    guard let date = CivilDate(iso: text) else {
        throw ValidationError(
            "\(option) \(text): expected a date YYYY-MM-DD between \(CivilDate.earliestYear) and \(CivilDate.latestYear)"
        )
    }
    return date
}

/// Parses `--encoding`.
func parseEncoding(_ text: String) throws -> TextEncoding {
    guard let encoding = TextEncoding(rawValue: text.lowercased().replacingOccurrences(of: "-", with: "")) else {
        throw ValidationError("--encoding \(text): expected utf8 or gb18030")
    }
    return encoding
}

/// The role whose view of sensitive evidence is shown: `--audience`, or a role that sees no sensitive facts.
/// An unknown role is a usage error (exit 64) whose message lists the rule set's roles.
func resolveAudience(_ name: String?, rules: RuleSet) throws -> Role {
    guard let name else { return rules.leastPrivilegedRole }
    guard let role = rules.role(named: name) else {
        let known = rules.roles.map(\.id)
        printError(
            "error: --audience \(name): found no such role in the rule set \(rules.id); expected "
                + (known.isEmpty
                    ? "no --audience, as it declares no roles" : "one of its roles: \(known.joined(separator: ", "))"))
        throw ExitCode.validationFailure
    }
    return role
}

/// Reads every input against a schema. A file that cannot be read at all ends the command (exit 1); rejected
/// records are printed on standard error (as `audience` may read them) and counted. An id seen in an earlier file is
/// rejected. Names the schema does not know refuse their record, or with `unknownNames: .ignore` (for `diff` only) are
/// left out and counted in the batch's `ignored`.
func readInputs(
    _ paths: [String], schema: Schema, encoding: TextEncoding, quiet: Bool = false, audience: Role? = nil,
    unknownNames: UnknownNames = .refuse
) throws -> RecordBatch {
    var batch = RecordBatch()
    var register = StudentIDRegister()
    for path in paths {
        // One input: its reader has already rejected repeated ids.
        if paths.count == 1 {
            do {
                batch = try RecordReader.read(
                    contentsOf: path, schema: schema, encoding: encoding, unknownNames: unknownNames)
            } catch {
                printError(error.description)
                throw Exit.failure
            }
            break
        }
        let read: RecordBatch
        do {
            read = try RecordReader.read(
                contentsOf: path, schema: schema, encoding: encoding, unknownNames: unknownNames)
        } catch {
            printError(error.description)
            throw Exit.failure
        }
        for record in read.records {
            let location = record.location ?? SourceLocation(file: path, line: 1, column: 1)
            if let rejection = register.register(record.id, at: location, place: "in \(path)") {
                batch.rejected.append(rejection)
                continue
            }
            batch.records.append(record)
        }
        batch.rejected += read.rejected
        batch.ignored.merge(read.ignored)
    }
    if !quiet {
        for error in batch.rejected { printError((audience.map { error.visible(to: $0) } ?? error).description) }
    }
    return batch
}

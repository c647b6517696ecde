import ArgumentParser
import RiskScreen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

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
        throw ValidationError("\(option) \(text): expected a date YYYY-MM-DD between \(CivilDate.earliestYear) and \(CivilDate.latestYear)")
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
func resolveAudience(_ name: String?, rules: RuleSet) throws -> Role {
    guard let name else { return rules.leastPrivilegedRole }
    guard let role = rules.role(named: name) else {
        let known = rules.roles.map(\.id)
        throw ValidationError(
            "--audience \(name): expected a role of \(rules.id)" + (known.isEmpty ? " (it declares none)" : ": \(known.joined(separator: ", "))"))
    }
    return role
}

/// Reads every input against a schema. A file that cannot be read at all ends the command (exit 1); rejected
/// records are printed on standard error and counted. An id seen in an earlier file is rejected.
func readInputs(_ paths: [String], schema: Schema, encoding: TextEncoding, quiet: Bool = false) throws -> RecordBatch {
    var batch = RecordBatch()
    var seen: [String: String] = [:]
    for path in paths {
        // One input: its reader has already rejected repeated ids.
        if paths.count == 1 {
            do {
                batch = try RecordReader.read(contentsOf: path, schema: schema, encoding: encoding)
            } catch {
                printError(error.description)
                throw Exit.failure
            }
            break
        }
        let read: RecordBatch
        do {
            read = try RecordReader.read(contentsOf: path, schema: schema, encoding: encoding)
        } catch {
            printError(error.description)
            throw Exit.failure
        }
        for record in read.records {
            if let first = seen[record.id] {
                let location = record.location ?? SourceLocation(file: path, line: 1, column: 1)
                batch.rejected.append(
                    RecordError(at: location, studentID: record.id, field: "id", "found the id a second time (first in \(first)); expected each student once"))
                continue
            }
            seen[record.id] = path
            batch.records.append(record)
        }
        batch.rejected += read.rejected
    }
    if !quiet {
        for error in batch.rejected { printError(error.description) }
    }
    return batch
}

/// Writes text to standard output, or to a file atomically (a temporary file beside it, then a rename).
func writeResult(_ text: String, to path: String?) throws {
    let writer = try ResultWriter(to: path)
    try writer.write(text)
    try writer.finish()
}

/// Writes a result in pieces: to standard output, or to a temporary file renamed into place when finished,
/// so a file is never left half-written and a large result is never held whole in memory.
final class ResultWriter {
    private let path: String?
    private let temporary: String?
    private let handle: FileHandle

    init(to path: String?) throws {
        self.path = path
        guard let path else {
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            printError("\(path): error: could not write \(temporary); expected a writable directory")
            throw Exit.failure
        }
        self.temporary = temporary
        self.handle = handle
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            if let temporary { unlink(temporary) }
            printError("\(path ?? "standard output"): error: could not write the result (\(error))")
            throw Exit.failure
        }
    }

    func finish() throws {
        guard let path, let temporary else { return }
        try? handle.close()
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            printError("\(path): error: could not rename the result into place (\(reason))")
            throw Exit.failure
        }
    }
}

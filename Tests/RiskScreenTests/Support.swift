import Foundation

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Paths and helpers shared by the tests.
enum TestSupport {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let campusRules = testsDirectory + "/Rules/test-campus"
    static let collegeRules = testsDirectory + "/Rules/test-college"
    /// The bundled rule set the command uses by default.
    static let campusDefault = testsDirectory + "/../../Rules/campus-default"

    /// The folder every test's temporary files go in, one per run of the tests, removed when the process exits.
    static let temporaryRoot: String = {
        let path = NSTemporaryDirectory() + "riskscreen-tests-" + UUID().uuidString
        // Open to all whatever the umask, as /tmp is: a test runs the command as `nobody` in a folder of its own.
        try? FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        atexit { try? FileManager.default.removeItem(atPath: TestSupport.temporaryRoot) }
        return path
    }()

    static func loadCampus() throws -> RuleSet { try RuleSet.load(from: campusRules) }

    /// Writes files into a fresh temporary directory and returns its path.
    static func directory(_ files: [String: String]) throws -> String {
        let path = temporaryRoot + "/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            let filePath = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (filePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: filePath, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// Reads records written as YAML against a rule set's schema; fails the test on a rejected record.
    static func records(_ yaml: String, schema: Schema) throws -> [StudentRecord] {
        let batch = try RecordReader.readYAML(Array(yaml.utf8), file: "test.yaml", schema: schema)
        if let first = batch.rejected.first { throw first }
        return batch.records
    }

    static func date(_ text: String) -> CivilDate {
        guard let date = CivilDate(iso: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    /// The errors of a one-file rule set, as `line:column: message`; empty when it loads.
    static func ruleErrors(_ text: String) throws -> [String] {
        let path = try directory(["rules.yaml": text])
        do {
            _ = try RuleSet.load(from: path)
            return []
        } catch {
            return error.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }
}

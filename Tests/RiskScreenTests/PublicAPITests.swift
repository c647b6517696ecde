import Foundation
import Testing

/// Issue 15 item 5: the public surface holds no storage layout, and no public enum can grow under a client's switch.
@Suite struct PublicAPITests {
    static let sources = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources").path
    static let libraryTargets = [
        "RiskScreenSupport", "RiskScreenYAML", "RiskScreenRules", "RiskScreenRecords", "RiskScreenScoring",
        "RiskScreenReplay", "RiskScreen",
    ]

    /// Every Swift file of the library product's targets, with its lines.
    static func libraryFiles() throws -> [(path: String, lines: [Substring])] {
        var files: [(String, [Substring])] = []
        for target in libraryTargets {
            let root = sources + "/" + target
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let path as String in walker where path.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
                files.append((target + "/" + path, text.split(separator: "\n", omittingEmptySubsequences: false)))
            }
        }
        return files
    }

    @Test func everyPublicEnumWithCasesIsDocumentedAsFrozen() throws {
        var open: [String] = []
        for (path, lines) in try Self.libraryFiles() {
            for (number, line) in lines.enumerated() where line.contains("public enum ") {
                // A caseless enum is a namespace (RecordReader, CSVReader, FixtureLoader): nothing to switch on.
                // Its own cases are declared one level in: `case name`, not a switch's `case .name:`.
                let indent = String(line.prefix { $0 == " " })
                let body = lines[(number + 1)...].prefix { !$0.hasPrefix(indent + "}") }
                guard body.contains(where: { $0.hasPrefix(indent + "    case ") && !$0.hasSuffix(":") }) else {
                    continue
                }
                let doc = lines[..<number].reversed().prefix {
                    $0.trimmingCharacters(in: .whitespaces).hasPrefix("///")
                }
                if !doc.contains(where: { $0.contains("Frozen:") }) { open.append("\(path):\(number + 1)") }
            }
        }
        #expect(open.isEmpty, "public enums that may grow: make them a struct of named values, or say Frozen: \(open)")
    }

    @Test func storageSlotsAndIndicesAreNotPublic() throws {
        let storage = [
            "var slot: Int", "let index: Int", "var index: Int", "valueSlotCount", "textSlotCount", "enum Truth",
            "let fixtureKeys",
        ]
        var found: [String] = []
        for (path, lines) in try Self.libraryFiles() {
            for (number, line) in lines.enumerated() where line.contains("public ") {
                for name in storage where line.contains(name) {
                    // The attention list's position of a student in the batch is the caller's own index, not storage.
                    if path.hasSuffix("BatchSummary.swift") && name == "let index: Int" { continue }
                    found.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "\(found)")
    }
}

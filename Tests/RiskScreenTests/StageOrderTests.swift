import Foundation
import Testing

/// The library's stages are targets in the order data flows through them, and every arrow points down: no target
/// imports, or declares a dependency on, a later one (see "Architecture" in the README).
@Suite struct StageOrderTests {
    /// Every target, earliest first: each may use only those before it.
    static let order = [
        "CYAML", "RiskScreenSupport", "RiskScreenYAML", "RiskScreenRules", "RiskScreenRecords", "RiskScreenScoring",
        "RiskScreenReplay", "RiskScreen", "RiskScreenSynthetic", "RiskScreenReport", "RiskScreenCommand",
    ]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The targets of this package a Swift file imports, with the line of each import.
    static func imports(in file: URL) throws -> [(module: String, line: Int)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var found: [(String, Int)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ").map(String.init)
            guard let importWord = words.firstIndex(of: "import"), importWord + 1 < words.count,
                words[..<importWord].allSatisfy({ $0.hasPrefix("@") || ["public", "package", "internal"].contains($0) })
            else { continue }
            let module = words[importWord + 1]
            if order.contains(module) { found.append((module, number + 1)) }
        }
        return found
    }

    @Test func everySourceFolderIsAStageInTheOrder() throws {
        let folders = try FileManager.default.contentsOfDirectory(
            atPath: Self.root.appendingPathComponent("Sources").path
        )
        .filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == Set(Self.order))
    }

    @Test func noSourceFileImportsALaterStage() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        var checked = 0
        var upward: [String] = []
        for (position, target) in Self.order.enumerated() {
            let folder = sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let file as URL in files where file.pathExtension == "swift" {
                checked += 1
                for (module, line) in try Self.imports(in: file) {
                    guard let imported = Self.order.firstIndex(of: module) else { continue }
                    if imported >= position {
                        upward.append("\(file.lastPathComponent):\(line) imports \(module) into \(target)")
                    }
                }
            }
        }
        #expect(checked > 50)
        #expect(upward == [])
    }

    @Test func noSourceFileIsLongerThan600Lines() throws {
        // A file that long does more than one job (issue 14): split it by job, as ScoringEngine's cohort rules and
        // drafting were.
        let sources = Self.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var long: [String] = []
        var checked = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            checked += 1
            let lines = try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            if lines.count > 601 { long.append("\(file.lastPathComponent): \(lines.count - 1) lines") }
        }
        #expect(checked > 50)
        #expect(long == [])
    }

    @Test func noTargetDeclaresADependencyOnALaterStage() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Each target declaration from `name: "X"` to the next one; the names in quotes after `dependencies:` are its
        // dependencies (products of other packages are named with `package:` and are not stages).
        let parts = manifest.components(separatedBy: "name: \"").dropFirst()
        var declared: [String: [String]] = [:]
        for part in parts {
            guard let name = part.split(separator: "\"").first.map(String.init), Self.order.contains(name) else {
                continue
            }
            guard let dependencies = part.range(of: "dependencies:") else {
                declared[name, default: []] += []
                continue
            }
            let quoted = part[dependencies.upperBound...].split(separator: "\"", omittingEmptySubsequences: false)
            let names = stride(from: 1, to: quoted.count, by: 2).map { String(quoted[$0]) }
            declared[name, default: []] += names.filter { Self.order.contains($0) }
        }
        #expect(Set(declared.keys).isSuperset(of: Self.order.filter { $0 != "CYAML" && $0 != "RiskScreenSupport" }))
        for (target, dependencies) in declared {
            let position = try #require(Self.order.firstIndex(of: target))
            for dependency in dependencies {
                let index = try #require(Self.order.firstIndex(of: dependency))
                #expect(index < position, "\(target) depends on the later \(dependency)")
            }
        }
    }

    @Test func theLibraryProductDependsOnNoOtherPackage() throws {
        // The report's template package (swift-mustache) and argument parsing are the command's; a program that links
        // RiskScreen gets libyaml and nothing else. A declaration that names a product of another package is cut at
        // that product's `name: "`, so its text ends in `.product(`.
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let library = Self.order.prefix(through: try #require(Self.order.firstIndex(of: "RiskScreen")))
        var checked = 0
        for part in manifest.components(separatedBy: "name: \"").dropFirst() {
            guard let name = part.split(separator: "\"").first.map(String.init), library.contains(name) else {
                continue
            }
            checked += 1
            #expect(!part.contains(".product("), "\(name) depends on another package")
        }
        #expect(checked >= library.count)
        let report = try #require(manifest.range(of: "name: \"RiskScreenReport\""))
        #expect(manifest[report.upperBound...].prefix(200).contains(".product("), "the check sees a product dependency")
    }
}

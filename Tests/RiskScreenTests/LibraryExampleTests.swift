import Foundation
import Testing

/// Issue 15 item 7: the README's library example is the example package CI runs, word for word.
@Suite struct LibraryExampleTests {
    @Test func theReadmesLibraryExampleIsTheIntegratorPackagesMainFile() throws {
        let repository = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
            .deletingLastPathComponent().path
        let readme = try String(contentsOfFile: repository + "/README.md", encoding: .utf8)
        let main = try String(
            contentsOfFile: repository + "/Examples/Integrator/Sources/Integrator/main.swift", encoding: .utf8)
        let section = try #require(readme.range(of: "## Library API\n"))
        #expect(readme[section.upperBound...].contains("```swift\n" + main + "```\n"))
        let manifest = try String(contentsOfFile: repository + "/Examples/Integrator/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#".package(name: "RiskScreen", path: "../..")"#))
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic
@testable import RiskScreenYAML

/// The YAML layer: positions, refusals, and hostile input that must fail fast and cleanly.
@Suite struct YAMLParserTests {
    func parse(_ text: String, limits: YAMLLimits = .ruleFile) throws(YAMLError) -> YAMLNode {
        try YAMLParser.parse(Array(text.utf8), file: "f.yaml", limits: limits)
    }

    func error(_ bytes: [UInt8], limits: YAMLLimits = .ruleFile) -> YAMLError? {
        do {
            _ = try YAMLParser.parse(bytes, file: "f.yaml", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func nodesKeepLineAndColumn() throws {
        let root = try parse("a: 1\nlist:\n  - x\n  - {k: 中文}\n")
        let entries = try #require(root.entries)
        #expect(entries.map(\.key) == ["a", "list"])
        #expect(entries[1].keyLocation == SourceLocation(file: "f.yaml", line: 2, column: 1))
        let items = try #require(entries[1].value.items)
        #expect(items[0].location == SourceLocation(file: "f.yaml", line: 3, column: 5))
        #expect(items[1].entries?.first?.value.scalar == "中文")
        #expect(items[1].entries?.first?.value.location.column == 9)
    }

    @Test func quotedScalarsAreMarked() throws {
        let root = try parse("a: \"1\"\nb: 1\n")
        guard case .scalar(_, let quoted) = try #require(root.entries?[0].value).content else { return }
        #expect(quoted)
        #expect(root.entries?[1].value.isNull == false)
    }

    @Test func duplicateKeysAreRejected() {
        #expect(
            error(Array("a: 1\nb: 2\na: 3\n".utf8))?.description
                == "f.yaml:3:1: error: found the key \"a\" a second time (first at line 1); expected each key once")
    }

    @Test func aliasesAreRejectedAtTheFirstAlias() {
        #expect(
            error(Array("a: &x 1\nb: *x\n".utf8))?.description
                == "f.yaml:2:4: error: found an alias (*name); aliases are not accepted in RiskScreen files, write the value out"
        )
    }

    @Test func aliasBombFailsAtOnce() {
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1..<10 {
            let previous = Character(Unicode.Scalar(UInt8(96 + level)))
            let name = Character(Unicode.Scalar(UInt8(97 + level)))
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        let clock = ContinuousClock()
        let started = clock.now
        let found = error(Array(bomb.utf8))
        #expect(clock.now - started < .seconds(1))
        #expect(found?.message.contains("aliases are not accepted") == true)
    }

    @Test func deepNestingFailsCleanly() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        let clock = ContinuousClock()
        let started = clock.now
        let found = error(Array(deep.utf8))
        #expect(clock.now - started < .seconds(1))
        #expect(found?.message == "found nesting deeper than 64 levels; expected a shallower document")
        #expect(found?.location.column == 65)
    }

    @Test func hugeScalarFailsCleanly() {
        let huge = [UInt8]("a: ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20) + [10]
        let clock = ContinuousClock()
        var asRules: YAMLError?
        let rulesTime = clock.measure { asRules = error(huge) }
        #expect(asRules?.message == "the file is 52428804 bytes; at most 8388608 bytes are accepted")
        #expect(rulesTime < .seconds(1))
        var asRecords: YAMLError?
        let recordsTime = clock.measure { asRecords = error(huge, limits: .recordFile) }
        #expect(asRecords?.message == "found a scalar longer than 1048576 bytes; at most 1048576 bytes are accepted")
        #expect(recordsTime < .seconds(1))
    }

    @Test func binaryGarbageFailsCleanly() {
        var generator = SplitMix64(seed: 7)
        let garbage = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let clock = ContinuousClock()
        let started = clock.now
        let found = error(garbage)
        #expect(clock.now - started < .seconds(1))
        #expect(found != nil)
    }

    @Test func nonUTF8BytesAreReportedWithTheirPosition() {
        let bytes = Array("a: 1\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let found = error(bytes)
        #expect(found?.location.line == 2)
        #expect(found?.message.hasPrefix("found bytes that are not UTF-8") == true)
        #expect(found?.message.hasSuffix("save the file as UTF-8") == true)
    }

    @Test func tabsAreReportedAsTabs() {
        let found = error(Array("a:\n\tb: 1\n".utf8))
        #expect(found?.location.line == 2)
        #expect(found?.message == "found a tab character; YAML indents with spaces only")
    }

    @Test func secondDocumentIsRejected() {
        #expect(
            error(Array("a: 1\n---\nb: 2\n".utf8))?.message
                == "found a second YAML document (---); expected one document per file")
    }

    @Test func emptyDocumentIsAnEmptyScalar() throws {
        #expect(try parse("").isNull)
        #expect(try parse("# only a comment\n").isNull)
    }
}

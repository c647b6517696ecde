import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// The byte-level entry points the fuzz targets in `Fuzz/` call read what the file readers read.
@Suite struct FuzzEntryPointTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func aRuleSetLoadsFromBytesAsFromItsFiles() throws {
        let directory = TestSupport.campusRules
        let text = try bytes(directory + "/schema.yaml") + bytes(directory + "/rules.yaml")
        let fromBytes = try RuleSet.load(yaml: text, file: "campus.yaml")
        let fromFiles = try TestSupport.loadCampus()
        #expect(fromBytes.indicators.map(\.id) == fromFiles.indicators.map(\.id))
        #expect(fromBytes.levels.map(\.id) == fromFiles.levels.map(\.id))
        #expect(fromBytes.files == ["campus.yaml"])
    }

    @Test func aRuleSetFromBytesRefusesExtendsAndReadsNoParent() throws {
        let text = "ruleset: {id: overlay, extends: ../test-campus}\n"
        let error = try #require(throws: RuleSetError.self) {
            try RuleSet.load(yaml: Array(text.utf8), file: "overlay.yaml")
        }
        let extends = try #require(error.errors.first { $0.message.contains("extends") })
        #expect(extends.message.contains("found extends: ../test-campus in rules read from memory"))
        #expect(extends.location.file == "overlay.yaml" && extends.location.line == 1 && extends.location.column == 33)
    }

    @Test func aRuleSetFromBytesReportsSyntaxErrorsAtTheirPlace() throws {
        let error = try #require(throws: RuleSetError.self) {
            try RuleSet.load(yaml: Array("levels: [\n".utf8), file: "bad.yaml")
        }
        #expect(error.errors.first?.location.file == "bad.yaml")
    }

    @Test func bothJSONPathsGiveTheSameRecordForGeneratedStudents() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let decoders = JSONLineDecoders(schema: rules.schema)
        let cohort = SyntheticCohort(rules: rules, seed: 5, asOf: TestSupport.date("2026-11-23"))
        var fastCount = 0
        for index in 0..<200 {
            let line = Array(cohort.jsonLine(index).utf8)
            let careful = try decoders.careful(line).get()
            guard let fast = decoders.fast(line) else { continue }
            fastCount += 1
            #expect(decoders.difference(fast, careful) == nil)
        }
        #expect(fastCount == 200)
    }

    @Test func recordsThatDifferAreToldApart() throws {
        let rules = try TestSupport.loadCampus()
        let decoders = JSONLineDecoders(schema: rules.schema)
        let first = try decoders.careful(Array(#"{"id": "A", "failed_courses": 1}"#.utf8)).get()
        let second = try decoders.careful(Array(#"{"id": "A", "failed_courses": 2}"#.utf8)).get()
        let difference = try #require(decoders.difference(first, second))
        #expect(difference.contains("is 1.0 in one and 2.0 in the other"))
        #expect(decoders.difference(first, first) == nil)
    }

    @Test func theCarefulPathSaysWhyALineIsRefused() throws {
        let rules = try TestSupport.loadCampus()
        let decoders = JSONLineDecoders(schema: rules.schema)
        let line = Array(#"{"id": "A",, }"#.utf8)
        #expect(decoders.fast(line) == nil)
        guard case .failure(let error) = decoders.careful(line, file: "s.jsonl", lineNumber: 7) else {
            Issue.record("a broken line was read")
            return
        }
        #expect(error.location.file == "s.jsonl" && error.location.line == 7)
    }

    @Test func csvTablesReadFromBytesAsFromFiles() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let tables = SyntheticCohort(rules: rules, seed: 3, asOf: TestSupport.date("2026-11-23")).csvTables(0..<20)
        let directory = try TestSupport.directory(
            ["students.csv": tables.students, "events.csv": tables.events, "scales.csv": tables.scales])
        let fromFiles = try CSVReader.read(
            students: directory + "/students.csv", events: directory + "/events.csv", scales: directory + "/scales.csv",
            schema: rules.schema)
        let fromBytes = try CSVReader.read(
            studentsText: Array(tables.students.utf8), eventsText: Array(tables.events.utf8),
            scalesText: Array(tables.scales.utf8), schema: rules.schema)
        #expect(fromBytes.records.count == 20 && fromFiles.records.count == 20 && fromBytes.rejected.isEmpty)
        for (a, b) in zip(fromBytes.records, fromFiles.records) {
            #expect(a.difference(from: b, schema: rules.schema) == nil)
        }
    }

    @Test func csvTablesFromBytesNameTheirTableInErrors() throws {
        let rules = try TestSupport.loadCampus()
        let error = try #require(throws: RecordFileError.self) {
            try CSVReader.read(
                studentsText: Array("name\nA\n".utf8), eventsText: nil, scalesText: nil, schema: rules.schema)
        }
        #expect(error.location.file == "students.csv")
    }

    @Test func aFixtureLoadsFromBytesAsFromItsFile() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let path = Self.root + "/Fixtures/scenarios-spring.yaml"
        let fromFile = try FixtureLoader.load(path, rules: rules)
        let fromBytes = try FixtureLoader.load(bytes: bytes(path), file: path, rules: rules)
        #expect(!fromFile.cases.isEmpty)
        #expect(fromBytes.cases.map(\.record.id) == fromFile.cases.map(\.record.id))
        #expect(fromBytes.cases.map(\.why) == fromFile.cases.map(\.why))
        #expect(fromBytes.name == fromFile.name && fromBytes.rulesPath == fromFile.rulesPath)
        #expect(fromBytes.asOf == fromFile.asOf)
    }

    @Test(arguments: ConditionCheck.Context.allCases)
    func anExpressionWithoutCodeSaysWhy(context: ConditionCheck.Context) throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let texts = [
            "failed_courses >= 2", "count(night_absence, 30d) + 1", "gpaa < 2", "1 +", "score >= 3", "total >= 10",
            "family_structure in [sin2gle_parent, reconstituted]",
        ]
        for text in texts {
            let outcome = ConditionCheck.check(text, against: rules, as: context)
            #expect(outcome.compiled || !outcome.errors.isEmpty, "\(context) \(text)")
        }
        let refused = ConditionCheck.check("gpaa < 2", against: rules, as: context)
        #expect(refused.errors.first?.offset == 0)
    }

    @Test func anExpressionIsCheckedInItsContext() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        #expect(ConditionCheck.check("failed_courses >= 2", against: rules, as: .indicator).compiled)
        #expect(!ConditionCheck.check("failed_courses >= 2", against: rules, as: .number).compiled)
        #expect(ConditionCheck.check("score >= 3", against: rules, as: .levelRule).compiled)
        #expect(!ConditionCheck.check("score >= 3", against: rules, as: .indicator).compiled)
        let misspelt = ConditionCheck.check("family_structure in [sin2gle_parent]", against: rules, as: .indicator)
        #expect(misspelt.errors.map(\.offset) == [21])
    }
}

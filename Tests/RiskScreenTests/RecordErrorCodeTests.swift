internal import Foundation
import Testing

@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSupport

/// Every record error code, from each reader that can give it (YAML, JSON Lines, CSV) and from ``RecordBuilder``: a
/// program tells a rejection's kind by its code, without reading the English message.
@Suite struct RecordErrorCodeTests {
    static let rulesText = """
        schema:
          fields:
            age: {type: integer, required: true, min: 10, max: 99}
            gpa: number
            family: {type: enumeration, values: [intact, single]}
            note: text
          events:
            absence: {}
          scales:
            k2: {items: 2, answers: [0, 3], scores: {total: {sum: all}}}
        levels:
          - {id: none}

        """

    let schema: Schema

    init() throws {
        schema = try RuleSet.load(yaml: Array(Self.rulesText.utf8), file: "rules.yaml").schema
    }

    /// A bad input, the code it must be refused with, and where (`line:column`).
    struct Case: CustomStringConvertible, Sendable {
        var code: RecordError.Code
        var input: String
        var place: String
        var description: String { "\(code) at \(place): \(input.prefix(60))" }
    }

    /// Every error of a batch, or the error of a file refused whole, as `code line:column`.
    static func found(_ read: () throws(RecordFileError) -> RecordBatch) -> [String] {
        do {
            return try read().rejected.flatMap(\.all).map {
                "\($0.code) \($0.location.line):\($0.location.column)"
            }
        } catch {
            return ["\(error.code) \(error.location.line):\(error.location.column)"]
        }
    }

    // MARK: JSON Lines

    static let jsonCases: [Case] = [
        Case(code: .unknownField, input: #"{"id":"S1","age":20,"agee":1}"#, place: "1:21"),
        Case(
            code: .unknownEventKind, input: #"{"id":"S1","age":20,"events":{"absense":["2026-01-01"]}}"#,
            place: "1:31"),
        Case(
            code: .unknownScale,
            input: #"{"id":"S1","age":20,"scales":[{"scale":"k3","date":"2026-01-01","items":[1,1]}]}"#,
            place: "1:40"),
        Case(
            code: .unknownScore,
            input: #"{"id":"S1","age":20,"scales":[{"scale":"k2","date":"2026-01-01","scores":{"totl":1}}]}"#,
            place: "1:75"),
        Case(code: .typeMismatch, input: #"{"id":"S1","age":"20"}"#, place: "1:18"),
        Case(code: .invalidValue, input: #"{"id":"S1","age":20,"family":"divorced"}"#, place: "1:30"),
        Case(code: .invalidValue, input: #"{"id":"S1","age":20.5}"#, place: "1:18"),
        Case(code: .outOfRange, input: #"{"id":"S1","age":9}"#, place: "1:18"),
        Case(code: .missingRequired, input: #"{"id":"S1","gpa":3}"#, place: "1:1"),
        Case(code: .missingRequired, input: #"{"age":20}"#, place: "1:1"),
        Case(code: .duplicateID, input: #"{"id":"S1","age":20}"# + "\n" + #"{"id":"S1","age":21}"#, place: "2:1"),
        Case(code: .duplicateKey, input: #"{"id":"S1","age":20,"age":21}"#, place: "1:21"),
        Case(
            code: .conflictingValues,
            input:
                #"{"id":"S1","age":20,"scales":[{"scale":"k2","date":"2026-01-01","items":[1,1],"scores":{"total":2}}]}"#,
            place: "1:88"),
        Case(
            code: .wrongCount,
            input: #"{"id":"S1","age":20,"scales":[{"scale":"k2","date":"2026-01-01","items":[1]}]}"#, place: "1:73"),
        Case(code: .malformed, input: #"{"id":"S1","age":20"#, place: "1:20"),
        Case(
            code: .tooLarge, input: #"{"id":"S1","note":"# + String(repeating: "[", count: 70), place: "1:82"),
        Case(
            code: .moreErrors,
            input: #"{"id":"S1","age":20"# + (1...101).map { #","x\#($0)":1"# }.joined() + "}", place: "1:804"),
    ]

    @Test(arguments: jsonCases)
    func jsonLinesGiveEachCode(_ example: Case) {
        let found = Self.found {
            RecordReader.readJSONLines(Array((example.input + "\n").utf8), file: "s.jsonl", schema: schema)
        }
        #expect(found.contains("\(example.code) \(example.place)"), "\(found)")
    }

    @Test func bytesThatAreNotUTF8InAJSONLineAreEncoding() {
        let line = Array(#"{"id":"S1","note":""#.utf8) + [0xFF, 0x22, 0x7D, 0x0A]
        let found = Self.found { RecordReader.readJSONLines(line, file: "s.jsonl", schema: schema) }
        #expect(found == ["encoding 1:20"])
    }

    // MARK: YAML

    static let yamlCases: [Case] = [
        Case(code: .unknownField, input: "- {id: S1, age: 20, agee: 1}", place: "1:21"),
        Case(code: .unknownField, input: "students: []\nteachers: []", place: "2:1"),
        Case(
            code: .unknownEventKind, input: "- {id: S1, age: 20, events: {absense: [2026-01-01]}}", place: "1:30"),
        Case(
            code: .unknownScale, input: "- {id: S1, age: 20, scales: [{scale: k3, date: 2026-01-01, items: [1, 1]}]}",
            place: "1:38"),
        Case(code: .typeMismatch, input: "- {id: S1, age: [20]}", place: "1:17"),
        Case(code: .malformed, input: "students: 3", place: "1:11"),
        Case(code: .invalidValue, input: "- {id: S1, age: 20, family: divorced}", place: "1:29"),
        Case(code: .outOfRange, input: "- {id: S1, age: 100}", place: "1:17"),
        Case(code: .missingRequired, input: "- {id: S1}", place: "1:3"),
        Case(code: .duplicateID, input: "- {id: S1, age: 20}\n- {id: S1, age: 21}", place: "2:3"),
        Case(
            code: .conflictingValues,
            input: "- {id: S1, age: 20, scales: [{scale: k2, date: 2026-01-01, items: [1, 1], class: x}]}",
            place: "1:82"),
        Case(
            code: .wrongCount, input: "- {id: S1, age: 20, scales: [{scale: k2, date: 2026-01-01, items: [1]}]}",
            place: "1:67"),
        Case(code: .malformed, input: "- {id: S1, age: 20", place: "2:1"),
    ]

    @Test(arguments: yamlCases)
    func yamlGivesEachCode(_ example: Case) {
        let found = Self.found { () throws(RecordFileError) in
            try RecordReader.readYAML(Array(example.input.utf8), file: "s.yaml", schema: schema)
        }
        #expect(found.contains("\(example.code) \(example.place)"), "\(found)")
    }

    // MARK: CSV

    /// Tables for one case: students, and events or scales when the case needs them.
    struct Tables: CustomStringConvertible, Sendable {
        var code: RecordError.Code
        var students: String
        var events: String? = nil
        var scales: String? = nil
        var place: String
        var description: String { "\(code) at \(place)" }
    }

    static let csvCases: [Tables] = [
        Tables(code: .unknownField, students: "id,age,agee\nS1,20,1\n", place: "1:8"),
        Tables(
            code: .unknownEventKind, students: "id,age\nS1,20\n",
            events: "student_id,kind,date\nS1,absense,2026-01-01\n", place: "2:4"),
        Tables(
            code: .unknownScale, students: "id,age\nS1,20\n",
            scales: "student_id,scale,date,item1,item2\nS1,k3,2026-01-01,1,1\n", place: "2:4"),
        Tables(code: .typeMismatch, students: "id,age\nS1,twenty\n", place: "2:4"),
        Tables(code: .invalidValue, students: "id,age,family\nS1,20,divorced\n", place: "2:7"),
        Tables(code: .outOfRange, students: "id,age\nS1,9\n", place: "2:4"),
        Tables(code: .missingRequired, students: "id,age\nS1,\n", place: "2:1"),
        Tables(code: .missingRequired, students: "age\n20\n", place: "1:1"),
        Tables(code: .duplicateID, students: "id,age\nS1,20\nS1,21\n", place: "3:1"),
        Tables(code: .duplicateKey, students: "id,age,age\nS1,20,21\n", place: "1:8"),
        Tables(
            code: .conflictingValues, students: "id,age\nS1,20\n",
            scales: "student_id,scale,date,item1,item2,total\nS1,k2,2026-01-01,1,1,2\n", place: "2:22"),
        Tables(code: .wrongCount, students: "id,age\nS1,20,3\n", place: "2:1"),
        Tables(
            code: .unknownStudent, students: "id,age\nS1,20\n", events: "student_id,kind,date\nS2,absence,2026-01-01\n",
            place: "2:1"),
        Tables(code: .malformed, students: "id,age\nS1,\"20\n", place: "2:4"),
        Tables(code: .malformed, students: "", place: "1:1"),
    ]

    @Test(arguments: csvCases, [false, true])
    func csvGivesEachCodeOnBothPaths(_ example: Tables, carefulOnly: Bool) {
        let found = Self.found { () throws(RecordFileError) in
            try CSVReader.read(
                studentsText: Array(example.students.utf8), eventsText: example.events.map { Array($0.utf8) },
                scalesText: example.scales.map { Array($0.utf8) }, schema: schema, carefulOnly: carefulOnly)
        }
        #expect(found.contains("\(example.code) \(example.place)"), "\(found)")
    }

    @Test func bytesThatAreNotTheFilesEncodingAreEncoding() {
        let notUTF8 = Self.found { () throws(RecordFileError) in
            try CSVReader.read(
                studentsText: Array("id,age\nS1,".utf8) + [0xFF, 0x0A], eventsText: nil, scalesText: nil,
                schema: schema)
        }
        #expect(notUTF8 == ["encoding 2:4"])
        let notGB18030 = Self.found { () throws(RecordFileError) in
            try CSVReader.read(
                studentsText: Array("id,age,note\nS1,20,学\n".utf8), eventsText: nil, scalesText: nil, schema: schema,
                encoding: .gb18030)
        }
        #expect(notGB18030.first?.hasPrefix("encoding ") == true, "\(notGB18030)")
    }

    // MARK: Files

    @Test func filesThatAreMissingOrNotRecordsHaveFileCodes() throws {
        let directory = try TestSupport.directory(["notes.txt": "hello", "students.jsonl": ""])
        func code(_ path: String) -> RecordError.Code? {
            do {
                _ = try RecordReader.read(contentsOf: path, schema: schema)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(directory + "/missing.jsonl") == .fileNotFound)
        #expect(code(directory + "/notes.txt") == .unsupportedFile)
        #expect(code(directory) == .fileNotFound)  // a directory without students.csv
    }

    // MARK: Builder

    @Test func theBuilderGivesTheReadersCodes() throws {
        var builder = try RecordBuilder(id: "S1", schema: schema)
        func code(_ give: (inout RecordBuilder) throws(RecordError) -> Void) -> RecordError.Code? {
            do {
                try give(&builder)
                return nil
            } catch {
                return error.code
            }
        }
        let day = CivilDate(iso: "2026-01-01")!
        #expect(code { b throws(RecordError) in try b.set("agee", 20) } == .unknownField)
        #expect(code { b throws(RecordError) in try b.set("age", "twenty") } == .typeMismatch)
        #expect(code { b throws(RecordError) in try b.set("age", 9) } == .outOfRange)
        #expect(code { b throws(RecordError) in try b.set("age", 20.5) } == .invalidValue)
        #expect(code { b throws(RecordError) in try b.set("family", "divorced") } == .invalidValue)
        #expect(code { b throws(RecordError) in try b.addEvent("absense", on: day) } == .unknownEventKind)
        #expect(code { b throws(RecordError) in try b.addScaleResult("k3", on: day, items: [1, 1]) } == .unknownScale)
        #expect(code { b throws(RecordError) in try b.addScaleResult("k2", on: day, items: [1]) } == .wrongCount)
        #expect(code { b throws(RecordError) in try b.addScaleResult("k2", on: day, items: [1, 7]) } == .outOfRange)
        #expect(
            code { b throws(RecordError) in try b.addScaleResult("k2", on: day, scores: ["totl": 1]) } == .unknownScore)
        let unset = try RecordBuilder(id: "S2", schema: schema)
        #expect(throws: RecordError.self) { try unset.build() }
        do {
            _ = try unset.build()
        } catch {
            #expect(error.code == .missingRequired)
        }
        #expect(throws: RecordError.self) { try RecordBuilder(id: "", schema: schema) }
        do {
            _ = try RecordBuilder(id: "S\u{202E}1", schema: schema)
        } catch {
            #expect(error.code == .invalidValue)
        }
    }

    // MARK: Views

    @Test func aSensitiveReasonWithheldFromARoleHidesItsCodeToo() throws {
        let rules = try TestSupport.loadCampus()
        let line =
            #"{"id":"S1","scales":[{"scale":"phq9","date":"2026-11-01","items":[0,0,0,0,0,0,0,0,9]}]}"# + "\n"
        let error = try #require(
            RecordReader.readJSONLines(Array(line.utf8), file: "s.jsonl", schema: rules.schema).rejected.first)
        #expect(error.all.map(\.code).contains(.outOfRange))
        let seen = error.visible(to: rules.leastPrivilegedRole)
        #expect(seen.all.map(\.code).contains(.withheld))
        #expect(!seen.all.map(\.code).contains(.outOfRange))
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSupport

/// CSV input as a university exports it: columns under their Chinese names (schema aliases), booleans written
/// `是`/`否`, `TRUE`/`FALSE` or `1`/`0`, and dates written `2024/9/1`.
@Suite struct CSVExportFormsTests {
    static let rules = """
        schema:
          id: {aliases: [学号]}
          fields:
            name: {type: text, aliases: [姓名]}
            warned: {type: boolean, aliases: [学业预警, 预警]}
            enrolled_on: {type: date, aliases: [入学日期]}
          events:
            night_absence: 夜不归寝
        levels:
          - id: none
          - id: attention
            from: 1
        indicators:
          - {id: was_warned, label: Warned, dimension: checkable, when: warned, points: 1}

        """

    static func schema() throws -> Schema {
        try RuleSet.load(from: TestSupport.directory(["rules.yaml": rules])).schema
    }

    /// Reads the tables both ways (values from their bytes, and every value the careful way) and expects one result.
    static func read(_ students: String, events: String? = nil) throws -> RecordBatch {
        let schema = try schema()
        var batches: [RecordBatch] = []
        for careful in [false, true] {
            batches.append(
                try CSVReader.read(
                    studentsText: Array(students.utf8), eventsText: events.map { Array($0.utf8) }, scalesText: nil,
                    schema: schema, carefulOnly: careful))
        }
        #expect(batches[0].rejected == batches[1].rejected)
        #expect(batches[0].records.map(\.id) == batches[1].records.map(\.id))
        return batches[0]
    }

    static func loadErrors(_ text: String) throws -> [String] {
        let path = try TestSupport.directory(["rules.yaml": text])
        do {
            _ = try RuleSet.load(from: path)
            return []
        } catch {
            return error.diagnostics.map {
                "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)"
            }
        }
    }

    // MARK: Aliases

    @Test func aHeaderMayNameAColumnByItsAlias() throws {
        let batch = try Self.read(
            "学号,姓名,预警,入学日期\nA,张三,是,2024-09-01\n", events: "学号,kind,date\nA,night_absence,2026-01-02\n")
        #expect(batch.rejected.map(\.description) == [])
        let record = try #require(batch.records.first)
        #expect(record.id == "A")
        #expect(record.text(try #require(try Self.schema().field(named: "name"))) == "张三")
        #expect(record.value(slot: 0) == 1)
        #expect(record.eventCount(kindIndex: 0) == 1)
    }

    @Test(arguments: [
        (
            "id,name,姓名\nA,x,y\n",
            "students.csv:1:9: error: found the column \"姓名\", which names the field name as column 4 \"name\" does; expected each column once"
        ),
        (
            "学号,id\nA,B\n",
            "students.csv:1:4: error: found the column \"id\", which names the id as column 1 \"学号\" does; expected each column once"
        ),
        (
            "学号,姓明\nA,x\n",
            "students.csv:1:4: error: found the column \"姓明\"; expected id and fields of the schema (did you mean \"姓名\"?)"
        ),
        (
            "学生号,姓名\nA,x\n",
            "students.csv:1:1: error: found no id column in the header; expected a column named id, student_id or 学号"
        ),
    ])
    func aHeaderThatNamesAColumnTwiceOrNotAtAllIsRefused(students: String, message: String) throws {
        let schema = try Self.schema()
        do {
            _ = try CSVReader.read(
                studentsText: Array(students.utf8), eventsText: nil, scalesText: nil, schema: schema)
            Issue.record("expected the table to be refused")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func theEventsTableTakesTheIDsAliasesForStudentID() throws {
        let schema = try Self.schema()
        #expect(throws: RecordFileError.self) {
            try CSVReader.read(
                studentsText: Array("学号\nA\n".utf8), eventsText: Array("学号,kind,date,student_id\n".utf8),
                scalesText: nil, schema: schema)
        }
    }

    @Test(arguments: [
        (
            "    name: {type: text, aliases: [warned]}\n    warned: boolean\n",
            "5:34: error: found the alias \"warned\" of the field name, which is already the name of the field warned; expected each column name once"
        ),
        (
            "    name: {type: text, aliases: [姓名]}\n    warned: {type: boolean, aliases: [姓名]}\n",
            "6:39: error: found the alias \"姓名\" of the field warned, which is already an alias of the field name (line 5); expected each column name once"
        ),
        (
            "    name: {type: text, aliases: [学号]}\n",
            "2:18: error: found the alias \"学号\" of the id, which is already an alias of the field name (line 5); expected each column name once"
        ),
        (
            "    name: {type: text, aliases: [student_id]}\n",
            "5:34: error: found the alias \"student_id\" of the field name, which is already the id column's name; expected each column name once"
        ),
        (
            "    name: {type: text, aliases: [\" 姓名\"]}\n",
            "5:34: error: found \" 姓名\" as an alias of field name; expected a column name such as 学号, without spaces around it"
        ),
    ])
    func anAliasThatIsAlreadyANameIsRefusedWhereWritten(fields: String, message: String) throws {
        let text = """
            schema:
              id: {aliases: [学号]}
              fields:
                enrolled_on: date
            \(fields)
            levels:
              - id: none

            """
        let errors = try Self.loadErrors(text)
        #expect(errors == [message], "\(errors)")
    }

    // MARK: Booleans and dates

    @Test func textCellsTakeTheDefaultBooleanSpellingsInAnyCase() throws {
        let spellings: [(String, Double)] = [
            ("true", 1), ("TRUE", 1), ("True", 1), ("是", 1), ("1", 1),
            ("false", 0), ("FALSE", 0), ("fAlSe", 0), ("否", 0), ("0", 0),
        ]
        let rows = spellings.enumerated().map { "S\($0.offset),\($0.element.0)" }.joined(separator: "\n")
        let batch = try Self.read("id,warned\n" + rows + "\nX,yes\nY,是的\n")
        #expect(batch.records.map { $0.value(slot: 0) } == spellings.map(\.1))
        #expect(
            batch.rejected.map(\.description) == [
                "students.csv:12:3: error: student X, field warned: found \"yes\"; expected one of: true, 是, 1, false, 否, 0",
                "students.csv:13:3: error: student Y, field warned: found \"是的\"; expected one of: true, 是, 1, false, 否, 0",
            ])
        // YAML cells are text too; JSON keeps its bare true and false.
        let schema = try Self.schema()
        let yaml = try RecordReader.readYAML(
            Array("- {id: A, warned: TRUE}\n- {id: B, warned: 否}\n".utf8), file: "r.yaml", schema: schema)
        #expect(yaml.records.map { $0.value(slot: 0) } == [1, 0])
        let json = RecordReader.readJSONLines(
            Array(#"{"id": "A", "warned": "TRUE"}"#.utf8), file: "r.jsonl", schema: schema)
        #expect(json.records.isEmpty)
    }

    @Test func aRuleSetMayDeclareItsOwnSpellingsInPlaceOfTheDefault() throws {
        let text = Self.rules.replacingOccurrences(
            of: "schema:\n", with: "schema:\n  booleans: {true: [是, 是的, Yes, YES], false: [否]}\n")
        let schema = try RuleSet.load(from: TestSupport.directory(["rules.yaml": text])).schema
        #expect(schema.trueSpellings == ["是", "是的", "Yes", "YES"])
        let batch = try CSVReader.read(
            studentsText: Array("id,warned\nA,是的\nB,yes\nC,TRUE\n".utf8), eventsText: nil, scalesText: nil,
            schema: schema)
        #expect(batch.records.map { $0.value(slot: 0) } == [1, 1])
        #expect(batch.rejected.map(\.studentID) == ["C"])
    }

    @Test func textCellsTakeSlashAndShortDates() throws {
        let batch = try Self.read(
            "id,enrolled_on\nA,2024/9/1\nB,2024-9-1\nC,2024/09/01\nD,2024-09-01\nE,2026/2/30\nF,2024/9-1\nG,24/9/1\n",
            events: "student_id,kind,date\nA,night_absence,2026/1/2\nB,night_absence,2026-2-29\n")
        let first = try #require(CivilDate(iso: "2024-09-01"))
        #expect(batch.records.map(\.id) == ["A", "C", "D"])
        #expect(batch.records.allSatisfy { $0.value(slot: 1) == Double(first.dayNumber) })
        #expect(
            batch.rejected.map(\.description) == [
                "events.csv:3:17: error: student B, field events: found \"2026-2-29\" for a night_absence event; expected a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between 1900 and 2200",
                "students.csv:6:3: error: student E, field enrolled_on: found \"2026/2/30\"; expected a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between 1900 and 2200",
                "students.csv:7:3: error: student F, field enrolled_on: found \"2024/9-1\"; expected a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between 1900 and 2200",
                "students.csv:8:3: error: student G, field enrolled_on: found \"24/9/1\"; expected a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between 1900 and 2200",
            ])
        // JSON keeps YYYY-MM-DD.
        let json = RecordReader.readJSONLines(
            Array(#"{"id": "A", "enrolled_on": "2024/9/1"}"#.utf8), file: "r.jsonl", schema: try Self.schema())
        #expect(json.records.isEmpty)
    }
}

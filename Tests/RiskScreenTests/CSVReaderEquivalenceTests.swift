import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// The CSV reader reads straight into record storage, from bytes where it can and through ``RecordDecoder``'s
/// checks where it cannot; it must read exactly what the reader that joined rows into YAML nodes read
/// (``ReferenceCSVReader``): the same records, the same rejections in the same order (with their sensitive marks),
/// the same refusal of a whole table.
@Suite struct CSVReaderEquivalenceTests {
    static let root = URL(fileURLWithPath: TestSupport.testsDirectory).deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// What reading gave, in a form two readers can be compared by.
    enum Outcome: Equatable {
        case refused(String)
        case read(records: [String], rejected: [String])
    }

    static func outcome(schema: Schema, _ read: () throws(RecordFileError) -> RecordBatch) -> (Outcome, [StudentRecord])
    {
        do {
            let batch = try read()
            let records = batch.records.map { "\($0.id) at \($0.location.map(\.description) ?? "nowhere")" }
            let rejected = batch.rejected.map { "\($0.description) [sensitive: \($0.revealsSensitive)]" }
            return (.read(records: records, rejected: rejected), batch.records)
        } catch {
            return (.refused(error.description), [])
        }
    }

    /// Reads the tables with the reader, the reader's careful path alone, and the reference; records the differences.
    static func expectSame(
        _ tables: (String, String?, String?), schema: Schema, encoding: TextEncoding = .utf8, _ comment: String = ""
    ) {
        let (students, events, scales) = (
            Array(tables.0.utf8), tables.1.map { Array($0.utf8) }, tables.2.map { Array($0.utf8) }
        )
        expectSame(students, events, scales, schema: schema, encoding: encoding, comment)
    }

    static func expectSame(
        _ students: [UInt8], _ events: [UInt8]?, _ scales: [UInt8]?, schema: Schema, encoding: TextEncoding = .utf8,
        _ comment: String = "",
        alsoCarefulOnly: Bool = true
    ) {
        let (expected, expectedRecords) = outcome(schema: schema) { () throws(RecordFileError) in
            try ReferenceCSVReader.read(
                studentsText: students, eventsText: events, scalesText: scales, schema: schema, encoding: encoding)
        }
        for carefulOnly in alsoCarefulOnly ? [false, true] : [false] {
            let (found, records) = outcome(schema: schema) { () throws(RecordFileError) in
                try CSVReader.read(
                    studentsText: students, eventsText: events, scalesText: scales, schema: schema, encoding: encoding,
                    carefulOnly: carefulOnly)
            }
            #expect(found == expected, "\(comment) carefulOnly: \(carefulOnly)")
            guard found == expected else { continue }
            for (record, reference) in zip(records, expectedRecords) {
                if let difference = record.difference(from: reference, schema: schema) {
                    Issue.record("\(comment) carefulOnly: \(carefulOnly), student \(record.id): \(difference)")
                }
            }
        }
    }

    @Test func aGeneratedCohortIsReadAsBefore() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let cohort = SyntheticCohort(rules: rules, seed: 5, asOf: TestSupport.date("2026-11-23"))
        let tables = cohort.csvTables(0..<200)
        Self.expectSame((tables.students, tables.events, tables.scales), schema: rules.schema)
    }

    @Test(
        arguments: [
            // Values that only the careful path reads, or refuses: spaces, signs, exponents, wrong types, a quoted "".
            (
                "id,gpa,failed_courses,academic_warning,enrolled_on,family_structure\nA, 3 ,+1,TRUE,2026-1-01,intact \nB,2.50,-0,false,2026-01-01,\"single_parent\"\nC,1e0,1,true,,\"\"\n",
                nil, nil
            ),
            ("id,gpa\nA,5.0000000000000001\nB,0.1\nC,-0.0\nD,5.1\nE,1234567890123456789\n", nil, nil),
            // Ids: quoted with "", control characters, too long, empty, repeated.
            (
                "id,college\n\"A\"\"1\",x\n\"B\tb\",x\n\(String(repeating: "x", count: 129)),x\n,x\nA\"\"1,y\n\"A\"\"1\",z\n",
                nil, nil
            ),
            // Events: unknown kinds, bad dates, quoted values, a student not in the table, a row without student_id.
            (
                "id\nA\nB\nC\n",
                "student_id,kind,date,note\nA,night_absence,2026-01-02,\"a, b\"\nB,night_absense,2026-01-02,\nC,\"family_change\",2026-02-30,x\nZ,night_absence,2026-01-02,\n,night_absence,2026-01-02,\nA,\"night_absence\",\"2026-01-03\",\n",
                nil
            ),
            // Scales: items with a gap, too few, out of range, a class or scores with items, scores alone, an unknown scale.
            (
                "id\nA\nB\nC\nD\nE\nF\nG\n",
                nil,
                "student_id,scale,date,item1,item2,item3,item4,item5,item6,item7,item8,item9,total,mood,class\nA,phq9,2026-01-01,1,1,1,,1,1,1,1,1,,,\nB,phq9,2026-01-01,1,1,1,1,1,1,1,1,,,,\nC,mini,2026-01-01,1,2,3,6,,,,,,,,\nD,phq9,2026-01-01,0,0,0,0,0,0,0,0,0,,,minimal\nE,mini,2026-01-01,,,,,,,,,,12,2.5,positive\nF,phq8,2026-01-01,1,,,,,,,,,,,\nG,mini,2026-01-01,,,,,,,,,,,,\nA,phq9,2026-01-02,0,0,0,0,0,0,0,0,0,3,,\n"
            ),
            // Item columns out of order and with a gap in the header; a score column before the items.
            (
                "id\nA\nB\n", nil,
                "student_id,total,scale,date,item2,item1,item4,item3,item9\nA,,mini,2026-01-01,2,1,4,3,\nB,5,phq9,2026-01-01,,,,,1\n"
            ),
            // Malformed rows in every table, and a students row with too few cells.
            (
                "id,college\nA,x\"y\nB,\"x\"y\nC\nD,ok\n", "student_id,kind,date\nD,night_absence,2026-01-02\"\nE,x\n",
                "student_id,scale,date,item1\nD,phq9\n"
            ),
            // Blank lines, CR LF, a CR inside a cell, quoted line breaks.
            (
                "id,college\r\n\r\nA,\"x\ny\"\r\nB,a\rb\r\n\n",
                "student_id,kind,date\r\n\r\nA,night_absence,2026-01-02\r\n", nil
            ),
            // Refused tables: a bad header, an unknown column, a quote that never closes.
            ("name\nA\n", nil, nil),
            ("id,college\nA,x\n", "student_id,kind,when\n", nil),
            ("id,college\nA,\"x\n", nil, nil),
            ("id\nA\n", nil, "student_id,scale,date,item1,item09\n"),
        ] as [(String, String?, String?)])
    func unusualTablesAreReadAsBefore(students: String, events: String?, scales: String?) throws {
        Self.expectSame((students, events, scales), schema: try TestSupport.loadCampus().schema)
    }

    @Test func canonicallyEquivalentNamesAreReadAsBefore() throws {
        // "é" written as e and a combining accent: String equality reads it as the precomposed é, bytes do not.
        let path = try TestSupport.directory([
            "rules.yaml": """
            schema:
              booleans: {true: [是, "oui\u{E9}"], false: [否]}
              fields:
                home: {type: enumeration, values: ["caf\u{E9}", tea]}
                warned: boolean
              events:
                "f\u{E9}te": Fête
            levels:
              - id: none
              - id: attention
                from: 1
            indicators:
              - {id: was_warned, label: Warned, dimension: checkable, when: warned, points: 1}

            """
        ])
        let rules = try RuleSet.load(from: path)
        Self.expectSame(
            (
                "id,home,warned\nA,cafe\u{301},oui\u{65}\u{301}\nB,tea,否\n",
                "student_id,kind,date\nA,fe\u{301}te,2026-01-01\n", nil
            ), schema: rules.schema)
    }

    @Test func aRejectionAfterAResultOfASensitiveScaleIsMarkedSensitive() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            schema:
              fields:
                warned: boolean
              scales:
                secret:
                  items: 2
                  answers: [0, 3]
                  sensitive: true
                  scores:
                    total: {sum: all}
                open:
                  items: 2
                  answers: [0, 3]
                  scores:
                    total: {sum: all}
            levels:
              - id: none
              - id: attention
                from: 1
            indicators:
              - {id: was_warned, label: Warned, dimension: checkable, when: warned, points: 1}

            """
        ])
        let rules = try RuleSet.load(from: path)
        let scales =
            "student_id,scale,date,item1,item2\nA,secret,2026-01-01,1,1\nA,nonesuch,2026-01-02,1,1\nB,open,2026-01-01,1,1\nB,secret,2026-01-01,1,9\n"
        Self.expectSame(("id\nA\nB\n", nil, scales), schema: rules.schema)
        let batch = try CSVReader.read(
            studentsText: Array("id\nA\nB\n".utf8), eventsText: nil, scalesText: Array(scales.utf8),
            schema: rules.schema)
        #expect(batch.rejected.map(\.revealsSensitive) == [true, true])
    }

    @Test func gb18030TablesAreReadAsBefore() throws {
        let rules = try TestSupport.loadCampus()
        // 文学院 in GB18030; a BOM makes a file UTF-8 whatever was asked for.
        let students: [UInt8] = Array("id,college\nA,".utf8) + [0xCE, 0xC4, 0xD1, 0xA7, 0xD4, 0xBA] + Array("\n".utf8)
        Self.expectSame(
            students, Array("student_id,kind,date\nA,night_absence,2026-01-02\n".utf8), nil, schema: rules.schema,
            encoding: .gb18030)
        Self.expectSame(
            [0xEF, 0xBB, 0xBF] + Array("id,college\nA,x\n".utf8), nil, nil, schema: rules.schema, encoding: .gb18030)
    }

    /// Tables of generated students, then changed at random a few bytes at a time: whatever the change breaks, both
    /// readers must say the same.
    @Test func mutatedTablesAreReadAsBefore() throws {
        let rules = try TestSupport.loadCampus()
        let cohort = SyntheticCohort(rules: rules, seed: 9, asOf: TestSupport.date("2026-11-23"))
        let tables = cohort.csvTables(0..<12)
        let originals = [Array(tables.students.utf8), Array(tables.events.utf8), Array(tables.scales.utf8)]
        let pieces: [[UInt8]] = [
            "\"", ",", "\n", "\r", "\r\n", "\"\"", "", " ", "x", "-1", "9", "99", "1.5", "1e1", "2026-13-01", "S0001",
            "item09",
            "night_absence", "family_change", "phq9", "mini", "total", "class", "positive", "true", "是", "\u{7}", "é",
        ].map { Array($0.utf8) }
        var random = SplitMix64(seed: 42)
        for round in 0..<400 {
            var texts = originals
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let table = Int(random.next() % 3)
                let at = Int(random.next() % UInt64(texts[table].count + 1))
                let length = min(texts[table].count - at, Int(random.next() % 4))
                texts[table].replaceSubrange(
                    at..<(at + length), with: pieces[Int(random.next() % UInt64(pieces.count))])
            }
            Self.expectSame(
                texts[0], texts[1], texts[2], schema: rules.schema, "round \(round)", alsoCarefulOnly: round % 4 == 0)
        }
    }
}

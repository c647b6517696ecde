import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// A rejected record lists every error it has, each with its place, field and message, and is still one rejection
/// (issue 16, point 3).
@Suite struct RecordErrorListTests {
    /// Each error of a rejection as `line:column field: message`.
    static func lines(_ error: RecordError) -> [String] {
        error.all.map { "\($0.location.line):\($0.location.column) \($0.field ?? "-"): \($0.message)" }
    }

    @Test func aYAMLRecordListsEveryErrorInTheOrderOfItsKeys() throws {
        let schema = try TestSupport.loadCampus().schema
        let yaml = """
            - id: A
              failed_courses: abc
              gpa: 9
              events: {night_absence: [2026-13-01], trip: [2026-01-01]}
              scales: [{scale: phq9, date: 2026-01-02, items: [1, 1, 1, 1, 7, 1, 1, 1, x]}]
            - {id: B, college: 文学院}
            """
        let batch = try RecordReader.readYAML(Array(yaml.utf8), file: "r.yaml", schema: schema)
        #expect(batch.records.map(\.id) == ["B"])
        #expect(batch.rejected.count == 1)
        let rejection = try #require(batch.rejected.first)
        // The first error stays the rejection's own, as before.
        #expect(rejection.location.line == 2 && rejection.field == "failed_courses")
        #expect(
            Self.lines(rejection) == [
                "2:19 failed_courses: found \"abc\"; expected an integer written in decimal (such as 3 or -2)",
                "3:8 gpa: found 9, above the largest value 5; expected 5 or less",
                "4:28 events: found \"2026-13-01\" for a night_absence event; expected a date YYYY-MM-DD (or YYYY/M/D, YYYY-M-D) between 1900 and 2200",
                "4:41 events: found the unknown event kind \"trip\"; expected one of: night_absence, family_change, mood_swing_report, counsellor_contact",
                "5:64 scales: found \"7\" as answer 5 of phq9; expected a whole number from 0 to 3",
                "5:76 scales: found \"x\" as answer 9 of phq9; expected a whole number from 0 to 3",
            ])
        // One line per error, each with its file, line and column and the student.
        let described = rejection.description.split(separator: "\n")
        #expect(described.count == 6)
        #expect(described.allSatisfy { $0.hasPrefix("r.yaml:") && $0.contains(": error: student A, field ") })
    }

    @Test func aJSONLineListsEveryErrorAndAValidLineTakesTheFastPathAsBefore() throws {
        let schema = try TestSupport.loadCampus().schema
        let jsonl = """
            {"id":"A","failed_courses":"2","family_structure":"other","college":3}
            {"id":"B","failed_courses":2,"college":"文学院"}
            """
        let batch = RecordReader.readJSONLines(Array(jsonl.utf8), file: "r.jsonl", schema: schema)
        #expect(batch.records.map(\.id) == ["B"] && batch.rejected.count == 1)
        let rejection = try #require(batch.rejected.first)
        #expect(rejection.all.map(\.field) == ["failed_courses", "family_structure", "college"])
        #expect(rejection.all.allSatisfy { $0.location.line == 1 && $0.studentID == "A" })
        #expect(rejection.all.map(\.location.column) == [28, 51, 69])
        let fast = JSONRecordFastPath(schema: schema)
        var scratch = JSONRecordFastPath.Scratch()
        let line = Array(#"{"id":"B","failed_courses":2,"college":"文学院"}"#.utf8)
        #expect(
            line.withUnsafeBufferPointer {
                fast.decode($0, range: 0..<$0.count, file: "r.jsonl", line: 1, scratch: &scratch)?.id
            } == "B")
    }

    @Test func aCSVStudentListsTheErrorsOfItsRowItsOtherRowsAndItsValues() throws {
        let schema = try TestSupport.loadCampus().schema
        let students = "id,college,failed_courses,gpa\r\nC1,文学院,abc,9\r\nC2,理学院,1,2\r\n"
        let events = "student_id,kind,date\r\nC1,night_absence,2026-02-30\r\nC1,trip,2026-01-01\r\nC1,a\"b,x\r\n"
        let scales = "student_id,scale,date,item1\r\nC1,phq9,2026-01-01,1\r\n"
        for carefulOnly in [false, true] {
            let batch = try CSVReader.read(
                studentsText: Array(students.utf8), eventsText: Array(events.utf8), scalesText: Array(scales.utf8),
                schema: schema, carefulOnly: carefulOnly)
            #expect(batch.records.map(\.id) == ["C2"] && batch.rejected.count == 1)
            let rejection = try #require(batch.rejected.first)
            // The malformed events row first (as the first error before), then each value in the order read.
            #expect(
                rejection.all.map { "\($0.location.file):\($0.location.line):\($0.location.column) \($0.field ?? "-")" }
                    == [
                        "events.csv:4:5 events", "students.csv:2:8 failed_courses", "students.csv:2:12 gpa",
                        "events.csv:2:18 events", "events.csv:3:4 events", "scales.csv:2:20 scales",
                    ])
            #expect(rejection.all.allSatisfy { $0.studentID == "C1" })
            #expect(rejection.all[5].message == "found 1 answers for phq9; expected 9 answers")
        }
    }

    @Test func eachErrorIsRedactedByItsOwnSensitivity() throws {
        let rules = try TestSupport.loadCampus()
        let yaml = """
            - {id: A, failed_courses: abc, diagnosed: maybe, events: {family_change: [someday]}}
            """
        let batch = try RecordReader.readYAML(Array(yaml.utf8), file: "r.yaml", schema: rules.schema)
        let rejection = try #require(batch.rejected.first)
        #expect(rejection.all.count == 3)
        let liaison = try #require(rules.role(named: "dorm_liaison"))
        let counsellor = try #require(rules.role(named: "counsellor"))
        let seen = rejection.visible(to: liaison)
        #expect(seen.all.count == 3)
        #expect(seen.all[0].message.contains("abc") && seen.all[0].field == "failed_courses")
        #expect(
            seen.all[1].field == nil && seen.all[1].message.hasPrefix("found a sensitive value that could not be read"))
        #expect(seen.all[2].field == nil && !seen.all[2].message.contains("someday"))
        #expect(!seen.description.contains("maybe") && !seen.description.contains("family_change"))
        #expect(rejection.visible(to: counsellor) == rejection)
    }

    @Test func aRecordWithVeryManyErrorsListsTheFirstHundredAndCountsTheRest() throws {
        let schema = try TestSupport.loadCampus().schema
        let dates = (1...150).map { "x\($0)" }.joined(separator: ", ")
        let batch = try RecordReader.readYAML(
            Array("- {id: A, events: {night_absence: [\(dates)]}}".utf8), file: "r.yaml", schema: schema)
        #expect(batch.rejected.count == 1)
        let all = try #require(batch.rejected.first).all
        #expect(all.count == RecordError.maxListed + 1)
        #expect(all.last?.message.hasPrefix("found 50 more errors in this record, not listed") == true)
    }

    @Test func theSummaryCountsARecordWithSeveralErrorsOnce() throws {
        let input = try TestSupport.directory([
            "r.yaml": """
            - {id: A, failed_courses: abc, gpa: 9}
            - {id: B, college: 文学院}
            """
        ])
        let result = try CommandRunner.run([
            "score", "--rules", TestSupport.campusRules, "--as-of", "2026-01-10", input + "/r.yaml",
        ])
        #expect(result.stdout.contains("(1 scored, 1 rejected)"))
        #expect(result.stderr.contains("r.yaml:1:27: error: student A, field failed_courses: found \"abc\""))
        #expect(result.stderr.contains("r.yaml:1:37: error: student A, field gpa: found 9, above the largest value"))
    }
}

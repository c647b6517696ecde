import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

@Suite struct CSVReaderTests {
    @Test func quotingFollowsRFC4180() throws {
        let text = "id,college,class_name\r\nA,\"Line one\nline two\",\"say \"\"hi\"\", ok\"\r\nB,,x\r\n\r\n"
        let table = try CSVTable.parse(Array(text.utf8), file: "s.csv")
        #expect(table.header.map(\.text) == ["id", "college", "class_name"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].cells.map(\.text) == ["A", "Line one\nline two", "say \"hi\", ok"])
        #expect(table.rows[1].line == 4)
        #expect(table.rows[1].cells[2].column == 4)
    }

    @Test(arguments: [
        ("id\n\"open", "s.csv:2:1", "never closes"),
        ("i\"d\nA", "s.csv:1:2", "quote inside an unquoted field"),
        ("", "s.csv:1:1", "empty file"),
    ])
    func malformedFilesAreRefusedWithALocation(text: String, location: String, message: String) {
        #expect {
            try CSVTable.parse(Array(text.utf8), file: "s.csv")
        } throws: { error in
            let description = (error as? RecordFileError)?.description ?? ""
            return description.hasPrefix(location) && description.contains(message)
        }
    }

    @Test func invalidUTF8IsRefusedAtItsLine() {
        let bytes = Array("id,college\nA,".utf8) + [0xCE, 0xC4] + Array("\n".utf8)
        #expect {
            try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .utf8)
        } throws: { error in
            let description = (error as? RecordFileError)?.description ?? ""
            return description.hasPrefix("s.csv:2:3") && description.contains("--encoding gb18030")
        }
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id\n".utf8)
        #expect(try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .utf8) == Array("id\n".utf8))
        #expect(try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .gb18030) == Array("id\n".utf8))
    }

    @Test func tablesAreJoinedAndBadRowsRejectTheirStudent() throws {
        let rules = try TestSupport.loadCampus()
        let students = try CSVTable.parse(
            Array("id,college,failed_courses\nA,文学院,1\nB,理学院,x\nC,理学院,0\n".utf8), file: "students.csv")
        let events = try CSVTable.parse(
            Array(
                "student_id,kind,date\nA,night_absence,2026-01-02\nC,night_absence,2026-13-01\nZ,night_absence,2026-01-02\n"
                    .utf8), file: "events.csv")
        let scales = try CSVTable.parse(
            Array(
                "student_id,scale,date,item1,item2,item3,item4,item5,item6,item7,item8,item9,total\nA,phq9,2025-12-01,1,1,1,1,1,1,1,1,1,\nA,phq9,2025-11-01,,,,,,,,,,12\n"
                    .utf8),
            file: "scales.csv")
        let batch = try CSVReader.join(students: students, events: events, scales: scales, schema: rules.schema)
        #expect(batch.records.map(\.id) == ["A"])
        #expect(batch.records[0].eventCount(kindIndex: 0) == 1)
        #expect(batch.records[0].scaleEntries(scaleIndex: 0).count == 2)
        let messages = batch.rejected.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.hasPrefix("students.csv:3:") && $0.contains("student B, field failed_courses") })
        #expect(messages.contains { $0.hasPrefix("events.csv:3:") && $0.contains("student C, field events") })
        #expect(
            messages.contains {
                $0.hasPrefix("events.csv:4:1") && $0.contains("student Z") && $0.contains("not in students.csv")
            })
    }

    @Test func unknownColumnsAreRefused() throws {
        let rules = try TestSupport.loadCampus()
        let students = try CSVTable.parse(Array("id,collage\nA,x\n".utf8), file: "students.csv")
        #expect {
            try CSVReader.join(students: students, events: nil, scales: nil, schema: rules.schema)
        } throws: { error in
            let description = (error as? RecordFileError)?.description ?? ""
            return description.hasPrefix("students.csv:1:4") && description.contains("did you mean \"college\"")
        }
    }

    func joinError(students: String, scales: String? = nil) throws -> String? {
        let rules = try TestSupport.loadCampus()
        let studentTable = try CSVTable.parse(Array(students.utf8), file: "students.csv")
        let scaleTable = try scales.map { try CSVTable.parse(Array($0.utf8), file: "scales.csv") }
        do {
            _ = try CSVReader.join(students: studentTable, events: nil, scales: scaleTable, schema: rules.schema)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        (
            "id,failed_courses,failed_courses\nA,3,0\n",
            "students.csv:1:19: error: found the column \"failed_courses\" a second time (first at column 4); expected each column once"
        ),
        (
            "id,college,student_id\nA,x,B\n",
            "students.csv:1:12: error: found the column \"student_id\" a second time (first at column 1); expected each column once"
        ),
    ])
    func aStudentsColumnNamedTwiceIsRefused(students: String, message: String) throws {
        // The second column used to overwrite the first silently.
        #expect(try joinError(students: students) == message)
    }

    @Test(arguments: ["item09", "item+9", "item9 ", "item0", "item٩"])
    func anItemColumnMustBeWrittenOneWay(column: String) throws {
        // item9 and item09 (or item+9) used to be read as the same item, the last one winning: a PHQ-9 item-9 answer
        // of 3 was read as 0 and the student came out `none`.
        let header = "student_id,scale,date," + (1...9).map { "item\($0)" }.joined(separator: ",") + ",\(column)"
        let found = try joinError(students: "id\nA\n", scales: header + "\nA,phq9,2026-11-01,0,0,0,0,0,0,0,0,3,0\n")
        #expect(found?.hasPrefix("scales.csv:1:") == true)
        #expect(
            found?.contains(
                "found the column \"\(column)\"; expected student_id, scale, date, class, item1, item2, … (no leading zeros) or a score of the scale"
            ) == true, "\(found ?? "nil")")
    }

    @Test(arguments: [
        (
            [0x41, 0x0A, 0x42, 0x80, 0x0A] as [UInt8],
            "s.csv:2:2: error: found the bytes 80, which are not a GB18030 character; expected GB18030 text as --encoding gb18030 says"
        ),
        (
            [0xD6, 0xD0, 0xA3, 0xA0] as [UInt8],
            "s.csv:1:2: error: found the bytes A3 A0, which are not a GB18030 character; expected GB18030 text as --encoding gb18030 says"
        ),
        (
            [0x41, 0xFF] as [UInt8],
            "s.csv:1:2: error: found the bytes FF, which are not a GB18030 character; expected GB18030 text as --encoding gb18030 says"
        ),
        (
            Array("id,college\nA,文学院\n".utf8),
            "s.csv:2:3: error: found UTF-8 text; expected GB18030 text as --encoding gb18030 says (leave the option out for a UTF-8 file)"
        ),
    ])
    func gb18030IsReadOnlyWhenItIsGB18030(bytes: [UInt8], message: String) {
        // A lone 80 used to become €, A3 A0 an ideographic space, and UTF-8 text was refused at 1:1 or read as nonsense.
        do {
            _ = try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .gb18030)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func gb18030TextIsDecoded() throws {
        // 中文 in two-byte form, U+0080 in four-byte form, and ASCII.
        let bytes: [UInt8] = [0x69, 0x64, 0x0A, 0xD6, 0xD0, 0xCE, 0xC4, 0x81, 0x30, 0x81, 0x30, 0x0A]
        #expect(try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .gb18030) == Array("id\n中文\u{80}\n".utf8))
    }

    @Test func aMalformedRowRejectsItsStudentAndTheRestIsRead() throws {
        // A stray quote or text after a closing quote used to refuse the whole table.
        let rules = try TestSupport.loadCampus()
        let students = try CSVTable.parse(
            Array("id,college,failed_courses\nA,文学院,1\nB,理\"学院,2\nC,\"理学院\"x,0\nD,理学院,0\n".utf8), file: "students.csv")
        let events = try CSVTable.parse(
            Array("student_id,kind,date\nA,night_absence,2026-01-02\nD,night\"absence,2026-01-03\n".utf8),
            file: "events.csv")
        let batch = try CSVReader.join(students: students, events: events, scales: nil, schema: rules.schema)
        #expect(batch.records.map(\.id) == ["A"])
        #expect(
            batch.rejected.map(\.description) == [
                "students.csv:3:4: error: student B: found a quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote",
                "students.csv:4:8: error: student C: found text after a closing quote; expected a comma or the end of the line",
                "events.csv:3:8: error: student D, field events: found a quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote",
            ])
    }

    @Test func theRestOfAMalformedRowCannotBecomeAPhantomStudent() throws {
        // A quoted multi-line cell that opens after the fault belongs to the broken row: its lines must not be read
        // as rows (found by review: a phantom row for B was scored and B's real row rejected as a repeated id).
        let rules = try TestSupport.loadCampus()
        let text = "id,college,class_name,diagnosed\nA,\"文学院\"x,\"note\nB,理学院,c,true\nend\",false\nB,理学院,c,false\n"
        let students = try CSVTable.parse(Array(text.utf8), file: "students.csv")
        let batch = try CSVReader.join(students: students, events: nil, scales: nil, schema: rules.schema)
        #expect(batch.records.map(\.id) == ["B"])
        #expect(batch.records.first?.location?.line == 5)
        #expect(
            batch.rejected.map(\.description) == [
                "students.csv:2:8: error: student A: found text after a closing quote; expected a comma or the end of the line"
            ])
    }

    @Test func aGB18030TextWhoseCharactersAreAlsoValidUTF8IsReadAsGB18030() throws {
        // Found by review: 女 is C5 AE in GB18030, which is also UTF-8 for "Ů"; the file was refused as UTF-8.
        let bytes: [UInt8] = Array("id,name\nA,".utf8) + [0xC5, 0xAE] + [0x0A]
        #expect(try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .gb18030) == Array("id,name\nA,女\n".utf8))
    }

    @Test(arguments: [[0x80] as [UInt8], [0xA3, 0xA0]])
    func aBadCharacterAtTheEndOfALargeGB18030FileIsFoundQuickly(bad: [UInt8]) {
        // Found by review: the search for the bad character converted one character at a time (41 s for 10 MB).
        var bytes = Array("id,college\n".utf8)
        let row = Array("S0000001,".utf8) + [0xD6, 0xD0, 0xCE, 0xC4, 0x0A]  // 中文 in GB18030
        while bytes.count < 4_000_000 { bytes += row }
        let lines = bytes.count(where: { $0 == 0x0A })
        bytes += Array("S9,".utf8) + bad + [0x0A]
        // The time this thread spent on the CPU, not the wall clock: other tests and builds on the machine do not count.
        func threadSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let start = threadSeconds()
        do {
            _ = try RecordReader.utf8Text(bytes, file: "s.csv", encoding: .gb18030)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.location.line == lines + 1 && error.location.column == 4)
        }
        #expect(threadSeconds() - start < 5)
    }
}

import Testing

@testable import RiskScreen

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
        ("id\nab\"c", "s.csv:2:3", "quote inside an unquoted field"),
        ("id\n\"a\"b", "s.csv:2:4", "after a closing quote"),
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
        let students = try CSVTable.parse(Array("id,college,failed_courses\nA,文学院,1\nB,理学院,x\nC,理学院,0\n".utf8), file: "students.csv")
        let events = try CSVTable.parse(Array("student_id,kind,date\nA,night_absence,2026-01-02\nC,night_absence,2026-13-01\nZ,night_absence,2026-01-02\n".utf8), file: "events.csv")
        let scales = try CSVTable.parse(
            Array("student_id,scale,date,item1,item2,item3,item4,item5,item6,item7,item8,item9,total\nA,phq9,2025-12-01,1,1,1,1,1,1,1,1,1,\nA,phq9,2025-11-01,,,,,,,,,,12\n".utf8),
            file: "scales.csv")
        let batch = try CSVReader.join(students: students, events: events, scales: scales, schema: rules.schema)
        #expect(batch.records.map(\.id) == ["A"])
        #expect(batch.records[0].eventCount(kindIndex: 0) == 1)
        #expect(batch.records[0].scaleEntries(scaleIndex: 0).count == 2)
        let messages = batch.rejected.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.hasPrefix("students.csv:3:") && $0.contains("student B, field failed_courses") })
        #expect(messages.contains { $0.hasPrefix("events.csv:3:") && $0.contains("student C, field events") })
        #expect(messages.contains { $0.hasPrefix("events.csv:4:1") && $0.contains("student Z") && $0.contains("not in students.csv") })
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
}

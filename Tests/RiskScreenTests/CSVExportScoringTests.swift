import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSupport

/// The same students written twice as CSV — once as `riskscreen generate` writes them, once as a Chinese university's
/// export writes them — score to the same bytes.
@Suite struct CSVExportScoringTests {
    static let campusDefault = URL(fileURLWithPath: TestSupport.testsDirectory)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Rules/campus-default").path

    /// A cell as RFC 4180 writes it.
    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// `2024-09-01` as `2024/9/1` or `2024-9-1` (by `slash`); anything else as written.
    static func exportedDate(_ text: String, slash: Bool) -> String {
        guard let date = CivilDate(iso: text) else { return text }
        let (year, month, day) = date.components
        return slash ? "\(year)/\(month)/\(day)" : "\(year)-\(month)-\(day)"
    }

    /// Rewrites one table as an export: headers by their first alias, the id as 学号, booleans in turn as 是/否,
    /// TRUE/FALSE, 1/0 and True/false, dates without leading zeros, mostly with slashes.
    static func exported(_ path: String, schema: Schema, counter: inout Int) throws -> String {
        // As generate writes a table to a file named .csv: after a byte order mark, which the readers skip.
        let bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let table = try CSVTable.parse(
            bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, file: path)
        let fields = table.header.map { schema.field(named: $0.text) }
        let header = table.header.enumerated().map { index, cell -> String in
            if cell.text == "id" || cell.text == "student_id" { return "学号" }
            return fields[index]?.aliases.first ?? cell.text
        }
        var lines = [header.map(quoted).joined(separator: ",")]
        let spellings = [("是", "否"), ("TRUE", "FALSE"), ("1", "0"), ("True", "false")]
        for row in table.rows {
            let cells = row.cells.enumerated().map { index, cell -> String in
                let isDate = fields[index]?.type == .date || table.header[index].text == "date"
                if fields[index]?.type == .boolean, cell.text == "true" || cell.text == "false" {
                    counter += 1
                    let (yes, no) = spellings[counter % spellings.count]
                    return cell.text == "true" ? yes : no
                }
                if isDate {
                    counter += 1
                    return exportedDate(cell.text, slash: counter % 4 != 0)
                }
                return cell.text
            }
            lines.append(cells.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func aChineseExportScoresByteIdenticallyToTheSameDataInEnglish() throws {
        let directory = try TestSupport.directory([:])
        let english = directory + "/en"
        let chinese = directory + "/zh"
        let generated = try CommandRunner.run([
            "generate", "--rules", Self.campusDefault, "--students", "600", "--seed", "11", "--format", "csv",
            "--output", english,
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let schema = try RuleSet.load(from: Self.campusDefault).schema
        try FileManager.default.createDirectory(atPath: chinese, withIntermediateDirectories: true)
        var counter = 0
        for table in ["students", "events", "scales"] {
            let text = try Self.exported(english + "/\(table).csv", schema: schema, counter: &counter)
            try text.write(toFile: chinese + "/\(table).csv", atomically: true, encoding: .utf8)
        }
        let students = try String(contentsOfFile: chinese + "/students.csv", encoding: .utf8)
        // The export really is one: Chinese headers, each spelling of a boolean, slash dates.
        #expect(students.hasPrefix("学号,姓名,学院,班级,宿舍,入学日期"))
        for spelling in [",是,", ",否,", ",TRUE,", ",FALSE,", ",1,", ",0,", ",True,", "/9/1,"] {
            #expect(students.contains(spelling), "no \(spelling) in the export")
        }
        #expect(try String(contentsOfFile: chinese + "/events.csv", encoding: .utf8).hasPrefix("学号,kind,date\r\n"))

        var outputs: [CommandRunner.Result] = []
        for input in [english, chinese] {
            outputs.append(
                try CommandRunner.run([
                    "score", "--rules", Self.campusDefault, "--as-of", "2026-03-15", "--format", "json", "--audience",
                    "centre", "--strict", input,
                ]))
        }
        #expect(outputs.map(\.status) == [0, 0], "\(outputs.map(\.stderr))")
        #expect(outputs[0].stdout.split(separator: "\n").count == 600)
        #expect(outputs[0].stdout == outputs[1].stdout)
        #expect(outputs[0].stderr == outputs[1].stderr)
    }

    @Test func generateWritesChineseHeadersThatScoreByteIdenticallyToTheEnglishOnes() throws {
        let directory = try TestSupport.directory([:])
        var outputs: [CommandRunner.Result] = []
        for headers in ["en", "zh"] {
            let generated = try CommandRunner.run([
                "generate", "--rules", Self.campusDefault, "--students", "400", "--seed", "5", "--format", "csv",
                "--headers", headers, "--output", directory + "/" + headers,
            ])
            #expect(generated.status == 0, "\(generated.stderr)")
            outputs.append(
                try CommandRunner.run([
                    "score", "--rules", Self.campusDefault, "--as-of", "2026-03-15", "--format", "json", "--audience",
                    "centre", "--strict", directory + "/" + headers,
                ]))
        }
        // Read as bytes: Foundation's String(contentsOfFile:) drops a byte order mark.
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: directory + path) ?? Data(), as: UTF8.self)
        }
        let mark = "\u{FEFF}"
        let students = text("/zh/students.csv")
        #expect(students.hasPrefix(mark + "学号,姓名,学院,班级,宿舍,入学日期,学制,internet_addiction_observed,"))
        #expect(
            text("/zh/events.csv").hasPrefix(
                mark + "学号,kind,date\r\n"))
        #expect(
            text("/zh/scales.csv").hasPrefix(
                mark + "学号,scale,date,item1,"))
        #expect(
            text("/en/students.csv").hasPrefix(
                mark + "id,name,college,class_name,"))
        #expect(outputs.map(\.status) == [0, 0], "\(outputs.map(\.stderr))")
        #expect(outputs[0].stdout.split(separator: "\n").count == 400)
        #expect(outputs[0].stdout == outputs[1].stdout)
        #expect(outputs[0].stderr == outputs[1].stderr)
    }
}

import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// The CSV and the attention list as people read them (issue 16, point 4): college and class, the level in Chinese
/// and English, the duties' next due date, the rules that changed the level named in a column, the notice once, and
/// the attention list's main reason and route — each as the audience may see it.
@Suite struct OutputsForPeopleTests {
    let asOf = TestSupport.date("2025-11-20")

    /// Students of the test-campus rules on 2025-11-20. A: three shown indicators. B: a night absence and a PHQ-9 of
    /// 13 (a sensitive scale, +3). C: the PHQ-9 alone. E: indicators of three dimensions, raised to focus by
    /// `cross_screen`. F and G share a dorm; F is in crisis by a sensitive fact, so G is raised by `roommate_exposure`.
    /// H: two indicators of +2, `night_absence` first in rule-set order.
    static let students = """
        - {id: A, college: 文学院, class_name: 中文1班, enrolled_on: 2023-09-01, failed_courses: 1, family_structure: single_parent, events: {night_absence: [2025-11-02, 2025-11-05]}}
        - {id: B, college: 理学院, enrolled_on: 2023-09-01, events: {night_absence: [2025-11-02, 2025-11-05]}, scales: [{scale: phq9, date: 2025-11-01, items: [2,2,2,2,2,1,1,1,0]}]}
        - {id: C, enrolled_on: 2023-09-01, scales: [{scale: phq9, date: 2025-11-01, items: [2,2,2,2,2,1,1,1,0]}]}
        - {id: E, enrolled_on: 2023-09-01, failed_courses: 1, events: {night_absence: [2025-11-02, 2025-11-05], mood_swing_report: [2025-11-10]}}
        - {id: F, dorm: "101", enrolled_on: 2023-09-01, self_harm_risk: true}
        - {id: G, dorm: "101", enrolled_on: 2023-09-01}
        - {id: H, enrolled_on: 2025-09-01, failed_courses: 1, events: {night_absence: [2025-11-02, 2025-11-05]}}
        - {id: P, enrolled_on: 2023-09-01, failed_courses: 1, events: {night_absence: [2025-11-02, 2025-11-05], mood_swing_report: [2025-11-10]}, scales: [{scale: mini, date: 2025-11-01, items: [5,5,5,1]}]}
        """

    struct Scored {
        let rules: RuleSet
        let records: [StudentRecord]
        let assessments: [Assessment]
        func student(_ id: String) throws -> Assessment { try #require(assessments.first { $0.studentID == id }) }
        var reader: Role { rules.leastPrivilegedRole }
        func counsellor() throws -> Role { try #require(rules.role(named: "counsellor")) }
    }

    func scored() throws -> Scored {
        let rules = try TestSupport.loadCampus()
        let records = try TestSupport.records(Self.students, schema: rules.schema)
        return Scored(
            rules: rules, records: records,
            assessments: try ScoringEngine(rules: rules).assess(records, asOf: asOf, for: .fullView))
    }

    /// The cells of one CSV row (RFC 4180), by the header's column names.
    static func cells(_ row: String, header: String = AssessmentFormatting.csvHeader) -> [String: String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var characters = Array(row)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        cell.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(character)
            }
        }
        cells.append(cell)
        let names = header.split(separator: ",").map(String.init)
        #expect(cells.count == names.count, "\(row)")
        return Dictionary(uniqueKeysWithValues: zip(names, cells))
    }

    // MARK: CSV columns

    @Test func csvRowNamesTheCollegeTheClassAndTheLevelInChineseAndEnglish() throws {
        let scored = try scored()
        let row = AssessmentFormatting.csvRow(
            try scored.student("A").visible(to: scored.reader), college: "文学院", className: "中文1班")
        #expect(row.hasPrefix("A,文学院,中文1班,2025-11-20,attention,一般关注,Attention,,new,4,attention,"))
        let cells = Self.cells(row)
        #expect(cells["level_zh"] == "一般关注" && cells["level_en"] == "Attention")
        // A record's college and class are cells like any other: escaped, and never run as a formula.
        let forged = AssessmentFormatting.csvRow(
            try scored.student("A"), college: "文学院\u{1B}[2J\nX", className: "=HYPERLINK(1)")
        #expect(!PrintableText.needsEscape(forged))
        #expect(forged.hasPrefix(#"A,文学院\u{1B}[2J\u{A}X,'=HYPERLINK(1),"#))
    }

    @Test func theLevelLabelsComeFromTheRuleSetsLevels() throws {
        let scored = try scored()
        let focus = try #require(scored.rules.levels.first { $0.id == "focus" })
        let e = try scored.student("E")
        #expect(e.level.id == "focus")
        #expect(e.levelLabel == focus.label)
        #expect(Self.cells(AssessmentFormatting.csvRow(e))["level_zh"] == "重点关注")
    }

    @Test func levelChangedByNamesTheRulesThatChangedTheLevelInPlaceOfAStar() throws {
        let scored = try scored()
        let e = Self.cells(AssessmentFormatting.csvRow(try scored.student("E").visible(to: scored.reader)))
        #expect(e["escalations"] == "cross_screen:focus")
        #expect(e["level_changed_by"] == "cross_screen")
        #expect(e["score_level"] == "attention")
        // A rule that held without changing the level is listed, not named as the cause.
        let c = Self.cells(AssessmentFormatting.csvRow(try scored.student("C")))
        #expect(c["caps"] == "scale_alone:focus")
        #expect(c["level_changed_by"] == "")
        #expect(!AssessmentFormatting.csvRow(try scored.student("E")).contains("*"))
    }

    @Test func levelChangedByIsWithheldWhereTheScoreIs() throws {
        let scored = try scored()
        // P is E with a positive mini scale (+1, sensitive): cross_screen still raises it to focus, but the reader may
        // not see the scale, so whether a rule changed the level would tell where the score lies; cross_screen counts
        // fired indicators, the scale's among them, so it is withheld too.
        let shown = Self.cells(AssessmentFormatting.csvRow(try scored.student("P").visible(to: scored.reader)))
        #expect(shown["score"] == "withheld")
        #expect(shown["escalations"] == "")
        #expect(shown["level_changed_by"] == "withheld")
        let full = Self.cells(AssessmentFormatting.csvRow(try scored.student("P").visible(to: try scored.counsellor())))
        #expect(full["escalations"] == "cross_screen:focus" && full["level_changed_by"] == "cross_screen")
    }

    @Test func theNoticeIsFilledOnlyWhenAsked() throws {
        let a = try scored().student("A")
        #expect(Self.cells(AssessmentFormatting.csvRow(a))["notice"] == RuleSetTexts.defaultNotice)
        #expect(Self.cells(AssessmentFormatting.csvRow(a, notice: false))["notice"] == "")
        #expect(AssessmentFormatting.csvRow(a, notice: false).hasSuffix(","))
    }

    @Test func nextDueIsTheEarliestDueDateOfTheDutiesTheViewShows() throws {
        let rules = try RuleSet.load(from: RedactionTests.root + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: rules)
        let asOf = TestSupport.date("2026-07-20")
        let records = try TestSupport.records(
            """
            - {id: A, confirmed_level: focus, confirmed_on: 2026-06-20, confirmed_by: centre, confirmed_how: case_conference}
            - {id: Q, \(CaseModelTests.answer)}
            """, schema: rules.schema)
        let confirmed = engine.assess(records[0], asOf: asOf, for: .fullView)
        // Listed in rule-set order, the later one first: the column is the earliest, not the first.
        #expect(confirmed.actions.map(\.due.description) == ["2026-07-05", "2026-06-27"])
        #expect(Self.cells(AssessmentFormatting.csvRow(confirmed))["next_due"] == "2026-06-27")
        // The interview owed after a questionnaire answer reads a sensitive scale: a reader is shown neither the
        // duty nor its date.
        let answer = engine.assess(records[1], asOf: asOf, for: .fullView)
        let centre = try #require(rules.role(named: "centre"))
        #expect(answer.visible(to: centre).actions.map(\.id) == ["same_day_interview"])
        #expect(Self.cells(AssessmentFormatting.csvRow(answer.visible(to: centre)))["next_due"] == "2026-07-11")
        let hidden = Self.cells(AssessmentFormatting.csvRow(answer.visible(to: rules.leastPrivilegedRole)))
        #expect(hidden["next_due"] == "" && hidden["actions"] == "")
        #expect(answer.visible(to: rules.leastPrivilegedRole).nextDue == nil)
    }

    // MARK: The main reason

    @Test func theMainReasonIsTheShownIndicatorWithTheMostPointsAndNeverAWithheldOne() throws {
        let scored = try scored()
        let counsellor = try scored.counsellor()
        let reason = { (id: String, role: Role) in try scored.student(id).visible(to: role).mainReason }
        #expect(try reason("A", scored.reader) == "night_absence +2")
        // B's PHQ-9 (+3) outweighs the night absence (+2): the counsellor is shown it, the reader only that something
        // is withheld.
        #expect(try reason("B", counsellor) == "positive_scale +3")
        #expect(try reason("B", scored.reader) == "night_absence +2, withheld")
        #expect(try reason("C", counsellor) == "positive_scale +3")
        #expect(try reason("C", scored.reader) == "withheld")
        // On a tie, the first in rule-set order.
        #expect(
            try scored.student("H").fired.filter { $0.points == 2 }.map(\.id) == [
                "night_absence", "first_year_failure",
            ])
        #expect(try reason("H", counsellor) == "night_absence +2")
    }

    @Test func withoutAShownIndicatorTheMainReasonIsTheRuleThatHeld() throws {
        let scored = try scored()
        // G fired nothing: its roommate's crisis raised it. The cohort rule speaks of another student, so the reader
        // is told only that something is withheld.
        let g = try scored.student("G")
        #expect(g.level.id == "attention" && g.fired.isEmpty)
        #expect(g.visible(to: try scored.counsellor()).mainReason == "cohort roommate_exposure")
        #expect(g.visible(to: scored.reader).mainReason == "withheld")
        // F's red flag reads a sensitive field: the escalation is withheld with it.
        #expect(try scored.student("F").visible(to: scored.counsellor()).mainReason == "escalation red_flag")
        #expect(try scored.student("F").visible(to: scored.reader).mainReason == "withheld")
    }

    @Test func theAttentionListShowsTheMainReasonAndTheRouteAsTheAudienceMaySeeThem() throws {
        let scored = try scored()
        let summary = BatchSummary(
            rules: scored.rules, records: scored.records, assessments: scored.assessments, for: .role(scored.reader))
        let b = try #require(summary.attention.first { $0.studentID == "B" })
        #expect(b.reason == "night_absence +2, withheld")
        #expect(b.route == ["dorm_liaison", "class_committee", "counsellor"])
        let text = AssessmentFormatting.summaryText(summary)
        #expect(text.contains("Attention list (8, most urgent first, as dorm_liaison sees it)"))
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix(" #") || $0.hasPrefix("#") })
        #expect(header.contains("  CLASS  ") && header.contains("  MAIN REASON  ") && header.hasSuffix("  ROUTE"))
        #expect(
            lines.contains {
                $0.contains(" B ")
                    && $0.hasSuffix("night_absence +2, withheld  dorm_liaison → class_committee → counsellor")
            })
        for withheld in ["positive_scale", "red_flag", "roommate_exposure", "self_harm"] {
            #expect(!text.contains(withheld))
        }
        let full = AssessmentFormatting.summaryText(
            BatchSummary(
                rules: scored.rules, records: scored.records, assessments: scored.assessments,
                for: .role(try scored.counsellor())))
        #expect(full.contains("as counsellor sees it"))
        #expect(full.contains("positive_scale +3") && full.contains("escalation red_flag"))
    }
}

/// `riskscreen score --format csv` and the table as people open them.
@Suite struct CommandOutputsForPeopleTests {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    func score(_ extra: [String], standardOutput: String? = nil) throws -> CommandRunner.Result {
        if let standardOutput { _ = FileManager.default.createFile(atPath: standardOutput, contents: nil) }
        return try CommandRunner.run(
            ["score", "--rules", CommandFixtures.rules, "--as-of", "2026-01-10"] + extra
                + [try CommandFixtures.input()], standardOutput: standardOutput)
    }

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try #require(FileManager.default.contents(atPath: path))) }

    @Test func aCSVFileStartsWithAByteOrderMarkAndStandardOutputDoesNot() throws {
        let directory = try TestSupport.directory([:])
        #expect(try score(["--format", "csv", "--output", directory + "/result.csv"]).status == 0)
        let file = try bytes(directory + "/result.csv")
        #expect(Array(file.prefix(3)) == Self.byteOrderMark)
        #expect(String(decoding: file.dropFirst(3), as: UTF8.self).hasPrefix(AssessmentFormatting.csvHeader + "\r\n"))
        // Any case of the extension.
        #expect(try score(["--format", "csv", "--output", directory + "/RESULT.CSV"]).status == 0)
        #expect(Array(try bytes(directory + "/RESULT.CSV").prefix(3)) == Self.byteOrderMark)
        let standardOutput = directory + "/stdout"
        #expect(try score(["--format", "csv"], standardOutput: standardOutput).status == 0)
        #expect(String(decoding: try bytes(standardOutput), as: UTF8.self).hasPrefix("id,college,class,"))
        #expect(try score(["--format", "csv", "--output", directory + "/result.txt"]).status == 0)
        #expect(String(decoding: try bytes(directory + "/result.txt"), as: UTF8.self).hasPrefix("id,"))
    }

    @Test func bomAndNoBomOverrideTheDefault() throws {
        let directory = try TestSupport.directory([:])
        #expect(try score(["--format", "csv", "--no-bom", "--output", directory + "/result.csv"]).status == 0)
        #expect(String(decoding: try bytes(directory + "/result.csv"), as: UTF8.self).hasPrefix("id,"))
        let standardOutput = directory + "/stdout"
        #expect(try score(["--format", "csv", "--bom"], standardOutput: standardOutput).status == 0)
        let written = try bytes(standardOutput)
        #expect(Array(written.prefix(3)) == Self.byteOrderMark)
        // Once, before the header.
        #expect(written.dropFirst(3).firstRange(of: Self.byteOrderMark) == nil)
    }

    @Test(arguments: [["--format", "json", "--bom"], ["--no-bom"]])
    func aByteOrderMarkOutsideCSVIsAUsageError(arguments: [String]) throws {
        let result = try score(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("a byte order mark is written only in CSV"))
        #expect(result.stdout.isEmpty)
    }

    @Test func theCSVHasCollegeAndClassAndTheNoticeOnce() throws {
        let result = try score(["--format", "csv"])
        #expect(result.status == 0)
        let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 5)
        let cells = rows.dropFirst().map { OutputsForPeopleTests.cells($0) }
        #expect(cells.map { $0["college"] ?? "?" } == ["文学院", "理学院", "理学院", "理学院"])
        #expect(cells.map { $0["class"] ?? "?" } == ["中文2025级1班", "数学1班", "", "数学1班"])
        #expect(cells.map { $0["notice"] ?? "?" } == [RuleSetTexts.defaultNotice, "", "", ""])
        #expect(cells[0]["level_en"] == "Crisis" && cells[0]["level_zh"] == "危机")
        // The default reader: S001's red flag reads a sensitive fact, so it is neither named nor said to have
        // changed the level.
        #expect(cells[0]["level_changed_by"] == "withheld")
        #expect(!result.stdout.contains("red_flag") && !result.stdout.contains("self_harm"))
        // The summary names the reader and how to choose another.
        #expect(result.stderr.contains("Shown as dorm_liaison sees it, without sensitive facts; --audience ROLE"))
    }

    @Test func theTableSaysWhoseViewItIsAndHowToChooseAnother() throws {
        let reader = try score([])
        #expect(reader.stdout.contains("Attention list (2, most urgent first, as dorm_liaison sees it)"))
        #expect(
            reader.stdout.contains(
                "Shown as dorm_liaison sees it, without sensitive facts; --audience ROLE shows another role's view "
                    + "(counsellor, centre see sensitive facts).\n1 rejected record(s)"))
        let lines = reader.stdout.split(separator: "\n").map(String.init)
        let attention = try #require(lines.firstIndex { $0.hasPrefix("Attention list") })
        #expect(lines[attention + 1].contains("  MAIN REASON  ") && lines[attention + 1].hasSuffix("  ROUTE"))
        #expect(lines[attention + 2].hasSuffix("night_absence +2, withheld  counsellor → centre"))
        let counsellor = try score(["--audience", "counsellor"])
        #expect(counsellor.stdout.contains("as counsellor sees it"))
        #expect(!counsellor.stdout.contains("Shown as"))
    }
}

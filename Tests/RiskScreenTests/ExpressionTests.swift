import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// The expression language: grammar, three-valued logic, dates and arithmetic.
@Suite struct ExpressionTests {
    let rules: RuleSet

    init() throws {
        rules = try TestSupport.loadCampus()
    }

    /// Compiles `text` as an indicator condition of the test rule set and runs it on a record.
    func evaluate(_ text: String, record yaml: String = "{id: X}", asOf: String = "2026-11-23") throws -> Truth {
        let builder = RuleSetBuilder(definitions: Definitions(), bag: DiagnosticBag())
        var scope = builder.makeScope(context: .indicator, indicators: [])
        scope.schema = rules.schema
        scope.windowIndex = Dictionary(uniqueKeysWithValues: rules.windows.enumerated().map { ($1.name, $0) })
        var compiler = ExpressionCompiler(scope: scope)
        let syntax = try ExpressionParser.parse(text)
        let result = compiler.compileCondition(syntax)
        let compiled = try #require(result, "\(compiler.errors.map(\.message))")
        // What the compiler makes passes the check the rules get at load.
        let verifier = ExpressionCodeVerifier(
            bounds: .init(schema: rules.schema, indicators: 0, windows: rules.windows.count, readsScore: false))
        #expect(verifier.verify(compiled.0, leaving: .truth) == nil)
        let record = try #require(try TestSupport.records("- " + yaml, schema: rules.schema).first)
        let date = TestSupport.date(asOf)
        let firedBits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { firedBits.deallocate() }
        let windows = rules.windows.map { $0.holds(on: date) }
        return windows.withUnsafeBufferPointer { active in
            var frame = EvalFrame(
                storage: record.storage, asOf: Int32(date.dayNumber),
                asOfAcademicYear: AcademicYear.of(dayNumber: date.dayNumber, start: (9, 1)),
                windowActive: active.baseAddress
                    ?? UnsafePointer(firedBits).withMemoryRebound(to: Bool.self, capacity: 1) { $0 },
                firedBits: firedBits)
            return withExtendedLifetime(record) { withUnsafePointer(to: &frame) { compiled.0.truth($0) } }
        }
    }

    @Test(arguments: [(9, 1), (1, 1), (12, 31), (2, 29), (3, 1)])
    func studyYearTableAgreesWithTheCalendarOnEveryDay(month: Int, day: Int) throws {
        // The engine works study_year() out from a table of academic-year starts; it must give what converting the
        // enrolment date gives, on every day from 1995 to 2035, for as-of years inside and outside the table's reach.
        for asOfYear in [2010, 2026] {
            let table = AcademicYear.StudyYearTable(asOfAcademicYear: asOfYear, start: (month, day))
            let first = try #require(CivilDate(year: 1995, month: 1, day: 1)).dayNumber
            let last = try #require(CivilDate(year: 2035, month: 12, day: 31)).dayNumber
            var mismatches = 0
            for enrolled in first...last {
                let expected = AcademicYear.studyYear(
                    enrolled: Double(enrolled), asOfAcademicYear: asOfYear, start: (month, day))
                if table.studyYear(enrolled: Double(enrolled)) != expected { mismatches += 1 }
            }
            #expect(mismatches == 0, "as-of academic year \(asOfYear), start \(month)-\(day)")
            #expect(table.studyYear(enrolled: .nan).isNaN)
        }
    }

    @Test(arguments: [
        ("gpa < 2", "{id: X}", Truth.unknown),
        ("not (gpa < 2)", "{id: X}", .unknown),
        ("gpa < 2 and false", "{id: X}", .false),
        ("gpa < 2 or true", "{id: X}", .true),
        ("gpa is missing", "{id: X}", .true),
        ("gpa is set", "{id: X, gpa: 3}", .true),
        ("gpa is not set", "{id: X, gpa: 3}", .false),
        ("gpa * 2 - 1 >= 5 and gpa / 0 is missing", "{id: X, gpa: 3}", .true),
        ("-gpa < 0", "{id: X, gpa: 3}", .true),
        ("family_structure not in [intact]", "{id: X, family_structure: reconstituted}", .true),
        ("family_structure == 'intact'", "{id: X, family_structure: intact}", .true),
        ("enrolled_on + 30 < as_of", "{id: X, enrolled_on: 2026-10-01}", .true),
        ("as_of - enrolled_on == 53", "{id: X, enrolled_on: 2026-10-01}", .true),
        ("enrolled_on >= 2026-09-01", "{id: X, enrolled_on: 2026-10-01}", .true),
        ("days_since(enrolled_on) == 53", "{id: X, enrolled_on: 2026-10-01}", .true),
        ("study_year() == 2", "{id: X, enrolled_on: 2025-09-01}", .true),
        ("min(failed_courses, 2) == 2 and max(failed_courses, 9) == 9", "{id: X, failed_courses: 5}", .true),
        (
            "count(night_absence, 2w) == 1 and count(night_absence) == 2",
            "{id: X, events: {night_absence: [2026-11-01, 2026-11-20]}}", .true
        ),
        ("days_since(night_absence) > 0", "{id: X}", .unknown),
        ("during(winter_break)", "{id: X}", .false),
        ("latest(phq9).total >= 0", "{id: X}", .unknown),
        ("academic_warning == true", "{id: X, academic_warning: true}", .true),
    ])
    func conditionEvaluates(text: String, record: String, expected: Truth) throws {
        #expect(try evaluate(text, record: record) == expected)
    }

    @Test func windowsRecurWrapAndHoldOnDatedRanges() throws {
        let winter = try #require(rules.windows.first { $0.name == "winter_break" })
        #expect(winter.holds(on: TestSupport.date("2026-12-25")))
        #expect(winter.holds(on: TestSupport.date("2027-01-01")))
        #expect(!winter.holds(on: TestSupport.date("2027-01-02")))
        let campaign = try #require(rules.windows.first { $0.name == "campaign_2026" })
        #expect(campaign.holds(on: TestSupport.date("2026-05-01")))
        #expect(!campaign.holds(on: TestSupport.date("2027-05-01")))
        #expect(try evaluate("during(winter_break)", asOf: "2026-12-31") == .true)
    }

    @Test(arguments: [
        ("gpa <", 5, "found the end of the condition; expected a value"),
        ("(gpa < 2", 8, "found the end of the condition; expected \")\""),
        ("gpa && 1", 4, "found \"&\"; expected the word \"and\""),
        ("count(night_absence, 30x)", 21, "found \"30x\"; expected a number, or a duration such as 30d, 2w or 3m"),
        ("d == 2026-02-30", 5, "found the date 2026-02-30, which does not exist or is outside 1900–2200"),
        ("'open", 0, "found a string that is never closed; expected '"),
        ("gpa < 2 gpa", 8, "found \"gpa\"; expected an operator or the end of the condition"),
    ])
    func syntaxErrorsSayWhereAndWhat(text: String, offset: Int, message: String) {
        do {
            _ = try ExpressionParser.parse(text)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.offset == offset)
            #expect(error.message == message)
        }
    }

    @Test func deeplyNestedConditionFailsCleanly() {
        let text = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(text) }
    }
}

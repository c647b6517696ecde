import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

@Suite struct BatchSummaryTests {
    static let yaml = """
        - {id: B2, college: 理学院, class_name: 一班, self_harm_risk: true}
        - {id: A1, college: 文学院, class_name: 二班, events: {night_absence: [2026-01-02, 2026-01-05], mood_swing_report: [2026-01-03]}}
        - {id: A0, college: 文学院, class_name: 二班, events: {night_absence: [2026-01-02, 2026-01-05], mood_swing_report: [2026-01-03]}}
        - {id: C3, college: 文学院, class_name: 一班}
        - {id: D4, class_name: 一班, events: {night_absence: [2026-01-02, 2026-01-05]}, family_structure: single_parent}
        """

    @Test func reasonsAndRoutesAreKeptOnceEachAsTheirOwnBytes() {
        var texts = BatchSummary.Builder.AttentionTexts()
        let composed = texts.reason("caf\u{E9} +2")
        #expect(texts.reason("academic_warning +1") == composed + 1)
        #expect(texts.reason("caf\u{E9} +2") == composed)
        // Equal as Strings, not as bytes: each keeps its own.
        let decomposed = texts.reason("cafe\u{301} +2")
        #expect(decomposed != composed)
        #expect(texts.reasons[Int(decomposed)].utf8.elementsEqual("cafe\u{301} +2".utf8))
        let route = texts.route(["grade_counsellor", "centre"])
        #expect(texts.route(["grade_counsellor", "centre"]) == route)
        #expect(texts.route(["grade_counsellor"]) != route)
        #expect(texts.route([]) != route)
        #expect(texts.routes.count == 3)
    }

    @Test func countsByCollegeAndClassAndAttentionMostUrgentFirst() throws {
        let rules = try TestSupport.loadCampus()
        let records = try TestSupport.records(Self.yaml, schema: rules.schema)
        let engine = try ScoringEngine(rules: rules)
        let assessments = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView)
        let summary = BatchSummary(
            rules: rules, records: records, assessments: assessments, rejected: 2, for: .fullView)
        #expect(summary.levels.map(\.id) == ["none", "attention", "focus", "high", "crisis"])
        #expect(summary.scored == 5)
        #expect(summary.rejected == 2)
        #expect(
            summary.groups.map { "\($0.college)/\($0.className)" }
                == ["文学院/一班", "文学院/二班", "理学院/一班", "—/一班"].sorted {
                    $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
                })
        let twoClass = try #require(summary.groups.first { $0.college == "文学院" && $0.className == "二班" })
        #expect(twoClass.total == 2)
        // B2 crisis; then A0 and A1 tied at attention with score 3, by id; D4 attention with 3 too.
        #expect(summary.attention.map(\.studentID) == ["B2", "A0", "A1", "D4"])
        #expect(summary.attention.first?.level.id == "crisis")
        #expect(!summary.attention.contains { $0.studentID == "C3" })
    }

    /// A college or class written in two Unicode forms (é as one character, or as e and an accent) is one group, in
    /// one builder or across merged ones; a name that differs only by the accent is another.
    @Test func canonicallyEquivalentGroupNamesAreOneGroup() throws {
        let rules = try TestSupport.loadCampus()
        let yaml = """
            - {id: N1, college: "Caf\u{E9}", class_name: "\u{4E00}\u{73ED}"}
            - {id: N2, college: "Cafe\u{301}", class_name: "\u{4E00}\u{73ED}"}
            - {id: N3, college: "Cafe", class_name: "\u{4E00}\u{73ED}"}
            - {id: N4, college: "Caf\u{E9}", class_name: "Cafe\u{301}"}
            - {id: N5, college: "Cafe\u{301}", class_name: "Caf\u{E9}"}
            - {id: N6, class_name: "\u{F900}"}
            - {id: N7, class_name: "\u{8C48}"}
            """
        let records = try TestSupport.records(yaml, schema: rules.schema)
        let engine = try ScoringEngine(rules: rules)
        let assessments = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView)
        func totals(_ summary: BatchSummary) -> [String: Int] {
            Dictionary(summary.groups.map { ("\($0.college)/\($0.className)", $0.total) }, uniquingKeysWith: +)
        }
        let whole = BatchSummary(rules: rules, records: records, assessments: assessments, for: .fullView)
        // A CJK compatibility ideograph is its unified one (a singleton decomposition); neither student has a college.
        #expect(whole.groups.count == 4)
        #expect(
            totals(whole) == [
                "Caf\u{E9}/\u{4E00}\u{73ED}": 2, "Cafe/\u{4E00}\u{73ED}": 1, "Caf\u{E9}/Caf\u{E9}": 2,
                "\(BatchSummary.missing)/\u{8C48}": 2,
            ])
        // One record per builder, merged: the same groups.
        var merged = BatchSummary.Builder(rules: rules, for: .fullView)
        for index in records.indices {
            var part = BatchSummary.Builder(rules: rules, for: .fullView)
            part.add([records[index]], [assessments[index]], firstIndex: 0)
            merged.merge(part, indexOffset: index)
        }
        #expect(totals(merged.summary()) == totals(whole))
    }

    /// The attention table's widths, worked out from the texts its entries share (levels, groups, reasons, routes)
    /// and each entry's id and score, are those of its rows as shown, and the table written from those shared cells
    /// is the one its rows make: wide characters, escaped controls, withheld scores, the dash for a missing college.
    @Test(arguments: ["", "dorm_liaison"])
    func attentionTableWidthsAreThoseOfItsRows(role: String) throws {
        let rules = try TestSupport.loadCampus()
        let yaml =
            Self.yaml + "\n"
                + """
                - {id: LONG-ID-0123456789, college: "文学\\u202E院", class_name: "中文2025级1班", self_harm_risk: true}
                - {id: 学生七, college: 理学院, class_name: 一班, self_harm_risk: true}
                - {id: G1, college: 理学院, class_name: 一班, self_harm_risk: true}
                - {id: G2, college: 理学院, class_name: 二班, self_harm_risk: true}
                - {id: G3, college: 理学院, class_name: 三班, self_harm_risk: true}
                - {id: E5, college: "Ecole\\u0007", class_name: 一班, events: {night_absence: [2026-01-02, 2026-01-05], mood_swing_report: [2026-01-03]}}
                - {id: F6, college: 理学院, class_name: 一班, events: {night_absence: [2026-01-02, 2026-01-05]}, family_structure: single_parent}
                """
        let records = try TestSupport.records(yaml, schema: rules.schema)
        let engine = try ScoringEngine(rules: rules)
        let audience: Audience = try role.isEmpty ? .fullView : .role(#require(rules.role(named: role)))
        let assessments = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: audience)
        let summary = BatchSummary(rules: rules, records: records, assessments: assessments, for: audience)
        let attention = summary.attention
        // Ten or more, so that the position column is wider than its header.
        #expect(attention.count >= 10)
        let header = AssessmentFormatting.attentionHeader
        let routeNone = summary.routeNone ?? "—"
        // The rows as the summary shows them, measured one by one.
        var expected = header.map { AssessmentFormatting.displayWidth(PrintableText.escaped($0)) }
        for position in attention.indices {
            let cells = AssessmentFormatting.attentionCells(attention, at: position, routeNone: routeNone)
            for (column, cell) in cells.enumerated() {
                expected[column] = max(
                    expected[column], AssessmentFormatting.displayWidth(PrintableText.escaped(cell)))
            }
        }
        #expect(attention.tableWidths(header: header, routeNone: routeNone) == expected)
        // And the table written from the shared cells is the one the rows make, byte for byte.
        var generic: [UInt8] = []
        AssessmentFormatting.appendTable(
            header: header, count: attention.count, right: [0, 3], to: &generic, flush: { _ in },
            row: { AssessmentFormatting.attentionCells(attention, at: $0, routeNone: routeNone) })
        var shared: [UInt8] = []
        AssessmentFormatting.appendAttentionTable(attention, routeNone: routeNone, to: &shared, flush: { _ in })
        #expect(String(decoding: shared, as: UTF8.self) == String(decoding: generic, as: UTF8.self))
        #expect(role.isEmpty || attention.contains { $0.score.isNaN })
    }

    @Test func tableRowsAreHandedToTheFlushAStretchOfACoreAtATime() {
        // 40,000 rows of 100 bytes each after its line feed: written a core's part of 16,384 rows at a time, never
        // gathered whole.
        let count = 40_000
        var out: [UInt8] = []
        var flushed: [UInt8] = []
        var largest = 0
        AssessmentFormatting.appendRows(
            count: count, to: &out,
            flush: { text in
                largest = max(largest, text.count)
                flushed += text
                text.removeAll(keepingCapacity: true)
            },
            writeRow: { index, text in
                let number = Array(String(index).utf8)
                text += repeatElement(UInt8(ascii: "."), count: 100 - number.count) + number
            })
        #expect(out.isEmpty)
        // A core's part of a stretch: 16,384 rows shared by the cores that write them.
        let workers = Parallel.workerCount(items: 16_384, minimumPerWorker: 4096)
        #expect(largest > 0 && largest <= (16_384 + workers - 1) / workers * 101)
        let expected = (0..<count).flatMap { index -> [UInt8] in
            let number = Array(String(index).utf8)
            return [0x0A] + repeatElement(UInt8(ascii: "."), count: 100 - number.count) + number
        }
        #expect(flushed == expected)
    }

    @Test func displayWidthCountsWideCharactersTwice() {
        #expect(AssessmentFormatting.displayWidth("abc") == 3)
        #expect(AssessmentFormatting.displayWidth("文学院") == 6)
        #expect(AssessmentFormatting.displayWidth("ＡＢ") == 4)
        #expect(AssessmentFormatting.displayWidth("é") == 1)
        let table = AssessmentFormatting.table(
            header: ["NAME", "N"], rows: [["文学院", "1"], ["ab", "22"]], right: [1])
        #expect(table == "NAME     N\n文学院   1\nab      22")
    }
}

/// The attention list names each reason and route once, by its exact bytes.
@Suite struct AttentionTextsTests {
    @Test func reasonsAndRoutesAreKeptOnceByTheirExactBytes() {
        var texts = BatchSummary.Builder.AttentionTexts()
        let composed = "caf\u{E9} +2"
        let decomposed = "cafe\u{301} +2"
        #expect(texts.reason(composed) == 0)
        #expect(texts.reason("night_absence +1") == 1)
        #expect(texts.reason(composed) == 0)
        // Equal as Strings, different bytes: kept apart, so that each shows as it was written.
        #expect(texts.reason(decomposed) == 2)
        #expect(texts.reason(decomposed) == 2)
        #expect(texts.reasons == [composed, "night_absence +1", decomposed])
        #expect(texts.route(["grade_counsellor", "centre"]) == 0)
        #expect(texts.route(["grade_counsellor"]) == 1)
        #expect(texts.route(["grade_counsellor", "centre"]) == 0)
        #expect(texts.route([composed]) == 2)
        #expect(texts.route([decomposed]) == 3)
        // The same bytes split otherwise are another route.
        #expect(texts.route(["grade_counsellorcentre"]) == 4)
        #expect(texts.routes.count == 5)
    }
}

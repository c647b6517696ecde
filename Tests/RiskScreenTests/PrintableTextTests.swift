import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Texts from records and rule files reach the terminal table, `explain` and CSV with their control and
/// bidirectional characters escaped.
@Suite struct PrintableTextTests {
    @Test(arguments: [
        ("plain 文学院 — →", "plain 文学院 — →"),
        ("S1\nS2", #"S1\u{A}S2"#),
        ("\r\t\u{1B}[2J\u{7F}", #"\u{D}\u{9}\u{1B}[2J\u{7F}"#),
        ("c1 \u{85}\u{9B}", #"c1 \u{85}\u{9B}"#),
        (
            "\u{202A}\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{61C}",
            #"\u{202A}\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{61C}"#
        ),
        ("line\u{2028}para\u{2029}", #"line\u{2028}para\u{2029}"#),
    ])
    func controlAndBidiCharactersAreShownAsEscapes(text: String, expected: String) {
        #expect(PrintableText.escaped(text) == expected)
        #expect(!PrintableText.needsEscape(PrintableText.escaped(text)))
    }

    /// The answers read from a text's bytes are those of its scalars one by one, for every scalar of the first three
    /// planes, alone, between ASCII and Chinese text and before a DEL: whether it needs escapes, and how wide it shows.
    @Test func textsAnsweredFromTheirBytesAgreeWithTheirScalars() {
        var checked = 0
        for value in UInt32(0)...0x2_FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            // The last ends in DEL: a reader that lost its place in the scalar before would miss it.
            for text in [
                String(Character(scalar)), "a\(Character(scalar))文", "文学\(Character(scalar))",
                "\(Character(scalar))\u{7F}",
            ] {
                let needs = text.unicodeScalars.contains { PrintableText.needsEscape($0) }
                #expect(PrintableText.needsEscape(text) == needs, "U+\(String(value, radix: 16))")
                let width = text.unicodeScalars.reduce(0) { $0 + AssessmentFormatting.scalarWidth($1.value) }
                #expect(AssessmentFormatting.displayWidth(text) == width, "U+\(String(value, radix: 16))")
                checked += 1
            }
        }
        #expect(checked == 4 * (0x3_0000 - 0x800))
    }

    /// A rule set whose indicator label holds an escape sequence and a right-to-left override.
    static let rules = """
        schema:
          fields:
            college: text
          events:
            absence: {}
        levels:
          - id: none
          - id: attention
            from: 2
        indicators:
          - id: absent
            label: "Ab\\e[31msent\\u202E"
            dimension: knowable
            when: "count(absence, 30d) >= 2"
            points: 2
            evidence: ["count(absence, 30d)"]

        """

    /// A college with an escape sequence, a newline that would forge a second row, and a bidi override. (Student ids
    /// with control or bidi characters are refused by the readers.)
    static let records = """
        - {id: S1, college: "文学院\\e[2J\\nFORGED none 0\\u202E", events: {absence: [2026-01-02, 2026-01-05]}}
        """

    func assessment() throws -> (Assessment, BatchSummary) {
        let path = try TestSupport.directory(["rules.yaml": Self.rules])
        let rules = try RuleSet.load(from: path)
        let engine = try ScoringEngine(rules: rules)
        let records = try TestSupport.records(Self.records, schema: rules.schema)
        let assessments = engine.assess(records, asOf: TestSupport.date("2026-01-10"), for: .fullView)
        let assessment = try #require(assessments.first)
        #expect(assessment.level.id == "attention")
        return (
            assessment,
            BatchSummary(rules: rules, records: records, assessments: assessments, rejected: 0, for: .fullView)
        )
    }

    @Test func tableShowsEveryRecordAndRuleTextEscaped() throws {
        let (assessment, summary) = try assessment()
        let table = AssessmentFormatting.assessmentTable([assessment])
        #expect(table.split(separator: "\n").count == 2)
        #expect(!PrintableText.needsEscape(table.replacingAll("\n", with: "")))
        // Ids are refused with control characters; any other cell is escaped where the table is laid out.
        let forged = AssessmentFormatting.table(header: ["ID", "NOTE"], rows: [["S\u{1B}[2J1\nFORGED", "x\u{202E}"]])
        #expect(forged.split(separator: "\n").count == 2)
        #expect(forged.contains(#"S\u{1B}[2J1\u{A}FORGED"#) && forged.contains(#"x\u{202E}"#))
        let summaryText = AssessmentFormatting.summaryText(summary)
        #expect(!PrintableText.needsEscape(summaryText.replacingAll("\n", with: "")))
        #expect(summaryText.contains(#"文学院\u{1B}[2J\u{A}FORGED none 0\u{202E}"#))
    }

    @Test func explanationShowsEveryRecordAndRuleTextEscaped() throws {
        let (assessment, _) = try assessment()
        let text = assessment.explanation
        #expect(!PrintableText.needsEscape(text.replacingAll("\n", with: "")))
        #expect(text.hasPrefix("S1: attention"))
        #expect(text.contains(#"Ab\u{1B}[31msent\u{202E}"#))
    }

    @Test func csvShowsEveryRecordAndRuleTextEscaped() throws {
        let (assessment, _) = try assessment()
        let row = AssessmentFormatting.csvRow(assessment)
        #expect(!PrintableText.needsEscape(row))
        #expect(row.hasPrefix("S1,,,2026-01-10,attention"))
        #expect(AssessmentFormatting.csvCell("S\u{1B}[2J1\nFORGED") == #"S\u{1B}[2J1\u{A}FORGED"#)
        // A text a spreadsheet would run as a formula still gets its apostrophe.
        #expect(AssessmentFormatting.csvCell("=1+1\u{1B}") == #"'=1+1\u{1B}"#)
    }
}

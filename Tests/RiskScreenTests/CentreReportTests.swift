import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReport
@testable import RiskScreenSynthetic

/// The centre's report (`riskscreen report`): its parts hold the same numbers and students as `score` and `diff`, it
/// shows a role no more than the other outputs do, and it writes every text escaped.
@Suite struct CentreReportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let asOf = TestSupport.date("2026-11-23")
    static let previous = TestSupport.date("2026-10-23")

    /// The default rules, an engine and 600 generated students.
    static func cohort() throws -> (engine: ScoringEngine, records: [StudentRecord]) {
        let rules = try RuleSet.load(from: root + "/Rules/campus-default")
        return (try ScoringEngine(rules: rules), SyntheticCohort(rules: rules, seed: 11, asOf: asOf).records(0..<600))
    }

    /// The page's part with this `id`, up to the next part or the footer.
    static func part(_ html: String, id: String) throws -> Substring {
        let start = try #require(html.range(of: "<section id=\"\(id)\""))
        let rest = html[start.upperBound...]
        let end =
            rest.range(of: "<section id=\"")?.lowerBound ?? rest.range(of: "<footer>")?.lowerBound ?? html.endIndex
        return html[start.lowerBound..<end]
    }

    /// The page without its style sheet (which styles the class `withheld`).
    static func content(_ html: String) -> String {
        guard let start = html.range(of: "<style>"), let end = html.range(of: "</style>") else { return html }
        return String(html[..<start.lowerBound] + html[end.upperBound...])
    }

    /// Every match of a regular expression's first capture group, in order.
    static func captures(_ pattern: String, in text: Substring) throws -> [[String]] {
        let expression = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let string = String(text)
        return expression.matches(in: string, range: NSRange(string.startIndex..., in: string)).map { match in
            (1..<match.numberOfRanges).map { index in
                Range(match.range(at: index), in: string).map { String(string[$0]) } ?? ""
            }
        }
    }

    @Test func everyPartIsPresentAndTheCountsPerCollegeAndClassAreTheBatchSummarys() throws {
        let (engine, records) = try Self.cohort()
        let report = try CentreReport(
            engine: engine, records: records, rejected: 3, asOf: Self.asOf, previous: Self.previous,
            audience: engine.rules.leastPrivilegedRole, audienceChosen: false)
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for id in ["by-college", "by-class", "movers", "attention", "students"] {
            #expect(html.contains("<section id=\"\(id)\""), "missing part \(id)")
        }
        #expect(html.contains("600 scored, 3 rejected"))
        #expect(html.contains("the least privileged view"))
        #expect(html.contains("<code>campus-default</code>"))
        // The summary `score` prints, computed on its own.
        let summary = BatchSummary(
            rules: engine.rules, records: records, assessments: engine.assess(records, asOf: Self.asOf, for: .fullView),
            for: .role(engine.rules.leastPrivilegedRole))
        var byCollege: [String: [Int]] = [:]
        for group in summary.groups {
            byCollege[group.college] = zip(byCollege[group.college] ?? group.counts.map { _ in 0 }, group.counts).map(+)
        }
        let levels = engine.rules.levels.count
        let cells = String(repeating: #"<td class="num">(\d+)</td>"#, count: levels + 1)
        let collegeRows = try Self.captures(
            #"<tr(?: class="total")?><td>([^<]*)</td>"# + cells + "</tr>", in: try Self.part(html, id: "by-college"))
        #expect(collegeRows.count == byCollege.count + 1)
        for row in collegeRows where row[0] != "all" {
            #expect(byCollege[row[0]] == row[1...levels].map { Int($0) ?? -1 }, "college \(row[0])")
        }
        #expect(collegeRows.last.map { Array($0[1...levels]) } == summary.totals.map(String.init))
        let classRows = try Self.captures(
            #"<tr(?: class="total")?><td>([^<]*)</td><td>([^<]*)</td>"# + cells + "</tr>",
            in: try Self.part(html, id: "by-class"))
        #expect(classRows.count == summary.groups.count + 1)
        for (row, group) in zip(classRows, summary.groups) {
            #expect(row[0] == group.college && row[1] == group.className)
            #expect(row[2...(levels + 1)].map { Int($0) ?? -1 } == group.counts)
        }
        // One bar per college and per class in the charts.
        #expect(
            try Self.part(html, id: "by-college").components(separatedBy: "<g class=\"bar\">").count - 1
                == byCollege.count)
        #expect(
            try Self.part(html, id: "by-class").components(separatedBy: "<g class=\"bar\">").count - 1
                == summary.groups.count)
    }

    @Test func theMoversAreTheAsOfDiffsStudents() throws {
        let (engine, records) = try Self.cohort()
        let role = engine.rules.leastPrivilegedRole
        let html = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: Self.previous, audience: role,
            audienceChosen: false
        ).html()
        let diff = try AsOfDiff(engine: engine, records: records, from: Self.previous, to: Self.asOf, for: .role(role))
        #expect(!diff.students.isEmpty)
        let movers = try Self.part(html, id: "movers")
        #expect(movers.contains("Movers from 2026-10-23 to 2026-11-23"))
        let rows = try Self.captures(#"<tr class="mover"><td>([^<]*)</td>"#, in: movers).map { $0[0] }
        #expect(rows == diff.students.map(\.studentID))
        let counts = Dictionary(
            try Self.captures(#"<tr><th scope="row">([^<]*)</th><td class="num">(\d+)</td></tr>"#, in: movers).map {
                ($0[0], Int($0[1]) ?? -1)
            }, uniquingKeysWith: { first, _ in first })
        #expect(counts["joined the list"] == diff.joined.count)
        #expect(counts["left the list"] == diff.left.count)
        #expect(counts["moved up"] == diff.movedUp.count)
        #expect(counts["moved down"] == diff.movedDown.count)
        // Each mover's lines are those `diff` prints for them.
        let first = try #require(diff.students.first)
        for change in first.changes {
            #expect(movers.contains("<div>\(Self.escaped(change.description))</div>"))
        }
        // Without an earlier date there is no movers part.
        let without = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: nil, audience: role,
            audienceChosen: false
        ).html()
        #expect(!without.contains("id=\"movers\""))
    }

    @Test func everyStudentOnTheAttentionListHasARowAndASectionInTheSameOrder() throws {
        let (engine, records) = try Self.cohort()
        let report = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: nil,
            audience: engine.rules.leastPrivilegedRole, audienceChosen: false)
        let html = report.html()
        let expected = report.summary.attention.map(\.studentID)
        #expect(expected.count > 50)
        #expect(report.summary.attention.allSatisfy { $0.levelRank >= 1 })
        let rows = try Self.captures(
            ##"<tr class="attention-row"><td class="num">\d+</td><td><a href="#student-(\d+)">([^<]*)</a>"##,
            in: try Self.part(html, id: "attention"))
        #expect(rows.map { $0[1] } == expected)
        #expect(rows.map { $0[0] } == expected.indices.map { String($0 + 1) })
        let sections = try Self.captures(
            #"<section class="student" id="student-(\d+)">\n<h3><span class="position">\d+\.</span> ([^<]*) "#,
            in: try Self.part(html, id: "students"))
        #expect(sections.map { $0[1] } == expected)
        // Each row says the level in Chinese and English, the main reason and the route, as `score` does.
        let entry = try #require(report.summary.attention.first)
        let label = engine.rules.levels[entry.levelRank].label
        #expect(html.contains("<span lang=\"zh-CN\">\(label.zh)</span> \(label.en)"))
        #expect(html.contains("<td>\(Self.escaped(entry.reason))</td>"))
    }

    @Test func aRoleThatSeesNoSensitiveFactsIsShownNoneOfThemAndTheCentreIs() throws {
        let (engine, records) = try Self.cohort()
        let rules = engine.rules
        let centre = try #require(rules.role(named: "centre"))
        let full = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: Self.previous, audience: centre,
            audienceChosen: true
        ).html()
        let restricted = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: Self.previous,
            audience: rules.leastPrivilegedRole, audienceChosen: false
        ).html()
        // Sensitive indicators as a section names them: `<code>id</code> 中文 / English`.
        let sensitive = rules.indicators.filter(\.isSensitive).map { indicator in
            "<code>\(indicator.id)</code> \(Self.escaped("\(indicator.label.zh) / \(indicator.label.en)"))"
        }
        let inFull = sensitive.filter { full.contains($0) }
        #expect(inFull.count >= 3, "the centre's report should name sensitive indicators")
        #expect(sensitive.filter { restricted.contains($0) } == [])
        for indicator in rules.indicators where indicator.isSensitive {
            #expect(!restricted.contains(">\(indicator.id)<"), "\(indicator.id) shown to the least privileged role")
            #expect(!restricted.contains(indicator.id + " +"), "\(indicator.id) named as a reason")
        }
        #expect(restricted.contains("withheld: "))
        #expect(!Self.content(full).contains("withheld"))
        #expect(full.contains("<code>centre</code>") && full.contains("sees sensitive facts"))
        // Every level is written as its id: a missing one is `withheld`, never Swift's `Optional(…)`.
        for page in [full, restricted] {
            #expect(!page.contains("Optional("))
            #expect(!page.contains("nil"))
        }
        #expect(full.contains(" gives focus") || full.contains(" gives high") || full.contains(" gives attention"))
    }

    @Test func everyTextIsEscaped() throws {
        let folder = try TestSupport.directory([:])
        // The rule set's name with markup in it, from its own file.
        let rulesFolder = folder + "/rules"
        try FileManager.default.copyItem(atPath: TestSupport.campusRules, toPath: rulesFolder)
        let ruleFile = rulesFolder + "/schema.yaml"
        let text = try String(contentsOfFile: ruleFile, encoding: .utf8)
        try text.replacingOccurrences(of: "name: 测试规则 Test campus rules", with: "name: \"<i>Test</i> & 'co'\"")
            .write(toFile: ruleFile, atomically: true, encoding: .utf8)
        let rules = try RuleSet.load(from: rulesFolder)
        #expect(rules.name == "<i>Test</i> & 'co'")
        let records = try TestSupport.records(
            """
            students:
              - id: "<script>alert(1)</script>"
                college: "\\"><img src=x onerror=alert(2)>"
                class_name: "a&b <b>c</b>"
                enrolled_on: 2025-09-01
                self_harm_risk: true
                failed_courses: 3
            """, schema: rules.schema)
        let engine = try ScoringEngine(rules: rules)
        let counsellor = try #require(rules.role(named: "counsellor"))
        let html = try CentreReport(
            engine: engine, records: records, rejected: 0, asOf: TestSupport.date("2026-01-10"),
            previous: TestSupport.date("2025-12-10"), audience: counsellor, audienceChosen: true
        ).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("a&amp;b &lt;b&gt;c&lt;/b&gt;"))
        #expect(html.contains("&lt;i&gt;Test&lt;/i&gt; &amp; &#39;co&#39;"))
        // The student is on the list, with a section.
        #expect(html.contains("<section class=\"student\" id=\"student-1\">"))
    }

    @Test func controlAndBidirectionalCharactersAreShownAsEscapes() throws {
        let rules = try TestSupport.loadCampus()
        let records = try TestSupport.records(
            """
            students:
              - id: S1
                college: "文学院\\u202Egnp.exe"
                enrolled_on: 2025-09-01
                self_harm_risk: true
            """, schema: rules.schema)
        let html = try CentreReport(
            engine: try ScoringEngine(rules: rules), records: records, rejected: 0,
            asOf: TestSupport.date("2026-01-10"), previous: nil, audience: rules.leastPrivilegedRole,
            audienceChosen: false
        ).html()
        #expect(!html.unicodeScalars.contains("\u{202E}"))
        #expect(html.contains(PrintableText.escaped("文学院\u{202E}gnp.exe")))
        #expect(PrintableText.escaped("文学院\u{202E}gnp.exe") != "文学院\u{202E}gnp.exe")
    }

    @Test func theTemplateWritesNothingUnescapedAndReadsNestedNamesFromTheCurrentItem() throws {
        let parts = [
            ("head", ReportTemplate.head), ("attentionRows", ReportTemplate.attentionRows),
            ("middle", ReportTemplate.middle), ("studentSections", ReportTemplate.studentSections),
            ("foot", ReportTemplate.foot),
        ]
        // The partials are rendered inside a section.
        let partials = [("counts", ReportTemplate.counts), ("badge", ReportTemplate.badge)]
        for (name, template) in parts + partials {
            #expect(!template.contains("{{{") && !template.contains("{{&"), "\(name) writes a value unescaped")
            // Tags inside a section (and the partials, which are rendered inside one) read `.name` or `.` only.
            let inside = partials.contains { $0.0 == name } ? 1 : 0
            var depth = inside
            var unscoped: [String] = []
            for tag in try Self.captures(#"\{\{([#^/>]?)\s*([^}]*?)\s*\}\}"#, in: Substring(template)) {
                let (kind, tagName) = (tag[0], tag[1])
                if kind == "/" {
                    depth -= 1
                    continue
                }
                if kind != ">" && depth > 0 && !tagName.hasPrefix(".") { unscoped.append(tagName) }
                if kind == "#" || kind == "^" { depth += 1 }
            }
            #expect(unscoped == [], "\(name) reads names from enclosing items")
            #expect(depth == inside)
            #expect(!template.contains("<script") && !template.contains("src="))
        }
        #expect(!ReportTemplate.style.contains("url("))
        #expect(!ReportTemplate.style.contains("@import"))
    }

    @Test func everyNameTheTemplateReadsIsOneThePageModelGivesAndNoOtherIs() throws {
        let source = try String(
            contentsOfFile: Self.root + "/Sources/RiskScreenReport/ReportPage+Mustache.swift", encoding: .utf8)
        let given = Set(try Self.captures(#"case "(\w+)":"#, in: Substring(source)).map { $0[0] })
        var read = Set<String>()
        for template in [
            ReportTemplate.head, ReportTemplate.attentionRows, ReportTemplate.middle, ReportTemplate.studentSections,
            ReportTemplate.foot, ReportTemplate.counts, ReportTemplate.badge,
        ] {
            for tag in try Self.captures(#"\{\{([#^/>]?)\s*([^}]*?)\s*\}\}"#, in: Substring(template))
            where tag[0] != ">" && tag[0] != "/" && tag[1] != "." {
                read.insert(tag[1].hasPrefix(".") ? String(tag[1].dropFirst()) : tag[1])
            }
        }
        #expect(read.subtracting(given) == [], "read by the template, given by no type")
        #expect(given.subtracting(read) == [], "given, never read")
    }

    @Test func anEarlierDateThatIsNotEarlierIsRefused() throws {
        let (engine, records) = try Self.cohort()
        #expect(throws: AsOfDiff.DateOrderError.self) {
            try CentreReport(
                engine: engine, records: records, rejected: 0, asOf: Self.asOf, previous: Self.asOf,
                audience: engine.rules.leastPrivilegedRole, audienceChosen: false)
        }
    }

    /// HTML-escaped as the template writes values.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

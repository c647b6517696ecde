internal import Mustache
package import RiskScreen

/// The counselling centre's report: one self-contained HTML page with the counts per level by college and by class
/// (SVG charts and tables), the movers since an earlier date, the attention list, and a section per student at the
/// second level (`attention`) or above with the explanation — all as one role may see them.
///
/// Everything shown comes from what the other outputs already show the same role: the assessments as
/// ``Assessment/visible(to:)`` gives them, the ``BatchSummary`` of `score` and the ``AsOfDiff`` of `diff --from
/// --to`. Every text (ids, colleges, notes, names from the rule files) is HTML-escaped by the template, after its
/// control and bidirectional characters are made visible (``PrintableText``), and the page loads nothing: no
/// script, font, image or style from anywhere (its content security policy forbids them).
package struct CentreReport: Sendable {
    /// The rule set the students were scored with.
    package let rules: RuleSet
    /// The role the report is shown to.
    package let audience: Role
    /// True when the caller chose the role; false for the least privileged view, the default.
    package let audienceChosen: Bool
    /// The date scored.
    package let asOf: CivilDate
    /// Counts and the attention list on `asOf`, as the audience sees them.
    package let summary: BatchSummary
    /// The change since the earlier date, as `diff --rules --from --to` shows it to the audience; nil without one.
    package let diff: AsOfDiff?
    /// The assessments on `asOf`, as the audience sees them, in input order.
    package let assessments: [Assessment]

    /// Scores `records` on `asOf` (and on `previous`, when given) and gathers what the report shows.
    ///
    /// - Parameters:
    ///   - engine: the rule set's engine.
    ///   - records: the records read.
    ///   - rejected: how many records were rejected before scoring.
    ///   - asOf: the date of the report.
    ///   - previous: an earlier date to show the movers since; nil for none.
    ///   - audience: the role the report is for.
    ///   - audienceChosen: whether the caller named the role (the header then does not call it the default).
    /// - Throws: ``AsOfDiff/DateOrderError`` when `previous` is not before `asOf`.
    package init(
        engine: ScoringEngine, records: [StudentRecord], rejected: Int, asOf: CivilDate, previous: CivilDate?,
        audience: Role, audienceChosen: Bool
    ) throws(AsOfDiff.DateOrderError) {
        if let previous, previous >= asOf { throw AsOfDiff.DateOrderError(from: previous, to: asOf) }
        rules = engine.rules
        self.audience = audience
        self.audienceChosen = audienceChosen
        self.asOf = asOf
        let full = engine.assessInFull(records, asOf: asOf)
        summary = BatchSummary(
            rules: engine.rules, records: records, assessments: full, rejected: rejected, for: .role(audience))
        if let previous {
            // The same data as `diff --rules --from --to`: its engine initialiser scores both dates the same way.
            let groups = BatchSummary.collegeAndClass(of: records, schema: engine.rules.schema).map {
                CollegeClass(college: $0.college, className: $0.className)
            }
            diff = try AsOfDiff(
                before: engine.assessInFull(records, asOf: previous), after: full, groups: groups,
                levels: engine.rules.levels, for: .role(audience))
        } else {
            diff = nil
        }
        assessments = Parallel.map(full) { $0.visible(to: audience) }
    }

    /// The page, as one HTML document.
    ///
    /// The attention list's rows and the students' sections are rendered in runs, on all cores (``ReportTemplate``).
    package func html() -> String {
        // The templates are constants of this target, checked by the tests: they always parse.
        guard let head = try? MustacheTemplate(string: ReportTemplate.head),
            let rows = try? MustacheTemplate(string: ReportTemplate.attentionRows),
            let middle = try? MustacheTemplate(string: ReportTemplate.middle),
            let sections = try? MustacheTemplate(string: ReportTemplate.studentSections),
            let foot = try? MustacheTemplate(string: ReportTemplate.foot),
            let counts = try? MustacheTemplate(string: ReportTemplate.counts),
            let badge = try? MustacheTemplate(string: ReportTemplate.badge)
        else { return "" }
        let library = MustacheLibrary(templates: ["counts": counts, "badge": badge])
        let page = page()
        var parts: [@Sendable () -> String] = [{ head.render(page, library: library) }]
        for run in ReportChunk.runs(of: page.attention, size: 128) {
            parts.append { rows.render(run, library: library) }
        }
        parts.append { middle.render(page, library: library) }
        for run in ReportChunk.runs(of: page.students, size: 32) {
            parts.append { sections.render(run, library: library) }
        }
        parts.append { foot.render(page, library: library) }
        // Dealt out like cards (worker w renders parts w, w + n, …), so each worker's contiguous share of `order` holds
        // heavy and light parts alike; then put back in page order.
        let workers = Parallel.workerCount(items: parts.count, minimumPerWorker: 1)
        let order = (0..<workers).flatMap { stride(from: $0, to: parts.count, by: workers) }
        let jobs = parts
        let rendered = Parallel.map(order, minimumPerWorker: 1) { jobs[$0]() }
        var text = [String](repeating: "", count: parts.count)
        for (position, part) in order.enumerated() { text[part] = rendered[position] }
        return text.joined()
    }

    /// What the template shows.
    func page() -> ReportPage {
        let levels = rules.levels.enumerated().map { rank, level in
            ReportPage.LevelHeading(
                id: shown(level.id), zh: shown(level.label.zh), en: shown(level.label.en),
                colour: ReportChart.colour(rank: rank, of: rules.levels.count))
        }
        let sensitiveRoles = rules.roles.filter(\.seesSensitive).map { shown($0.id) }
        return ReportPage(
            title: shown("Screening report: \(rules.name.isEmpty ? rules.id : rules.name), \(asOf)"),
            ruleSetID: shown(rules.id), ruleSetName: shown(rules.name), asOf: asOf.description,
            previous: diff.map(\.from.description),
            audienceID: shown(audience.id), audienceZh: shown(audience.label.zh), audienceEn: shown(audience.label.en),
            leastPrivileged: !audienceChosen, seesSensitive: audience.seesSensitive,
            sensitiveRoles: sensitiveRoles.isEmpty ? nil : sensitiveRoles.joined(separator: ", "),
            scored: String(summary.scored), rejected: String(summary.rejected),
            attentionCount: String(summary.attention.count), notice: shown(rules.texts.notice), levels: levels,
            byCollege: ReportCounts.byCollege(summary, levels: levels),
            byClass: ReportCounts.byClass(summary, levels: levels),
            movers: diff.map { ReportMovers($0, rules: rules) },
            attention: summary.attention.enumerated().map { position, entry in
                ReportStudent.row(position: position, entry: entry, assessment: assessments[entry.index], rules: rules)
            },
            students: Parallel.map(Array(summary.attention.enumerated())) { position, entry in
                ReportStudent.section(
                    position: position, entry: entry, assessment: assessments[entry.index], rules: rules)
            })
    }
}

/// A text from a record or a rule file as the page shows it: control and bidirectional characters made visible, so
/// that none can reorder or hide what is around it (the template HTML-escapes the result).
func shown(_ text: String) -> String { PrintableText.escaped(text) }

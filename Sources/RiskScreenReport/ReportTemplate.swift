/// The report's Mustache templates and its style sheet: one HTML page that loads nothing.
///
/// The page is written in parts, in this order: ``head`` (up to the attention list's rows), ``attentionRows`` for each
/// run of rows, ``middle``, ``studentSections`` for each run of students, and ``foot``; the runs are rendered on all
/// cores. Every value is written with `{{…}}`, which HTML-escapes `& < > " '`; no template has `{{{…}}}` or `{{&…}}`
/// (a test checks), so no text from a record or a rule file is ever written unescaped. Inside a section, names are
/// read as `{{.name}}`, from the current item only (a test checks that no other name is read there). The content
/// security policy lets the page load and run nothing but its own inline style.
enum ReportTemplate {
    /// The page up to the attention list's rows (the context is a ``ReportPage``).
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}}</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <header id="summary">
        <h1>{{title}}</h1>
        <dl class="facts">
        <dt>Rule set</dt><dd><code>{{ruleSetID}}</code> {{ruleSetName}}</dd>
        <dt>As of</dt><dd>{{asOf}}</dd>
        {{#previous}}
        <dt>Compared with</dt><dd>{{.}}</dd>
        {{/previous}}
        <dt>Audience</dt><dd><code>{{audienceID}}</code> <span lang="zh-CN">{{audienceZh}}</span> / {{audienceEn}}{{#leastPrivileged}}: the least privileged view, without sensitive facts (the default){{/leastPrivileged}}{{^leastPrivileged}}{{#.seesSensitive}}: sees sensitive facts{{/.seesSensitive}}{{^.seesSensitive}}: does not see sensitive facts{{/.seesSensitive}}{{/leastPrivileged}}.{{^seesSensitive}} Indicators and rules that read sensitive facts show as “withheld”, and with them the score.{{#.sensitiveRoles}} Run with <code>--audience ROLE</code> for another role’s view ({{.}} see sensitive facts).{{/.sensitiveRoles}}{{/seesSensitive}}</dd>
        <dt>Students</dt><dd>{{scored}} scored, {{rejected}} rejected, {{attentionCount}} at attention or above</dd>
        </dl>
        <p class="notice">{{notice}}</p>
        <nav><a href="#by-college">By college</a> · <a href="#by-class">By class</a>{{#previous}} · <a href="#movers">Movers</a>{{/previous}} · <a href="#attention">Attention list</a> · <a href="#students">Students</a></nav>
        <p class="legend">{{#levels}}<span class="key"><span class="swatch" style="background:{{.colour}}"></span><span lang="zh-CN">{{.zh}}</span> {{.en}} <code>{{.id}}</code></span> {{/levels}}</p>
        </header>
        {{#byCollege}}
        <section id="by-college" class="counts">
        <h2>Students per level by college</h2>
        {{> counts}}
        </section>
        {{/byCollege}}
        {{#byClass}}
        <section id="by-class" class="counts">
        <h2>Students per level by college and class</h2>
        {{> counts}}
        </section>
        {{/byClass}}
        {{#movers}}
        <section id="movers">
        <h2>Movers from {{.fromDate}} to {{.toDate}}</h2>
        <p>{{.changedCount}} of {{.comparedCount}} students changed, as <code>riskscreen diff --from {{.fromDate}} --to {{.toDate}}</code> lists them for this audience.</p>
        <table class="mover-counts"><tbody>
        {{#.counts}}
        <tr><th scope="row">{{.countTitle}}</th><td class="num">{{.countValue}}</td></tr>
        {{/.counts}}
        </tbody></table>
        <table class="movers">
        <thead><tr><th>ID</th><th>College / class</th><th>Level</th><th>Status</th><th>What</th><th>What made the difference</th></tr></thead>
        <tbody>
        {{#.movers}}
        <tr class="mover"><td>{{.moverID}}</td><td>{{.moverGroup}}</td><td>{{#.fromLevel}}{{> badge}}{{/.fromLevel}} → {{#.toLevel}}{{> badge}}{{/.toLevel}}</td><td>{{.statusChange}}</td><td>{{.movement}}</td><td>{{#.changeLines}}<div>{{.}}</div>{{/.changeLines}}</td></tr>
        {{/.movers}}
        {{^.movers}}
        <tr><td colspan="6">nobody</td></tr>
        {{/.movers}}
        </tbody></table>
        {{#.unpairedText}}
        <p>Assessed on only one of the dates: {{.}}</p>
        {{/.unpairedText}}
        </section>
        {{/movers}}
        <section id="attention">
        <h2>Attention list ({{attentionCount}}, most urgent first)</h2>
        <table class="attention">
        <thead><tr><th class="num">#</th><th>ID</th><th>College</th><th>Class</th><th>Level</th><th class="num">Score</th><th>Status</th><th>Main reason</th><th>Route</th><th>Actions due</th></tr></thead>
        <tbody>

        """

    /// A run of the attention list's rows (the context is a ``ReportChunk`` of ``ReportStudent/Row``).
    static let attentionRows = """
        {{#.items}}
        <tr class="attention-row"><td class="num">{{.position}}</td><td><a href="#{{.anchor}}">{{.studentID}}</a></td><td>{{.college}}</td><td>{{.className}}</td><td>{{#.level}}{{> badge}}{{/.level}}</td><td class="num">{{.scoreText}}</td><td>{{.status}}</td><td>{{.reason}}</td><td>{{.route}}</td><td>{{#.duties}}<div>{{.}}</div>{{/.duties}}{{#.overdueText}}<strong class="overdue">{{.}}</strong>{{/.overdueText}}</td></tr>
        {{/.items}}

        """

    /// From the end of the attention list to the first student's section (the context is a ``ReportPage``).
    static let middle = """
        {{^attention}}
        <tr><td colspan="10">nobody</td></tr>
        {{/attention}}
        </tbody></table>
        </section>
        <section id="students">
        <h2>Students at attention or above</h2>

        """

    /// A run of students' sections (the context is a ``ReportChunk`` of ``ReportStudent/Section``).
    static let studentSections = """
        {{#.items}}
        <section class="student" id="{{.sectionAnchor}}">
        <h3><span class="position">{{.sectionPosition}}.</span> {{.sectionStudent}} {{#.sectionLevel}}{{> badge}}{{/.sectionLevel}} <span class="group">{{.sectionGroup}}</span> <span class="score">score {{.sectionScore}}</span></h3>
        <ul class="explanation">
        {{#.fired}}
        <li class="fired"><span class="points">{{.pointsText}}</span> <code>{{.indicatorID}}</code> {{.indicatorLabel}} {{.multiplierText}}{{#.sourceText}} <span class="source">— {{.}}</span>{{/.sourceText}}{{#.evidence}}<div class="evidence">{{.}}</div>{{/.evidence}}</li>
        {{/.fired}}
        {{#.withheldLabel}}
        <li class="withheld">withheld: {{.}}</li>
        <li class="withheld">score and the level it gives: withheld</li>
        {{/.withheldLabel}}
        {{#.noIndicator}}
        <li>no indicator fired</li>
        {{/.noIndicator}}
        {{#.scoreLines}}
        <li>{{.}}</li>
        {{/.scoreLines}}
        {{#.ruleLines}}
        <li>{{.}}</li>
        {{/.ruleLines}}
        <li>{{.caseText}}</li>
        {{#.owed}}
        <li>owed {{.}}</li>
        {{/.owed}}
        <li>route: {{.routeText}}; parents: {{.parentsText}}</li>
        {{#.responseText}}
        <li class="response">response: {{.}}</li>
        {{/.responseText}}
        </ul>
        </section>
        {{/.items}}

        """

    /// The end of the page (the context is a ``ReportPage``).
    static let foot = """
        {{^students}}
        <p>Nobody is at attention or above.</p>
        {{/students}}
        </section>
        <footer><p class="notice">{{notice}}</p></footer>
        </body>
        </html>

        """

    /// A count table and its chart (the context is a ``ReportCounts``).
    static let counts = """
        {{#.chart}}
        <figure>
        <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{{.chartLabel}}" viewBox="0 0 {{.chartWidth}} {{.chartHeight}}" width="{{.chartWidth}}" height="{{.chartHeight}}">
        <title>{{.chartLabel}}</title>
        {{#.bars}}
        <g class="bar"><text x="{{.labelX}}" y="{{.textY}}" text-anchor="end">{{.barLabel}}</text>{{#.segments}}<rect x="{{.segmentX}}" y="{{.segmentY}}" width="{{.segmentWidth}}" height="{{.segmentHeight}}" fill="{{.segmentColour}}"><title>{{.segmentTitle}}</title></rect>{{/.segments}}<text x="{{.totalX}}" y="{{.textY}}">{{.barTotal}}</text></g>
        {{/.bars}}
        </svg>
        </figure>
        {{/.chart}}
        <table class="count-table">
        <thead><tr>{{#.nameHeadings}}<th>{{.}}</th>{{/.nameHeadings}}{{#.levelHeadings}}<th class="num"><span lang="zh-CN">{{.zh}}</span><br>{{.en}}</th>{{/.levelHeadings}}<th class="num">Total</th></tr></thead>
        <tbody>
        {{#.rows}}
        <tr{{#.isTotal}} class="total"{{/.isTotal}}>{{#.nameCells}}<td>{{.}}</td>{{/.nameCells}}{{#.countCells}}<td class="num">{{.}}</td>{{/.countCells}}<td class="num">{{.rowTotal}}</td></tr>
        {{/.rows}}
        </tbody></table>
        """

    /// A level as a badge (the context is a ``ReportStudent/Level``).
    static let badge = """
        <span class="badge{{#.levelDark}} dark{{/.levelDark}}" data-level="{{.levelID}}" style="background:{{.levelColour}}"><span lang="zh-CN">{{.levelZh}}</span> {{.levelEn}}</span>
        """

    /// The style sheet: plain on screen, the same on paper, nothing hidden behind interaction.
    static let style = """
        :root { --ink: #1d2733; --muted: #5b6773; --rule: #d3d9df; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
          "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; margin: 0 auto; max-width: 1120px;
          padding: 24px; line-height: 1.45; font-size: 14px; }
        h1 { font-size: 22px; margin: 0 0 10px; }
        h2 { font-size: 18px; border-bottom: 2px solid var(--ink); padding-bottom: 3px; margin: 32px 0 10px; }
        h3 { font-size: 15px; margin: 0 0 6px; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 12px; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .notice { border-left: 4px solid #e0473e; background: #fff5f4; padding: 6px 10px; margin: 10px 0; }
        nav { margin: 8px 0; }
        nav a { color: #1f5fa8; }
        .legend .key { display: inline-block; margin: 0 14px 4px 0; white-space: nowrap; }
        .swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid rgba(0, 0, 0, 0.35);
          vertical-align: -1px; margin-right: 4px; }
        figure { margin: 0 0 10px; overflow-x: auto; }
        svg { max-width: 100%; height: auto; display: block; }
        svg text { font-size: 12px; fill: var(--ink); }
        svg rect { stroke: #fff; stroke-width: 0.5; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 12px; }
        th, td { border: 1px solid var(--rule); padding: 3px 6px; text-align: left; vertical-align: top; }
        thead th { background: #eef1f4; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.total td { font-weight: 600; background: #f4f6f8; }
        table.mover-counts { width: auto; }
        .badge { display: inline-block; padding: 0 6px; border-radius: 3px; white-space: nowrap;
          border: 1px solid rgba(0, 0, 0, 0.3); color: var(--ink); }
        .badge.dark { color: #fff; }
        .overdue { color: #a3201b; }
        section.student { border: 1px solid var(--rule); border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
        section.student .group, section.student .score { font-weight: normal; color: var(--muted); margin-left: 8px; }
        ul.explanation { margin: 0; padding-left: 18px; }
        ul.explanation li { margin: 1px 0; }
        .points { display: inline-block; min-width: 2.5em; font-weight: 600; font-variant-numeric: tabular-nums; }
        .evidence { color: var(--muted); margin-left: 2.9em; }
        .source, .response { color: var(--muted); }
        .withheld { font-style: italic; color: var(--muted); }
        footer { margin-top: 28px; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 9.5pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h2 { break-after: avoid; }
          tr, figure, section.student { break-inside: avoid; }
          thead { display: table-header-group; }
          a { color: inherit; text-decoration: none; }
          figure { overflow: visible; }
        }
        """
}

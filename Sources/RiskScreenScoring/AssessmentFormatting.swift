internal import RiskScreenRules
internal import RiskScreenSupport

/// Renders assessments and batch summaries for people (aligned tables) and programs (JSON Lines, CSV).
///
/// Output depends on nothing but its input: no locale, no clock, numbers rounded to two decimals.
package enum AssessmentFormatting {
    // MARK: Numbers

    /// A number rounded to two decimals, without a trailing `.0`.
    package static func number(_ value: Double) -> String {
        if value.isNaN { return "null" }
        let rounded = (value * 100).rounded() / 100
        return NumberText.format(rounded == 0 ? 0 : rounded)
    }

    /// Points with their sign: `+3`, `-2`, `+0`.
    package static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + number(value) }

    // MARK: JSON Lines

    /// One assessment as one line of JSON (without the newline).
    ///
    /// Keys: id, as_of, score, level (the screening level), confirmed_level (null when none), status, score_level,
    /// route, response, parents (given the status), actions [{id, role, reported_to, due, overdue_days}], fired [{id, label, dimension, points,
    /// evidence [{label, value}]}], escalations and caps [{id, level, changed_level, reason}], calendar [{window,
    /// factor, indicators}], notice.
    package static func jsonLine(_ assessment: Assessment) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2048)
        AssessmentJSON.append(assessment, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal.
    package static func json(_ text: String) -> String {
        var out: [UInt8] = []
        AssessmentJSON.appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: CSV

    /// A duty owed, as a cell, the table and `diff` show it: `id (role, due DATE, N days overdue, reported to ROLE)`.
    package static func owed(_ action: OwedAction) -> String {
        var parts = [action.role, "due \(action.due)"]
        if action.overdueDays > 0 { parts.append("\(action.overdueDays) days overdue") }
        if action.reportedTo != action.role { parts.append("reported to \(action.reportedTo)") }
        return "\(action.id) (\(parts.joined(separator: ", ")))"
    }

    /// Each of several scores as the table shows it: `self 4 focus; others 2 attention` (`withheld` for each in a
    /// view that withholds the score); empty for a rule set of one score.
    package static func scoresText(_ assessment: Assessment) -> String {
        assessment.scores.map {
            "\($0.id) \($0.score.isNaN ? "withheld" : number($0.score)) \($0.levelID)"
        }.joined(
            separator: "; ")
    }

    /// A CSV cell, quoted when it must be; a text that a spreadsheet would run as a formula gets a leading `'`, and
    /// control and bidirectional characters are written as visible escapes (``PrintableText``).
    package static func csvCell(_ text: String) -> String {
        var text = PrintableText.escaped(text)
        if let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(text) == nil {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ")
            || text.hasSuffix(" ")
        {
            return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
        }
        return text
    }

    // MARK: Tables

    /// Display width in a terminal: East-Asian wide and fullwidth characters count 2, combining marks 0.
    package static func displayWidth(_ text: String) -> Int {
        // From the bytes when the text is ASCII and three-byte scalars (Chinese text), decoded in place.
        let fromBytes = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var width = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    width += scalarWidth(UInt32(byte))
                    index += 1
                } else if byte & 0xF0 == 0xE0 && index + 2 < bytes.count {
                    let value =
                        UInt32(byte & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                        | UInt32(bytes[index + 2] & 0x3F)
                    width += scalarWidth(value)
                    index += 3
                } else {
                    return nil
                }
            }
            return width
        }
        if let width = fromBytes ?? nil { return width }
        var width = 0
        for scalar in text.unicodeScalars { width += scalarWidth(scalar.value) }
        return width
    }

    static func scalarWidth(_ value: UInt32) -> Int {
        if value >= 0x20 && value < 0x7F { return 1 }
        // The common wide block first: CJK unified ideographs.
        if value >= 0x4E00 && value <= 0x9FFF { return 2 }
        if value == 0 { return 0 }
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if (0x0300...0x036F).contains(value) || (0x200B...0x200F).contains(value) || (0xFE00...0xFE0F).contains(value)
            || value == 0x20E3 || (0x1AB0...0x1AFF).contains(value) || (0x20D0...0x20FF).contains(value)
        {
            return 0
        }
        for range in wideRanges where range.contains(value) { return 2 }
        return 1
    }

    /// East-Asian wide and fullwidth ranges.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// An aligned table: a header, then rows; columns in `right` are right-aligned. The last column is not padded.
    /// Control and bidirectional characters in a cell are written as visible escapes (``PrintableText``): a cell
    /// cannot break its row or drive the terminal.
    package static func table(header: [String], rows: [[String]], right: Set<Int> = []) -> String {
        var out: [UInt8] = []
        appendTable(header: header, count: rows.count, right: right, to: &out, flush: { _ in }, row: { rows[$0] })
        return String(decoding: out, as: UTF8.self)
    }

    /// ``table(header:rows:right:)`` for `count` rows made by `row`, appended to `out` as UTF-8. No row is kept: a
    /// first pass over them finds each column's width, a second writes them, both on all cores for a long table (the
    /// attention list of a whole province), so memory holds the text and nothing else.
    package static func appendTable(
        header: [String], count: Int, right: Set<Int> = [], to out: inout [UInt8],
        flush: (inout [UInt8]) throws -> Void, row: @Sendable (Int) -> [String]
    ) rethrows {
        let header = header.map(PrintableText.escaped)
        let workers = Parallel.workerCount(items: count, minimumPerWorker: 4096)
        var widths = header.map(displayWidth)
        var columns = header.count
        for part in Parallel.mapParts(
            items: count, parts: workers,
            { _, range in
                var widths: [Int] = []
                for index in range {
                    for (column, cell) in row(index).enumerated() {
                        if column == widths.count { widths.append(0) }
                        widths[column] = max(widths[column], displayWidth(PrintableText.escaped(cell)))
                    }
                }
                return widths
            })
        {
            columns = max(columns, part.count)
            for (column, width) in part.enumerated() where column < widths.count {
                widths[column] = max(widths[column], width)
            }
        }
        let columnWidths = widths
        let rightAligned = (0..<columns).map { right.contains($0) }
        @Sendable func line(_ cells: [String], to out: inout [UInt8]) {
            appendLine(cells, widths: columnWidths, rightAligned: rightAligned, to: &out)
        }
        line(header, to: &out)
        try appendRows(count: count, to: &out, flush: flush) { index, text in line(row(index), to: &text) }
    }

    /// `count` rows, each after a line feed, written by `writeRow` 16,384 at a time, each stretch on all cores;
    /// `flush` may take the text written so far after each core's part of a stretch. A stretch of a cohort's
    /// attention list is about 2 MB of text: with stretches of 65,536 rows, each gathered into one buffer as well,
    /// the end of a run of a million campus students took about 20 MiB more than the rest of the run.
    static func appendRows(
        count: Int, to out: inout [UInt8], flush: (inout [UInt8]) throws -> Void,
        writeRow: @Sendable (_ index: Int, _ text: inout [UInt8]) -> Void
    ) rethrows {
        for start in stride(from: 0, to: count, by: 16_384) {
            let stretch = start..<min(count, start + 16_384)
            let parts = Parallel.workerCount(items: stretch.count, minimumPerWorker: 4096)
            for var part in Parallel.mapParts(
                items: stretch.count, parts: parts,
                { _, range in
                    var text: [UInt8] = []
                    for index in range {
                        text.append(0x0A)
                        writeRow(stretch.lowerBound + index, &text)
                    }
                    return text
                })
            {
                // A part is handed over as it is when nothing waits before it: no copy, and no buffer that grows.
                if out.isEmpty { swap(&out, &part) } else { out += part }
                try flush(&out)
            }
        }
    }

    /// One line of a table (``appendTable(header:count:right:to:flush:row:)``): each cell escaped, two spaces
    /// between cells, padded to its column's width (on the left in a right-aligned column; never the last cell of a
    /// left-aligned one), with no trailing spaces.
    static func appendLine(_ cells: [String], widths: [Int], rightAligned: [Bool], to out: inout [UInt8]) {
        let start = out.count
        for (index, cell) in cells.enumerated() {
            let shown = PrintableText.escaped(cell)
            let pad = max(0, (index < widths.count ? widths[index] : 0) - displayWidth(shown))
            if index > 0 { out.append(contentsOf: [0x20, 0x20]) }
            if rightAligned[index] {
                out.append(contentsOf: repeatElement(0x20, count: pad))
                out.append(contentsOf: shown.utf8)
            } else if index == cells.count - 1 {
                out.append(contentsOf: shown.utf8)
            } else {
                out.append(contentsOf: shown.utf8)
                out.append(contentsOf: repeatElement(0x20, count: pad))
            }
        }
        // No trailing spaces (a space is one byte in UTF-8 and never part of another character's bytes).
        while out.count > start && out[out.count - 1] == 0x20 { out.removeLast() }
    }

    /// Assessments as an aligned table: id, level, confirmed level, status, score, score level, route, and the
    /// indicators that fired, then the
    /// caps and escalations that changed the level. A view that withholds something (``Assessment/withheld``) shows
    /// `withheld` for the score, the level by score and among the indicators, and every cap and escalation it shows.
    /// With several scores, a SCORES column after BY SCORE shows each score and its level (``scoresText(_:)``).
    package static func assessmentTable(_ assessments: [Assessment]) -> String {
        let severalScores = !(assessments.first?.sheet.scores.isEmpty ?? true)
        return table(
            header: ["ID", "LEVEL", "CONFIRMED", "STATUS", "SCORE", "BY SCORE"] + (severalScores ? ["SCORES"] : [])
                + ["ROUTE", "INDICATORS"],
            rows: assessments.map { assessment in
                let withheld = assessment.withheld
                let indicators =
                    assessment.fired.map { "\($0.id) \(signed($0.points))" } + (withheld ? ["withheld"] : [])
                let scores: [String] = severalScores ? [scoresText(assessment)] : []
                let head: [String] = [
                    assessment.studentID, assessment.levelID, assessment.confirmedLevel?.id ?? "—",
                    assessment.status.rawValue,
                    withheld ? "withheld" : number(assessment.score),
                    assessment.scoreLevelID,
                ]
                return head + scores + [
                    routeText(assessment.route, none: assessment.sheet.texts.routeNone ?? "—"),
                    (indicators.isEmpty ? "—" : indicators.joined(separator: ", "))
                        + assessment.escalations.filter { $0.changedLevel != false }.map { "; escalation \($0.id)" }
                        .joined()
                        + assessment.caps.filter { $0.changedLevel != false }.map { "; cap \($0.id)" }.joined()
                        + assessment.actions.map { "; owed " + owed($0) }.joined(),
                ]
            },
            right: [4])
    }

    /// One of several scores' counts as a table like the overall one, with a `withheld` column for the students whose
    /// score the view withholds.
    static func scoreCountsText(_ score: BatchSummary.ScoreCounts, of summary: BatchSummary) -> String {
        let rows = zip(summary.groups, score.groups).map { group, counts in
            [group.college, group.className] + counts.map(String.init) + [String(counts.reduce(0, +))]
        }
        let totalRow = ["all", ""] + score.totals.map(String.init) + [String(score.totals.reduce(0, +))]
        return PrintableText.escaped(
            "Score \(score.id) \(score.label) by college and class: the level its own points give") + "\n"
            + table(
                header: ["COLLEGE", "CLASS"] + summary.levelIDs + ["withheld", "TOTAL"], rows: rows + [totalRow],
                right: Set(2..<(summary.levels.count + 4)))
    }

    /// Counts per level by college and class (and with several scores, each score's the same way), then the attention
    /// list, as aligned tables.
    package static func summaryText(_ summary: BatchSummary) -> String {
        String(decoding: summaryBytes(summary), as: UTF8.self)
    }

    /// ``summaryText(_:)`` as UTF-8, made without an intermediate string (the attention list of a province is tens
    /// of megabytes).
    package static func summaryBytes(_ summary: BatchSummary) -> [UInt8] {
        var out: [UInt8] = []
        writeSummary(summary, to: &out, flush: { _ in })
        return out
    }

    /// ``summaryText(_:)`` as UTF-8, appended to `out`; `flush` may take what is written so far (and empty `out`)
    /// from time to time, so that a long attention list is never held whole.
    package static func writeSummary(
        _ summary: BatchSummary, to out: inout [UInt8], flush: (inout [UInt8]) throws -> Void
    ) rethrows {
        // Whether anything was written yet, flushed or not: parts after the first follow a line feed.
        var started = false
        func append(_ part: String) {
            if started { out.append(0x0A) }
            started = true
            out += part.utf8
        }
        append("Counts by college and class (\(summary.scored) scored, \(summary.rejected) rejected)")
        let countRows = summary.groups.map { group in
            [group.college, group.className] + group.counts.map(String.init) + [String(group.total)]
        }
        let totalRow = ["all", ""] + summary.totals.map(String.init) + [String(summary.scored)]
        append(
            table(
                header: ["COLLEGE", "CLASS"] + summary.levelIDs + ["TOTAL"], rows: countRows + [totalRow],
                right: Set(2..<(summary.levels.count + 3))))
        for score in summary.scores {
            append("")
            append(scoreCountsText(score, of: summary))
        }
        append("")
        let seenBy = summary.audience == .fullView ? "" : ", as \(summary.audience.id) sees it"
        append("Attention list (\(summary.attention.count), most urgent first\(seenBy))")
        if summary.attention.isEmpty {
            append("  nobody")
        } else {
            out.append(0x0A)
            try appendAttentionTable(summary.attention, routeNone: summary.routeNone ?? "—", to: &out, flush: flush)
        }
        append("")
        append(PrintableText.escaped(summary.notice))
        try flush(&out)
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}

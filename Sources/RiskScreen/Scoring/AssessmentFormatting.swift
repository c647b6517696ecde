/// Renders assessments and batch summaries for people (aligned tables) and programs (JSON Lines, CSV).
///
/// Output depends on nothing but its input: no locale, no clock, numbers rounded to two decimals.
package enum AssessmentFormatting {
    // MARK: Numbers

    /// A number rounded to two decimals, without a trailing `.0`.
    package static func number(_ value: Double) -> String {
        if value.isNaN { return "null" }
        let rounded = (value * 100).rounded() / 100
        return ExpressionParser.format(rounded == 0 ? 0 : rounded)
    }

    /// Points with their sign: `+3`, `-2`, `+0`.
    package static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + number(value) }

    // MARK: JSON Lines

    /// One assessment as one line of JSON (without the newline).
    ///
    /// Keys: id, as_of, score, level, score_level, route, response, parents, fired [{id, label, dimension, points,
    /// evidence [{label, value}]}], escalations and caps [{id, level, changed_level, reason}], calendar [{window,
    /// factor, indicators}], notice.
    package static func jsonLine(_ assessment: Assessment) -> String {
        // Appended in place into one string: no temporary string per field.
        var out = ""
        out.reserveCapacity(1024)
        out += "{\"id\":"
        appendJSON(assessment.studentID, to: &out)
        out += ",\"as_of\":\""
        out += assessment.asOf.description
        out += "\",\"score\":"
        out += number(assessment.score)
        out += ",\"level\":"
        appendJSON(assessment.level, to: &out)
        out += ",\"score_level\":"
        appendJSON(assessment.scoreLevel, to: &out)
        out += ",\"route\":["
        for (index, role) in assessment.route.enumerated() {
            if index > 0 { out += "," }
            appendJSON(role, to: &out)
        }
        out += "],\"response\":"
        appendJSON(assessment.response, to: &out)
        out += ",\"parents\":"
        appendJSON(assessment.informParents.rawValue, to: &out)
        out += ",\"fired\":["
        for (index, indicator) in assessment.fired.enumerated() {
            if index > 0 { out += "," }
            out += "{\"id\":"
            appendJSON(indicator.id, to: &out)
            out += ",\"label\":"
            appendJSON(indicator.label.description, to: &out)
            out += ",\"dimension\":"
            appendJSON(indicator.dimension.rawValue, to: &out)
            out += ",\"points\":"
            out += number(indicator.points)
            out += ",\"evidence\":["
            for (position, item) in indicator.evidence.enumerated() {
                if position > 0 { out += "," }
                out += "{\"label\":"
                appendJSON(item.label, to: &out)
                out += ",\"value\":"
                appendJSON(item.value, to: &out)
                out += "}"
            }
            out += "]}"
        }
        out += "],\"escalations\":[" + assessment.escalations.map(jsonRule).joined(separator: ",")
        out += "],\"caps\":[" + assessment.caps.map(jsonRule).joined(separator: ",")
        out += "],\"calendar\":["
        out += assessment.calendarEffects.map {
            "{\"window\":\(json($0.window)),\"factor\":\(number($0.factor)),\"indicators\":[\($0.indicators.map(json).joined(separator: ","))]}"
        }.joined(separator: ",")
        out += "],\"notice\":"
        out += noticeJSON
        out += "}"
        return out
    }

    private static let noticeJSON = json(Assessment.notice)

    /// Appends a JSON string literal.
    private static func appendJSON(_ text: String, to out: inout String) {
        // Most texts need no escaping: copy them whole instead of scalar by scalar.
        let needsEscaping = text.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }
        out += "\""
        guard needsEscaping else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func jsonRule(_ rule: AppliedRule) -> String {
        "{\"id\":\(json(rule.id)),\"level\":\(json(rule.level)),\"changed_level\":\(rule.changedLevel),\"reason\":\(json(rule.reason))}"
    }

    /// A JSON string literal.
    package static func json(_ text: String) -> String {
        var out = ""
        appendJSON(text, to: &out)
        return out
    }

    // MARK: CSV

    /// The CSV header row.
    package static let csvHeader = "id,as_of,level,score,score_level,route,parents,fired,evidence,escalations,caps,calendar,notice"

    /// One assessment as one CSV row (RFC 4180, without the line break).
    ///
    /// Lists inside a cell are separated by `; `: fired as `id:+points`, evidence as `indicator.label=value`,
    /// escalations and caps that held as `id:level` (with `*` when they changed the level), calendar as
    /// `window×factor`.
    package static func csvRow(_ assessment: Assessment) -> String {
        let fired = assessment.fired.map { "\($0.id):\(signed($0.points))" }.joined(separator: "; ")
        let evidence = assessment.fired.flatMap { indicator in
            indicator.evidence.map { "\(indicator.id).\($0.label)=\($0.value)" }
        }.joined(separator: "; ")
        let rules = { (list: [AppliedRule]) in list.map { "\($0.id):\($0.level)\($0.changedLevel ? "*" : "")" }.joined(separator: "; ") }
        let calendar = assessment.calendarEffects.map { "\($0.window)×\(number($0.factor))" }.joined(separator: "; ")
        return [
            assessment.studentID, assessment.asOf.description, assessment.level, number(assessment.score), assessment.scoreLevel,
            assessment.route.joined(separator: " > "), assessment.informParents.rawValue, fired, evidence,
            rules(assessment.escalations), rules(assessment.caps), calendar, Assessment.notice,
        ].map(csvCell).joined(separator: ",")
    }

    /// A CSV cell, quoted when it must be; a text that a spreadsheet would run as a formula gets a leading `'`.
    package static func csvCell(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(text) == nil {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") {
            return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
        }
        return text
    }

    // MARK: Tables

    /// Display width in a terminal: East-Asian wide and fullwidth characters count 2, combining marks 0.
    package static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += scalarWidth(scalar.value) }
        return width
    }

    private static func scalarWidth(_ value: UInt32) -> Int {
        if value == 0 { return 0 }
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if (0x0300...0x036F).contains(value) || (0x200B...0x200F).contains(value) || (0xFE00...0xFE0F).contains(value)
            || value == 0x20E3 || (0x1AB0...0x1AFF).contains(value) || (0x20D0...0x20FF).contains(value)
        {
            return 0
        }
        let wide: [ClosedRange<UInt32>] = [
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
        for range in wide where range.contains(value) { return 2 }
        return 1
    }

    /// An aligned table: a header, then rows; columns in `right` are right-aligned. The last column is not padded.
    package static func table(header: [String], rows: [[String]], right: Set<Int> = []) -> String {
        let columns = header.count
        var widths = header.map(displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns { widths[index] = max(widths[index], displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[index] - displayWidth(cell)))
                if index > 0 { out += "  " }
                if right.contains(index) {
                    out += pad + cell
                } else if index == cells.count - 1 {
                    out += cell
                } else {
                    out += cell + pad
                }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Assessments as an aligned table: id, level, score, score level, route, and the indicators that fired.
    package static func assessmentTable(_ assessments: [Assessment]) -> String {
        table(
            header: ["ID", "LEVEL", "SCORE", "BY SCORE", "ROUTE", "INDICATORS"],
            rows: assessments.map { assessment in
                [
                    assessment.studentID, assessment.level, number(assessment.score), assessment.scoreLevel,
                    assessment.route.isEmpty ? "—" : assessment.route.joined(separator: " → "),
                    assessment.fired.isEmpty ? "—" : assessment.fired.map { "\($0.id) \(signed($0.points))" }.joined(separator: ", ")
                        + assessment.escalations.filter(\.changedLevel).map { "; escalation \($0.id)" }.joined()
                        + assessment.caps.filter(\.changedLevel).map { "; cap \($0.id)" }.joined(),
                ]
            },
            right: [2])
    }

    /// Counts per level by college and class, then the attention list, as aligned tables.
    package static func summaryText(_ summary: BatchSummary) -> String {
        var parts: [String] = []
        parts.append("Counts by college and class (\(summary.scored) scored, \(summary.rejected) rejected)")
        let countRows = summary.groups.map { group in
            [group.college, group.className] + group.counts.map(String.init) + [String(group.total)]
        }
        let totalRow = ["all", ""] + summary.totals.map(String.init) + [String(summary.scored)]
        parts.append(
            table(
                header: ["COLLEGE", "CLASS"] + summary.levels + ["TOTAL"], rows: countRows + [totalRow],
                right: Set(2..<(summary.levels.count + 3))))
        parts.append("")
        parts.append("Attention list (\(summary.attention.count), most urgent first)")
        if summary.attention.isEmpty {
            parts.append("  nobody")
        } else {
            parts.append(
                table(
                    header: ["#", "ID", "LEVEL", "SCORE", "COLLEGE", "CLASS"],
                    rows: summary.attention.enumerated().map { position, entry in
                        [String(position + 1), entry.studentID, entry.level, number(entry.score), entry.college, entry.className]
                    },
                    right: [0, 3]))
        }
        parts.append("")
        parts.append(Assessment.notice)
        return parts.joined(separator: "\n")
    }
}

extension RuleSet {
    /// The role with this id.
    package func role(named id: String) -> Role? { roles.first { $0.id == id } }

    /// A reader who sees no sensitive facts: the rule set's first such role, or an anonymous one.
    package var leastPrivilegedRole: Role {
        roles.first { !$0.seesSensitive } ?? Role(id: "reader", label: Label(zh: "读者", en: "Reader"), seesSensitive: false)
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

internal import RiskScreenRules
@_spi(RiskScreenStorage) internal import RiskScreenSupport

extension AssessmentFormatting {
    /// The columns of the summary's attention table.
    static let attentionHeader = ["#", "ID", "LEVEL", "SCORE", "COLLEGE", "CLASS", "MAIN REASON", "ROUTE"]
    /// The columns aligned on the right: the position and the score.
    static let attentionRightAligned = [true, false, false, true, false, false, false, false]

    /// The cells of the attention table's row for the student at `position` (an empty route shows `routeNone`).
    static func attentionCells(_ attention: BatchSummary.AttentionList, at position: Int, routeNone: String)
        -> [String]
    {
        let entry = attention[position]
        return [
            String(position + 1), entry.studentID, entry.level.id,
            entry.score.isNaN ? "withheld" : number(entry.score), entry.college, entry.className, entry.reason,
            entry.route.isEmpty ? routeNone : entry.route.joined(separator: " → "),
        ]
    }

    /// The attention table, header and rows, appended to `out` as ``appendTable(header:count:right:to:flush:row:)``
    /// writes ``attentionCells(_:at:routeNone:)``, byte for byte, but each text the entries share by number (a
    /// level, a college and class, a reason, a route) is escaped and padded once: making, escaping and measuring
    /// eight cells a row cost about 10,000 instructions a row. Written as ``appendRows(count:to:flush:writeRow:)`` writes.
    static func appendAttentionTable(
        _ attention: BatchSummary.AttentionList, routeNone: String, to out: inout [UInt8],
        flush: (inout [UInt8]) throws -> Void
    ) rethrows {
        let widths = attention.tableWidths(header: attentionHeader, routeNone: routeNone)
        appendLine(attentionHeader, widths: widths, rightAligned: attentionRightAligned, to: &out)
        let shared = attention.sharedCells(widths: widths, routeNone: routeNone)
        let spaces = [UInt8](repeating: 0x20, count: (widths.max() ?? 0) + 2)
        try appendRows(count: attention.count, to: &out, flush: flush) { position, text in
            let entry = attention.compactEntry(at: position)
            let lineStart = text.count
            // The position and the score on the right, the id padded on the right (cells with no
            // escape to make: digits, a number, `withheld`; an id is escaped as any cell).
            let place = String(position + 1)
            text += spaces[0..<max(0, widths[0] - place.utf8.count)]
            text += place.utf8
            text += spaces[0..<2]
            let id = PrintableText.escaped(entry.studentID)
            text += id.utf8
            text += spaces[0..<(2 + max(0, widths[1] - displayWidth(id)))]
            text += shared.levels[Int(entry.levelRank)]
            text += spaces[0..<2]
            let score = entry.score.isNaN ? "withheld" : number(entry.score)
            text += spaces[0..<max(0, widths[3] - displayWidth(score))]
            text += score.utf8
            text += spaces[0..<2]
            text += shared.colleges[Int(entry.group)]
            text += spaces[0..<2]
            text += shared.classes[Int(entry.group)]
            text += spaces[0..<2]
            text += shared.reasons[Int(entry.reason)]
            text += spaces[0..<2]
            text += shared.routes[Int(entry.route)]
            while text.count > lineStart && text[text.count - 1] == 0x20 { text.removeLast() }
        }
    }
}

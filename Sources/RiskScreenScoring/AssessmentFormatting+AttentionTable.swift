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
            routeText(entry.route, none: routeNone),
        ]
    }

    /// A route as the tables show it: its steps joined by arrows, or `none` when it is empty.
    static func routeText(_ route: [String], none: String) -> String {
        route.isEmpty ? none : route.joined(separator: " → ")
    }

    /// The attention table, header and rows, appended to `out` as ``appendTable(header:count:right:to:flush:row:)``
    /// writes ``attentionCells(_:at:routeNone:)``, byte for byte, but each text the entries share by number (a
    /// level, a college and class, a reason, a route) is escaped and measured once: making, escaping and measuring
    /// eight cells a row cost about 10,000 instructions a row. Written as ``appendRows(count:to:flush:writeRow:)`` writes.
    static func appendAttentionTable(
        _ attention: BatchSummary.AttentionList, routeNone: String, to out: inout [UInt8],
        flush: (inout [UInt8]) throws -> Void
    ) rethrows {
        let shared = attention.sharedTexts(routeNone: routeNone)
        let widths = attention.tableWidths(header: attentionHeader, shared: shared)
        appendLine(attentionHeader, widths: widths, rightAligned: attentionRightAligned, to: &out)
        let spaces = [UInt8](repeating: 0x20, count: (widths.max() ?? 0) + 2)
        // `cell` padded to `column`'s width and followed by the two spaces before the next (only entries' own texts
        // are written, and the widths are at least as wide as each).
        @Sendable func append(_ cell: BatchSummary.AttentionList.SharedTexts.Shown, column: Int, to text: inout [UInt8])
        {
            text += cell.bytes
            text += spaces[0..<(2 + max(0, widths[column] - cell.width))]
        }
        try appendRows(count: attention.count, to: &out, flush: flush) { position, text in
            let entry = attention.compactEntry(at: position)
            let lineStart = text.count
            // The position and the score on the right (digits, a number or `withheld`: nothing to escape).
            let place = String(position + 1)
            text += spaces[0..<max(0, widths[0] - place.utf8.count)]
            text += place.utf8
            text += spaces[0..<2]
            let id = PrintableText.escaped(entry.studentID)
            text += id.utf8
            text += spaces[0..<(2 + max(0, widths[1] - displayWidth(id)))]
            append(shared.levels[Int(entry.levelRank)], column: 2, to: &text)
            let score = entry.score.isNaN ? "withheld" : number(entry.score)
            text += spaces[0..<max(0, widths[3] - displayWidth(score))]
            text += score.utf8
            text += spaces[0..<2]
            append(shared.colleges[Int(entry.group)], column: 4, to: &text)
            append(shared.classes[Int(entry.group)], column: 5, to: &text)
            append(shared.reasons[Int(entry.reason)], column: 6, to: &text)
            // The route last, unpadded.
            text += shared.routes[Int(entry.route)].bytes
            while text.count > lineStart && text[text.count - 1] == 0x20 { text.removeLast() }
        }
    }
}

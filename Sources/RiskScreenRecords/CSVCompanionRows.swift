internal import Foundation
internal import RiskScreenSupport

/// The rows of the events and scales tables grouped by the student they name, in the order students first appear
/// there, with the errors of each student's rows (a malformed row, a wrong number of cells), in table order. Rows that name no
/// student are rejected as they are read.
///
/// Rows are kept as indices into their table, to be decoded with their student's row.
struct CSVCompanionRows {
    /// The student id of each group, in the order first seen.
    private(set) var ids: [String] = []
    private var groupOfID: [String: Int] = [:]
    /// The errors of each group's rows (at most ``RecordError/maxListed`` kept).
    private(set) var errors: [[RecordError]] = []
    private var eventRows: [(group: Int32, row: Int32)] = []
    private var scaleRows: [(group: Int32, row: Int32)] = []

    /// The group of a student id, or nil when no row names it.
    func group(of id: String) -> Int? { groupOfID[id] }

    private mutating func group(noting id: String) -> Int {
        if let group = groupOfID[id] { return group }
        groupOfID[id] = ids.count
        ids.append(id)
        errors.append([])
        return ids.count - 1
    }

    /// The student id of a row of `table` (a row's id column, or empty), or nil (with the row's error recorded) when
    /// the row is malformed, its cell count differs from the header's or it names no student.
    private mutating func checkedRow(
        _ span: CSVTable.Span, of table: CSVTable, studentIDColumn: Int, field: String, what: String,
        batch: inout RecordBatch
    ) -> String? {
        let cells = table.text.withUnsafeBufferPointer { text -> (id: String, count: Int) in
            var cursor = CSVCellCursor(text, span: span)
            guard studentIDColumn < span.cellCount else { return ("", span.cellCount) }
            cursor.skip(studentIDColumn)
            return (cursor.next()?.text(in: text) ?? "", span.cellCount)
        }
        let id = cells.id
        let location = table.location(line: span.line, column: 1)
        if span.fault >= 0 {
            let fault = table.faults[span.fault]
            fail(
                id,
                RecordError(
                    fault.code, at: fault.location, studentID: id.isEmpty ? nil : id, field: field, fault.message),
                batch: &batch)
            return nil
        }
        if cells.count != table.header.count {
            fail(
                id,
                RecordError(
                    .wrongCount, at: location, studentID: id.isEmpty ? nil : id, field: field,
                    "found \(cells.count) cells; expected \(table.header.count) as in the header"),
                batch: &batch)
            return nil
        }
        if id.isEmpty {
            fail(
                id,
                RecordError(
                    .missingRequired, at: location, studentID: nil, field: "student_id",
                    "found \(what) without student_id; expected the student's id"), batch: &batch)
            return nil
        }
        return id
    }

    private mutating func fail(_ id: String, _ error: RecordError, batch: inout RecordBatch) {
        if id.isEmpty {
            batch.rejected.append(error)
            return
        }
        let group = group(noting: id)
        if errors[group].count <= RecordError.maxListed { errors[group].append(error) }
    }

    /// Groups the rows of the events table.
    mutating func addEvents(_ table: CSVTable, columns: CSVColumns.Events, batch: inout RecordBatch) {
        groupOfID.reserveCapacity(table.spans.count)
        eventRows.reserveCapacity(table.spans.count)
        for (index, span) in table.rowSpans.enumerated() {
            guard
                let id = checkedRow(
                    span, of: table, studentIDColumn: columns.studentID, field: "events", what: "an event",
                    batch: &batch)
            else { continue }
            eventRows.append((Int32(group(noting: id)), Int32(index)))
        }
    }

    /// Groups the rows of the scales table.
    mutating func addScales(_ table: CSVTable, columns: CSVColumns.Scales, batch: inout RecordBatch) {
        groupOfID.reserveCapacity(groupOfID.count + table.spans.count)
        scaleRows.reserveCapacity(table.spans.count)
        for (index, span) in table.rowSpans.enumerated() {
            guard
                let id = checkedRow(
                    span, of: table, studentIDColumn: columns.studentID, field: "scales", what: "a scale result",
                    batch: &batch)
            else { continue }
            scaleRows.append((Int32(group(noting: id)), Int32(index)))
        }
    }

    /// The rows of each group, as indices into the table's rows after its header, in table order.
    struct Groups: Sendable {
        /// `rows[start[g] ..< start[g + 1]]` are group g's rows.
        private let start: [Int32]
        private let rows: [Int32]

        init(_ pairs: [(group: Int32, row: Int32)], groupCount: Int) {
            var start = [Int32](repeating: 0, count: groupCount + 1)
            for pair in pairs { start[Int(pair.group) + 1] += 1 }
            for group in 0..<groupCount { start[group + 1] += start[group] }
            var next = Array(start.dropLast())
            var rows = [Int32](repeating: 0, count: pairs.count)
            for pair in pairs {
                rows[Int(next[Int(pair.group)])] = pair.row
                next[Int(pair.group)] += 1
            }
            self.start = start
            self.rows = rows
        }

        /// Group `group`'s rows; none for -1.
        func rows(of group: Int) -> ArraySlice<Int32> {
            guard group >= 0 else { return [] }
            return rows[Int(start[group])..<Int(start[group + 1])]
        }
    }

    /// Each group's events rows and scales rows.
    func groups() -> (events: Groups, scales: Groups) {
        (Groups(eventRows, groupCount: ids.count), Groups(scaleRows, groupCount: ids.count))
    }

    /// The rejection of group `group`'s rows when no row of the students table names its student (every row of a
    /// table is accounted for: none is dropped silently).
    func orphanError(
        _ group: Int, groups: (events: Groups, scales: Groups), events: CSVTable?, scales: CSVTable?, students: CSVTable
    ) -> RecordError {
        if !errors[group].isEmpty { return RecordError(listing: errors[group]) }
        let id = ids[group]
        let firstEvent = groups.events.rows(of: group).first.flatMap { row in events.map { ($0, row) } }
        let firstScale = groups.scales.rows(of: group).first.flatMap { row in scales.map { ($0, row) } }
        let location = (firstEvent ?? firstScale).map { table, row in
            table.location(line: table.spans[Int(row) + 1].line, column: 1)
        }
        let table = firstEvent != nil ? "events" : "scales"
        return RecordError(
            .unknownStudent, at: location ?? students.location(line: 1, column: 1), studentID: id, field: table,
            "found \(table) of a student who is not in \((students.file as NSString).lastPathComponent); expected a row for \(id) there"
        )
    }
}

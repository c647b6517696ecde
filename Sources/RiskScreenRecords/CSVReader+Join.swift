internal import Foundation
internal import RiskScreenRules
internal import RiskScreenSupport

extension CSVReader {
    /// Joins parsed tables into records: each students row with the events and scales rows that name its student.
    ///
    /// Rejections come in this order: rows of the events and scales tables that name no student, then each students
    /// row's (a malformed row, a wrong number of cells, an id seen before; or every fault of the student: in its other
    /// rows, then each value that cannot be read), then rows of students who are not in the students table.
    static func join(
        students: CSVTable, events: CSVTable?, scales: CSVTable?, schema: Schema, carefulOnly: Bool = false,
        unknownNames: UnknownNames = .refuse
    ) throws(RecordFileError) -> RecordBatch {
        let studentColumns = try CSVColumns.Students(students, schema: schema, unknownNames: unknownNames)
        var batch = RecordBatch()
        var companions = CSVCompanionRows()
        var eventColumns: CSVColumns.Events?
        var scaleColumns: CSVColumns.Scales?
        if let events {
            let columns = try CSVColumns.Events(events, schema: schema, unknownNames: unknownNames)
            companions.addEvents(events, columns: columns, batch: &batch)
            eventColumns = columns
        }
        if let scales {
            let columns = try CSVColumns.Scales(scales, schema: schema, unknownNames: unknownNames)
            companions.addScales(scales, columns: columns, batch: &batch)
            scaleColumns = columns
        }
        let groups = companions.groups()
        var consumed = [Bool](repeating: false, count: companions.ids.count)

        // Each students row's outcome, in order: a rejection found here, or the student to decode (an index into work)
        // with the errors of its other rows, listed first when it is rejected.
        enum Outcome {
            case rejected(RecordError)
            case decoded(Int, companionErrors: [RecordError])
        }
        var outcomes: [Outcome] = []
        var work: [Student] = []
        var register = StudentIDRegister(capacity: students.spans.count)
        outcomes.reserveCapacity(students.spans.count)
        work.reserveCapacity(students.spans.count)
        students.text.withUnsafeBufferPointer { text in
            for (index, span) in students.rowSpans.enumerated() {
                var id = ""
                if studentColumns.idColumn < span.cellCount {
                    var cursor = CSVCellCursor(text, span: span)
                    cursor.skip(studentColumns.idColumn)
                    id = cursor.next()?.text(in: text) ?? ""
                }
                let location = students.location(line: span.line, column: 1)
                let group = id.isEmpty ? nil : companions.group(of: id)
                if let group { consumed[group] = true }
                let companionErrors = group.map { companions.errors[$0] } ?? []
                if span.fault >= 0 {
                    let fault = students.faults[span.fault]
                    let error = RecordError(
                        fault.code, at: fault.location, studentID: id.isEmpty ? nil : id, field: nil, fault.message)
                    outcomes.append(.rejected(RecordError(listing: [error] + companionErrors)))
                } else if span.cellCount != students.header.count {
                    let error = RecordError(
                        .wrongCount, at: location, studentID: id.isEmpty ? nil : id, field: nil,
                        "found \(span.cellCount) cells; expected \(students.header.count) as in the header")
                    outcomes.append(.rejected(RecordError(listing: [error] + companionErrors)))
                } else if !id.isEmpty, let rejection = register.register(id, at: location) {
                    outcomes.append(.rejected(rejection))
                } else {
                    outcomes.append(.decoded(work.count, companionErrors: companionErrors))
                    work.append(Student(row: Int32(index), group: Int32(group ?? -1), id: id))
                }
            }
        }

        let decoder = CSVRecordDecoder(
            schema: schema, students: students, studentColumns: studentColumns, events: events,
            eventColumns: eventColumns,
            scales: scales, scaleColumns: scaleColumns, carefulOnly: carefulOnly, unknownNames: unknownNames)
        let decoded = decode(work, with: decoder, groups: groups, students: students, events: events, scales: scales)
        for outcome in outcomes {
            switch outcome {
            case .rejected(let error): batch.rejected.append(error)
            case .decoded(let index, let companionErrors):
                switch decoded[index].result {
                case .success(let record) where companionErrors.isEmpty:
                    batch.records.append(record)
                    batch.ignored.add(record: decoded[index].ignored)
                case .success:
                    batch.rejected.append(RecordError(listing: companionErrors))
                case .failure(let error):
                    batch.rejected.append(RecordError(listing: companionErrors + [error]))
                }
            }
        }
        // Events and scale results of students who are not in the students table: reported, never dropped silently.
        for group in consumed.indices where !consumed[group] {
            batch.rejected.append(
                companions.orphanError(group, groups: groups, events: events, scales: scales, students: students))
        }
        return batch
    }

    /// A students row to decode: its index after the header, its group of companion rows (-1 for none), its id.
    private struct Student: Sendable {
        var row: Int32
        var group: Int32
        var id: String
    }

    /// Decodes the students in order; a large table on all cores, in contiguous parts (as ``Parallel`` splits them).
    private static func decode(
        _ work: [Student], with decoder: CSVRecordDecoder,
        groups: (events: CSVCompanionRows.Groups, scales: CSVCompanionRows.Groups),
        students: CSVTable, events: CSVTable?, scales: CSVTable?
    ) -> [CSVRecordDecoder.Decoded] {
        let workers = Parallel.workerCount(items: work.count, minimumPerWorker: 2048)
        let empty: [UInt8] = []
        return students.text.withUnsafeBufferPointer { studentsText in
            (events?.text ?? empty).withUnsafeBufferPointer { eventsText in
                (scales?.text ?? empty).withUnsafeBufferPointer { scalesText in
                    let texts = CSVRecordDecoder.Texts(students: studentsText, events: eventsText, scales: scalesText)
                    return [CSVRecordDecoder.Decoded](unsafeUninitializedCapacity: work.count) {
                        buffer, initialized in
                        let output = UnsafeSendableBuffer(base: buffer.baseAddress)
                        Parallel.forEachPart(items: work.count, parts: workers) { _, range in
                            guard let base = output.base else { return }
                            var scratch = CSVRecordDecoder.Scratch()
                            for index in range {
                                let student = work[index]
                                let group = Int(student.group)
                                (base + index).initialize(
                                    to: decoder.decode(
                                        row: Int(student.row), id: student.id, eventRows: groups.events.rows(of: group),
                                        scaleRows: groups.scales.rows(of: group), texts: texts, scratch: &scratch))
                            }
                        }
                        initialized = work.count
                    }
                }
            }
        }
    }
}

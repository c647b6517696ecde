internal import RiskScreenRules
internal import RiskScreenSupport

/// Decodes one student — a row of the students table with that student's rows of the events and scales tables —
/// straight from the tables' text into record storage (``RecordParts``), building no node and no string but the
/// record's own texts.
///
/// Each value is read from its bytes when it is written plainly (a known name, a plain number, a date, a boolean
/// spelling); anything else goes to ``RecordDecoder``'s check of that one value, event or scale result, which takes
/// what it can and words the refusal of what it cannot, as for YAML and JSON. Values are checked in the order the
/// decoder checks a record (the id, the fields in column order, the events, then the scale results, each in table
/// order), and every fault is listed, so a student is rejected with the same faults whichever way its values were
/// read.
struct CSVRecordDecoder: Sendable {
    /// The three tables' texts, read through pointers while they are alive (on several threads).
    struct Texts: @unchecked Sendable {
        var students: UnsafeBufferPointer<UInt8>
        var events: UnsafeBufferPointer<UInt8>
        var scales: UnsafeBufferPointer<UInt8>
    }

    /// One student decoded: the record or its rejection, and the names left out of it (``UnknownNames/ignore``).
    struct Decoded: Sendable {
        var result: Result<StudentRecord, RecordError>
        var ignored: [IgnoredNames.Name]
    }

    /// Memory kept from one student to the next, so that a student allocates only what its record keeps.
    struct Scratch {
        var parts = RecordParts()
        var seen: [Bool] = []
    }

    private let schema: Schema
    private let decoder: RecordDecoder
    private let students: CSVTable
    private let events: CSVTable?
    private let scales: CSVTable?
    private let studentColumns: CSVColumns.Students
    private let eventColumns: CSVColumns.Events?
    private let scaleColumns: CSVColumns.Scales?
    private let plans: [FieldPlan]
    private let enumerationValues: ByteKeyTable
    private let eventKinds: ByteKeyTable
    private let scaleNames: ByteKeyTable
    /// The schema's spellings of true, then of false, as bytes.
    private let spellings: [(bytes: [UInt8], value: Double)]
    /// Read every value the careful way (for tests that hold the two ways to one result).
    private let carefulOnly: Bool

    init(
        schema: Schema, students: CSVTable, studentColumns: CSVColumns.Students, events: CSVTable?,
        eventColumns: CSVColumns.Events?, scales: CSVTable?, scaleColumns: CSVColumns.Scales?,
        carefulOnly: Bool = false,
        unknownNames: UnknownNames = .refuse
    ) {
        self.schema = schema
        decoder = RecordDecoder(schema: schema, syntax: .text, unknownNames: unknownNames)
        self.students = students
        self.events = events
        self.scales = scales
        self.studentColumns = studentColumns
        self.eventColumns = eventColumns
        self.scaleColumns = scaleColumns
        plans = schema.fields.map(FieldPlan.init)
        enumerationValues = ByteKeyTable(enumerationValuesOf: schema)
        eventKinds = ByteKeyTable(schema.eventKinds.map(\.name))
        scaleNames = ByteKeyTable(schema.scales.map(\.name))
        spellings = schema.trueSpellings.map { (Array($0.utf8), 1) } + schema.falseSpellings.map { (Array($0.utf8), 0) }
        self.carefulOnly = carefulOnly
    }

    /// Decodes student row `row` (counted after the header) whose id is `id`, with its events rows `eventRows` and
    /// scales rows `scaleRows`.
    func decode(
        row: Int, id: String, eventRows: ArraySlice<Int32>, scaleRows: ArraySlice<Int32>, texts: Texts,
        scratch: inout Scratch
    ) -> Decoded {
        let result = decodeRecord(
            row: row, id: id, eventRows: eventRows, scaleRows: scaleRows, texts: texts, scratch: &scratch)
        guard case .success = result, !scratch.parts.ignored.isEmpty else {
            return Decoded(result: result, ignored: [])
        }
        return Decoded(result: result, ignored: scratch.parts.ignored)
    }

    private func decodeRecord(
        row: Int, id: String, eventRows: ArraySlice<Int32>, scaleRows: ArraySlice<Int32>, texts: Texts,
        scratch: inout Scratch
    ) -> Result<StudentRecord, RecordError> {
        let span = students.spans[row + 1]
        let location = students.location(line: span.line, column: 1)
        var cursor = CSVCellCursor(texts.students, span: span)
        cursor.skip(studentColumns.idColumn)
        if let idCell = cursor.next(),
            carefulOnly || idCell.hasEscapedQuotes
                || RecordCoercion.isPlainASCIIID(idCell.bytes(in: texts.students)) == nil
        {
            let value = CSVTable.Cell(
                text: id,
                location: CSVTable.location(
                    ofOffset: idCell.rawStart, in: span, of: texts.students, file: students.file))
            if case .failure(let error) = decoder.studentID(value) { return .failure(error) }
        }
        scratch.parts.reset(for: schema)
        scratch.seen.removeAll(keepingCapacity: true)
        scratch.seen.append(contentsOf: repeatElement(false, count: schema.fields.count))
        // Every error of the student, in the order the decoder checks a record: a rejection lists them all.
        var failures = RecordDecoder.Failures()
        decodeFields(span, texts.students, scratch: &scratch, failures: &failures)
        if let events, let eventColumns {
            for row in eventRows {
                let span = events.spans[Int(row) + 1]
                if !eventColumns.ignoredColumns.isEmpty {
                    noteIgnored(eventColumns.ignoredColumns, span, of: events, texts.events, parts: &scratch.parts)
                }
                failures.append(decodeEvent(span, of: events, eventColumns, texts.events, parts: &scratch.parts))
            }
        }
        if let scales, let scaleColumns {
            // As in RecordDecoder: a refusal after a result of a sensitive scale counts as sensitive.
            var sensitive = false
            for row in scaleRows {
                let span = scales.spans[Int(row) + 1]
                if !scaleColumns.ignoredColumns.isEmpty {
                    noteIgnored(scaleColumns.ignoredColumns, span, of: scales, texts.scales, parts: &scratch.parts)
                }
                if !carefulOnly, let roles = scaleColumns.plainRoles,
                    addPlainScaleResult(span, roles: roles, texts.scales, parts: &scratch.parts, sensitive: &sensitive)
                {
                    continue
                }
                let cells = CSVTable.cells(of: span, in: texts.scales, file: scales.file)
                let input = Self.scaleResult(
                    cells, columns: scaleColumns, at: scales.location(line: span.line, column: 1))
                decoder.addScaleResult(input, to: &scratch.parts, sensitive: &sensitive, failures: &failures)
            }
        }
        decoder.missingRequiredFields(seen: scratch.seen, at: location, failures: &failures)
        if let rejection = failures.rejection(studentID: id) { return .failure(rejection) }
        return .success(StudentRecord(id: id, location: location, parts: scratch.parts, schema: schema))
    }

    /// Notes each of `columns` (ignored: the schema does not know them) whose cell in the row is not empty.
    private func noteIgnored(
        _ columns: [Int], _ span: CSVTable.Span, of table: CSVTable, _ text: UnsafeBufferPointer<UInt8>,
        parts: inout RecordParts
    ) {
        var cursor = CSVCellCursor(text, span: span)
        var column = 0
        let file = table.file.split(separator: "/").last.map(String.init) ?? table.file
        while let cell = cursor.next() {
            defer { column += 1 }
            if !cell.isEmpty, columns.contains(column) {
                parts.ignored.append(IgnoredNames.Name(.column, table.header[column].text, within: file))
            }
        }
    }

    // MARK: Fields

    private func decodeFields(
        _ span: CSVTable.Span, _ text: UnsafeBufferPointer<UInt8>, scratch: inout Scratch,
        failures: inout RecordDecoder.Failures
    ) {
        var cursor = CSVCellCursor(text, span: span)
        var column = 0
        while let cell = cursor.next() {
            defer { column += 1 }
            let field = studentColumns.fieldOfColumn[column]
            if field < 0 || cell.isEmpty {
                if field == CSVColumns.Students.ignored, !cell.isEmpty {
                    scratch.parts.ignored.append(IgnoredNames.Name(.field, students.header[column].text))
                }
                continue
            }
            if !carefulOnly, !cell.hasEscapedQuotes, setPlainly(field, cell.bytes(in: text), parts: &scratch.parts) {
                scratch.seen[field] = true
                continue
            }
            let value = CSVTable.Cell(
                text: cell.text(in: text),
                location: CSVTable.location(ofOffset: cell.rawStart, in: span, of: text, file: students.file))
            failures.append(decoder.setField(field, value, parts: &scratch.parts, seen: &scratch.seen))
        }
    }

    /// Sets field `field` from bytes written plainly, as ``RecordDecoder/setField(_:_:parts:seen:)`` would; false
    /// (and nothing set) for anything else.
    private func setPlainly(_ field: Int, _ bytes: UnsafeBufferPointer<UInt8>, parts: inout RecordParts) -> Bool {
        let plan = plans[field]
        let value: Double
        switch plan.kind {
        case .text:
            guard bytes.count <= RecordCoercion.maxTextBytes else { return false }
            parts.texts[plan.slot] = String(decoding: bytes, as: UTF8.self)
            return true
        case .integer, .number:
            guard
                let number = RecordCoercion.plainNumber(
                    bytes, integer: plan.kind == .integer, minimum: plan.minimum, maximum: plan.maximum)
            else { return false }
            value = number
        case .boolean:
            guard let spelling = spellings.first(where: { RecordCoercion.spells(bytes, $0.bytes) }) else {
                return false
            }
            value = spelling.value
        case .date:
            guard let date = CivilDate(textUTF8: bytes) else { return false }
            value = Double(date.dayNumber)
        case .enumeration:
            guard let index = enumerationValues.lookup(bytes, group: field) else { return false }
            value = Double(index)
        }
        parts.values[plan.slot] = value
        return true
    }

    // MARK: Events

    private func decodeEvent(
        _ span: CSVTable.Span, of table: CSVTable, _ columns: CSVColumns.Events, _ text: UnsafeBufferPointer<UInt8>,
        parts: inout RecordParts
    ) -> RecordDecoder.Failure? {
        var cursor = CSVCellCursor(text, span: span)
        var kindCell: CSVCellCursor.Cell?
        var dateCell: CSVCellCursor.Cell?
        var column = 0
        while kindCell == nil || dateCell == nil, let cell = cursor.next() {
            if column == columns.kind { kindCell = cell }
            if column == columns.date { dateCell = cell }
            column += 1
        }
        guard let kindCell, let dateCell else { return nil }  // the header has both columns and the row all cells
        if !carefulOnly, !kindCell.hasEscapedQuotes, !dateCell.hasEscapedQuotes,
            let kind = eventKinds.lookup(kindCell.bytes(in: text)),
            let date = CivilDate(textUTF8: dateCell.bytes(in: text)),
            parts.eventKinds.count < RecordCoercion.maxListLength
        {
            parts.addEvent(kind: kind, day: Int32(date.dayNumber))
            return nil
        }
        let date = CSVTable.Cell(
            text: dateCell.text(in: text),
            location: CSVTable.location(ofOffset: dateCell.rawStart, in: span, of: text, file: table.file))
        var sensitive = false
        return decoder.addEvent(
            kind: kindCell.text(in: text),
            at: CSVTable.location(ofOffset: kindCell.rawStart, in: span, of: text, file: table.file), date: date,
            to: &parts, sensitive: &sensitive)
    }

    // MARK: Scale results

    /// Adds a scale result written plainly — a known scale, a date, answers `item1` … to the scale's last item, each
    /// a whole number in range, no class or scores — as ``RecordDecoder/addScaleResult(_:to:sensitive:)`` would;
    /// false (and nothing added) for anything else.
    private func addPlainScaleResult(
        _ span: CSVTable.Span, roles: [CSVColumns.Scales.Role], _ text: UnsafeBufferPointer<UInt8>,
        parts: inout RecordParts,
        sensitive: inout Bool
    ) -> Bool {
        let itemsStart = parts.items.count
        var scale = -1
        var day: Int32?
        var plain = true
        var sawEmptyItem = false
        var cursor = CSVCellCursor(text, span: span)
        roles.withUnsafeBufferPointer { roles in
            var column = 0
            while plain, let cell = cursor.next() {
                defer { column += 1 }
                if cell.isEmpty {
                    if roles[column] == .item { sawEmptyItem = true }
                    continue
                }
                if cell.hasEscapedQuotes {
                    plain = false
                    continue
                }
                switch roles[column] {
                case .other:
                    break
                case .item:
                    if sawEmptyItem {
                        plain = false
                    } else if cell.end - cell.start == 1, text[cell.start] >= 0x30, text[cell.start] <= 0x39 {
                        // One digit, as RecordCoercion.plainNumber reads it.
                        parts.items.append(Double(text[cell.start] - 0x30))
                    } else if let answer = RecordCoercion.plainNumber(cell.bytes(in: text), integer: true) {
                        parts.items.append(answer)
                    } else {
                        plain = false
                    }
                case .scale:
                    if let found = scaleNames.lookup(cell.bytes(in: text)) { scale = found } else { plain = false }
                case .date:
                    if let date = CivilDate(textUTF8: cell.bytes(in: text)) {
                        day = Int32(date.dayNumber)
                    } else {
                        plain = false
                    }
                case .classColumn, .score:
                    // A class or a score given.
                    plain = false
                }
            }
        }
        if plain, scale >= 0, let day, parts.items.count > itemsStart,
            parts.items.count - itemsStart == schema.scales[scale].itemCount,
            parts.items[itemsStart...].allSatisfy({ RecordCoercion.isValidAnswer($0, of: schema.scales[scale]) })
        {
            parts.addResult(of: schema.scales[scale], day: day, itemsStart: itemsStart)
            sensitive = schema.scales[scale].sensitive
            return true
        }
        parts.items.removeSubrange(itemsStart...)
        return false
    }

    /// A row of the scales table as a scale result for ``RecordDecoder/addScaleResult(_:to:sensitive:)``: its scale
    /// and date, its class when given, its answers `item1` … up to the last one given (a missing item column reads as
    /// an empty answer at the row), and the scores given.
    static func scaleResult(_ cells: [CSVTable.Cell], columns: CSVColumns.Scales, at location: SourceLocation)
        -> ScaleResultInput<CSVTable.Cell>
    {
        var result = ScaleResultInput<CSVTable.Cell>(location: location)
        result.scale = cells[columns.scale]
        result.date = cells[columns.date]
        if let classColumn = columns.classColumn, !cells[classColumn].text.isEmpty {
            result.classValue = cells[classColumn]
        }
        // Items 1…K, where K is the last item with an answer; a gap before K is reported by the decoder.
        if let last = columns.itemColumns.lastIndex(where: { $0 >= 0 && !cells[$0].text.isEmpty }) {
            let answers = columns.itemColumns[...last].map {
                $0 >= 0 ? cells[$0] : CSVTable.Cell(text: "", location: location)
            }
            result.items = .answers(answers, at: answers[0].location)
        }
        let scores = columns.scoreColumns.compactMap {
            name, column -> (name: String, at: SourceLocation, value: CSVTable.Cell)? in
            cells[column].text.isEmpty ? nil : (name, cells[column].location, cells[column])
        }
        if let first = scores.first { result.scores = .scores(scores, at: first.at) }
        return result
    }
}

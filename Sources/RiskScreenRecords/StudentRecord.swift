public import RiskScreenRules
public import RiskScreenSupport

/// One student's record, checked against a rule set's schema and stored by slot.
///
/// Numeric, boolean, enumeration and date fields are numbers (an enumeration value is its index, a
/// date its day number); a missing value is NaN. Events and scale results are stored flat, grouped by
/// kind and sorted by day, in memory that scoring reads through plain pointers.
public struct StudentRecord: Sendable {
    /// The student's id.
    public let id: String
    /// Where the record was read from, if from a file.
    public let location: SourceLocation?
    /// Each text slot's text (nil when missing), by slot.
    package let texts: [String?]
    package let storage: RecordStorage

    /// A record from nested lists of `schema`'s events and scale results (results of one scale on one day are
    /// combined, as ``RecordParts/combineSameDayResults(scales:)`` says).
    package init(
        id: String, location: SourceLocation?, values: [Double], texts: [String?], events: [[Int32]],
        scales: [[ScaleResult]], schema: Schema
    ) {
        self.id = id
        self.location = location
        self.texts = texts
        storage = RecordStorage(
            values: values, texts: texts, events: events, scales: scales, definitions: schema.scales)
    }

    /// A record from assembled parts (the parts can then be reset for the next record). Classes that read the
    /// record's fields are worked out first, now that they are all read (``RecordParts/classifyPendingResults(scales:)``),
    /// then results of one scale on one day are combined (``RecordParts/combineSameDayResults(scales:)``).
    init(id: String, location: SourceLocation?, parts: RecordParts, schema: Schema) {
        self.id = id
        self.location = location
        texts = parts.texts
        var parts = parts
        parts.classifyPendingResults(scales: schema.scales)
        parts.combineSameDayResults(scales: schema.scales)
        storage = RecordStorage(parts: parts, eventKindCount: schema.eventKinds.count, scaleCount: schema.scales.count)
    }

    /// The text of a text field, by the schema's field.
    public func text(_ field: Schema.Field) -> String? {
        guard case .text = field.type, field.slot < texts.count else { return nil }
        return texts[field.slot]
    }

    /// The value in a numeric slot (NaN when missing).
    package func value(slot: Int) -> Double { slot < storage.valueCount ? storage.values[slot] : .nan }

    /// How many events of each kind the record holds.
    public func eventCount(kindIndex: Int) -> Int {
        guard kindIndex < storage.eventKindCount else { return 0 }
        return Int(storage.eventStart[kindIndex + 1] - storage.eventStart[kindIndex])
    }

    /// The days of a kind's events, sorted.
    func eventDays(kindIndex: Int) -> ArraySlice<Int32> {
        guard kindIndex < storage.eventKindCount else { return [] }
        let start = Int(storage.eventStart[kindIndex])
        let end = Int(storage.eventStart[kindIndex + 1])
        return ArraySlice(UnsafeBufferPointer(start: storage.eventDays + start, count: end - start))
    }

    /// The day and class of each result of a scale, sorted by day.
    package func scaleEntries(scaleIndex: Int) -> [ScaleEntry] {
        guard scaleIndex < storage.scaleCount else { return [] }
        let start = Int(storage.scaleStart[scaleIndex])
        let end = Int(storage.scaleStart[scaleIndex + 1])
        return Array(UnsafeBufferPointer(start: storage.scaleEntries + start, count: end - start))
    }
}

/// One administration of a scale as it is read: its day, named scores, item answers (if given) and class.
package struct ScaleResult: Sendable {
    var day: Int32
    var scores: [Double]
    var items: [Double]
    var classIndex: Int32

    /// An administration on `day` with these scores, items (empty when not given) and class (-1 when none).
    package init(day: Int32, scores: [Double], items: [Double], classIndex: Int32) {
        self.day = day
        self.scores = scores
        self.items = items
        self.classIndex = classIndex
    }
}

/// A record's numbers, events and scale results in one block of memory owned by one object, never changed after
/// creation, so scoring reads them through pointers without reference counting.
///
/// The block holds, in order, what scoring reads most (values, the texts' group keys, scale scores, the start of
/// each event kind and scale, event days, scale entries) and then the scale items, which few conditions read:
/// one allocation per record, and the parts read together lie together.
package final class RecordStorage: @unchecked Sendable {
    let valueCount: Int
    package let values: UnsafeMutablePointer<Double>
    let eventKindCount: Int
    /// Event days grouped by kind, each group sorted.
    package let eventDays: UnsafeMutablePointer<Int32>
    /// `eventStart[k] ..< eventStart[k + 1]` are kind k's days; kinds + 1 entries.
    package let eventStart: UnsafeMutablePointer<Int32>
    let scaleCount: Int
    package let scaleEntries: UnsafeMutablePointer<ScaleEntry>
    /// `scaleStart[s] ..< scaleStart[s + 1]` are scale s's entries; scales + 1 entries.
    package let scaleStart: UnsafeMutablePointer<Int32>
    package let scaleScores: UnsafeMutablePointer<Double>
    package let scaleItems: UnsafeMutablePointer<Double>
    package let textCount: Int
    /// Each text slot's ``GroupKey`` (0 when missing), so grouping students reads no text.
    package let textKeys: UnsafeMutablePointer<UInt64>
    private let block: UnsafeMutableRawPointer

    /// Stores nested lists (readers that build them: the synthetic cohort), combining results of one scale on one day.
    convenience init(
        values: [Double], texts: [String?], events: [[Int32]], scales: [[ScaleResult]], definitions: [ScaleDefinition]
    ) {
        var parts = RecordParts()
        parts.values = values
        parts.texts = texts
        for (kind, days) in events.enumerated() {
            for day in days { parts.addEvent(kind: kind, day: day) }
        }
        for (scale, results) in scales.enumerated() {
            for result in results {
                parts.addResult(
                    scale: scale, day: result.day, scores: result.scores, items: result.items,
                    classIndex: result.classIndex)
            }
        }
        parts.combineSameDayResults(scales: definitions)
        self.init(parts: parts, eventKindCount: events.count, scaleCount: scales.count)
    }

    /// Stores a record's parts: events grouped by kind and sorted by day, scale results grouped by scale and sorted
    /// by day (the readers have combined results of one scale on one day, so no two share a day).
    init(parts: RecordParts, eventKindCount: Int, scaleCount: Int) {
        valueCount = parts.values.count
        self.eventKindCount = eventKindCount
        self.scaleCount = scaleCount
        let totalEvents = parts.eventDays.count
        let totalResults = parts.results.count
        let totalScores = parts.scores.count
        let totalItems = parts.items.count

        // Offsets of each part in the block, each aligned for its type (and at least one element, so every pointer
        // points into the block).
        var size = 0
        func reserve<T>(_ type: T.Type, _ count: Int) -> Int {
            size = (size + MemoryLayout<T>.alignment - 1) / MemoryLayout<T>.alignment * MemoryLayout<T>.alignment
            let offset = size
            size += MemoryLayout<T>.stride * max(1, count)
            return offset
        }
        textCount = parts.texts.count
        let valuesOffset = reserve(Double.self, valueCount)
        let textKeysOffset = reserve(UInt64.self, textCount)
        let scoresOffset = reserve(Double.self, totalScores)
        let eventStartOffset = reserve(Int32.self, eventKindCount + 1)
        let scaleStartOffset = reserve(Int32.self, scaleCount + 1)
        let eventDaysOffset = reserve(Int32.self, totalEvents)
        let entriesOffset = reserve(ScaleEntry.self, totalResults)
        let itemsOffset = reserve(Double.self, totalItems)
        block = .allocate(byteCount: size, alignment: 16)
        values = (block + valuesOffset).bindMemory(to: Double.self, capacity: max(1, valueCount))
        textKeys = (block + textKeysOffset).bindMemory(to: UInt64.self, capacity: max(1, textCount))
        scaleScores = (block + scoresOffset).bindMemory(to: Double.self, capacity: max(1, totalScores))
        eventStart = (block + eventStartOffset).bindMemory(to: Int32.self, capacity: eventKindCount + 1)
        scaleStart = (block + scaleStartOffset).bindMemory(to: Int32.self, capacity: scaleCount + 1)
        eventDays = (block + eventDaysOffset).bindMemory(to: Int32.self, capacity: max(1, totalEvents))
        scaleEntries = (block + entriesOffset).bindMemory(to: ScaleEntry.self, capacity: max(1, totalResults))
        scaleItems = (block + itemsOffset).bindMemory(to: Double.self, capacity: max(1, totalItems))

        parts.values.withUnsafeBufferPointer {
            if let source = $0.baseAddress { values.initialize(from: source, count: valueCount) }
        }
        for (slot, text) in parts.texts.enumerated() { textKeys[slot] = GroupKey.of(text) }

        // Events: a counting sort by kind, then each kind's days in order (lists are short).
        eventStart.initialize(repeating: 0, count: eventKindCount + 1)
        for kind in parts.eventKinds where Int(kind) < eventKindCount { eventStart[Int(kind) + 1] += 1 }
        for kind in 0..<eventKindCount { eventStart[kind + 1] += eventStart[kind] }
        var placed = 0
        for kind in 0..<eventKindCount {
            let start = Int(eventStart[kind])
            var end = start
            for (index, eventKind) in parts.eventKinds.enumerated() where Int(eventKind) == kind {
                eventDays[end] = parts.eventDays[index]
                end += 1
            }
            var days = UnsafeMutableBufferPointer(start: eventDays + start, count: end - start)
            days.sort()
            placed += end - start
        }
        precondition(placed == totalEvents, "every event's kind is one of the schema's")

        // Scores and items are copied as read; each entry points at its own. Entries are grouped by scale, each
        // group sorted by day, stably (results of one day keep the order they were read in).
        parts.scores.withUnsafeBufferPointer {
            if let source = $0.baseAddress { scaleScores.initialize(from: source, count: totalScores) }
        }
        parts.items.withUnsafeBufferPointer {
            if let source = $0.baseAddress { scaleItems.initialize(from: source, count: totalItems) }
        }
        var entry = 0
        for scale in 0..<scaleCount {
            scaleStart[scale] = Int32(entry)
            let groupStart = entry
            for result in parts.results where Int(result.scale) == scale {
                var position = entry
                while position > groupStart, scaleEntries[position - 1].day > result.day { position -= 1 }
                (scaleEntries + position + 1).moveInitialize(from: scaleEntries + position, count: entry - position)
                (scaleEntries + position).initialize(
                    to: ScaleEntry(
                        day: result.day, classIndex: result.classIndex, scoresOffset: result.scoresStart,
                        itemsOffset: result.itemsStart, itemCount: result.itemCount))
                entry += 1
            }
        }
        precondition(entry == totalResults, "every result's scale is one of the schema's")
        scaleStart[scaleCount] = Int32(entry)
    }

    /// Whether the record holds an event or a scale result dated on or after `day` (a fact of the closure's own day
    /// may have come after it: life safety first) and on or before `asOf`, other than events of the kinds in
    /// `excluded` (what staff record about their own work): a risk fact that reopens a case closed on `day`. The second
    /// answer counts only facts a role that may not see sensitive facts may see (not of `sensitiveKinds` or
    /// `sensitiveScales`), so a view for it cannot learn from the status that a hidden fact came.
    package func hasFact(
        onOrAfter day: Int32, through asOf: Int32, excludingEventKinds excluded: Set<Int>, sensitiveKinds: Set<Int>,
        sensitiveScales: Set<Int>
    ) -> (any: Bool, visible: Bool) {
        var any = false
        for kind in 0..<eventKindCount where !excluded.contains(kind) {
            let start = Int(eventStart[kind])
            let end = Int(eventStart[kind + 1])
            for index in start..<end where eventDays[index] >= day && eventDays[index] <= asOf {
                if !sensitiveKinds.contains(kind) { return (true, true) }
                any = true
                break
            }
        }
        for scale in 0..<scaleCount {
            for index in Int(scaleStart[scale])..<Int(scaleStart[scale + 1])
            where scaleEntries[index].day >= day && scaleEntries[index].day <= asOf {
                if !sensitiveScales.contains(scale) { return (true, true) }
                any = true
                break
            }
        }
        return (any, false)
    }

    deinit {
        // Every part is a plain value type: freeing the block is enough.
        block.deallocate()
    }
}

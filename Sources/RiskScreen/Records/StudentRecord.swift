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
    var texts: [String?]
    let storage: RecordStorage

    init(
        id: String, location: SourceLocation?, values: [Double], texts: [String?], events: [[Int32]],
        scales: [[ScaleResult]]
    ) {
        self.id = id
        self.location = location
        self.texts = texts
        storage = RecordStorage(values: values, events: events, scales: scales)
    }

    /// The text of a text field, by the schema's field.
    public func text(_ field: Schema.Field) -> String? {
        guard case .text = field.type, field.slot < texts.count else { return nil }
        return texts[field.slot]
    }

    /// The non-empty text in a text slot, used to group students (dorm, class); nil when missing.
    func groupValue(slot: Int) -> String? {
        guard slot < texts.count, let text = texts[slot], !text.isEmpty else { return nil }
        return text
    }

    /// The value in a numeric slot (NaN when missing).
    func value(slot: Int) -> Double { slot < storage.valueCount ? storage.values[slot] : .nan }

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
    func scaleEntries(scaleIndex: Int) -> [ScaleEntry] {
        guard scaleIndex < storage.scaleCount else { return [] }
        let start = Int(storage.scaleStart[scaleIndex])
        let end = Int(storage.scaleStart[scaleIndex + 1])
        return Array(UnsafeBufferPointer(start: storage.scaleEntries + start, count: end - start))
    }
}

/// One administration of a scale as it is read: its day, named scores, item answers (if given) and class.
struct ScaleResult: Sendable {
    var day: Int32
    var scores: [Double]
    var items: [Double]
    var classIndex: Int32
}

/// One administration of a scale as it is stored: offsets into the record's flat score and item arrays.
struct ScaleEntry: Sendable {
    var day: Int32
    var classIndex: Int32
    var scoresOffset: Int32
    var itemsOffset: Int32
    var itemCount: Int32
}

/// A record's numbers, events and scale results in one block of memory owned by one object, never changed after
/// creation, so scoring reads them through pointers without reference counting.
///
/// The block holds, in order, what scoring reads most (values, scale scores, the start of each event kind and
/// scale, event days, scale entries) and then the scale items, which few conditions read: one allocation per
/// record, and the parts read together lie together.
final class RecordStorage: @unchecked Sendable {
    let valueCount: Int
    let values: UnsafeMutablePointer<Double>
    let eventKindCount: Int
    /// Event days grouped by kind, each group sorted.
    let eventDays: UnsafeMutablePointer<Int32>
    /// `eventStart[k] ..< eventStart[k + 1]` are kind k's days; kinds + 1 entries.
    let eventStart: UnsafeMutablePointer<Int32>
    let scaleCount: Int
    let scaleEntries: UnsafeMutablePointer<ScaleEntry>
    /// `scaleStart[s] ..< scaleStart[s + 1]` are scale s's entries; scales + 1 entries.
    let scaleStart: UnsafeMutablePointer<Int32>
    let scaleScores: UnsafeMutablePointer<Double>
    let scaleItems: UnsafeMutablePointer<Double>
    private let block: UnsafeMutableRawPointer

    init(values: [Double], events: [[Int32]], scales: [[ScaleResult]]) {
        valueCount = values.count
        eventKindCount = events.count
        scaleCount = scales.count
        let totalEvents = events.reduce(0) { $0 + $1.count }
        let totalResults = scales.reduce(0) { $0 + $1.count }
        let totalScores = scales.reduce(0) { $0 + $1.reduce(0) { $0 + $1.scores.count } }
        let totalItems = scales.reduce(0) { $0 + $1.reduce(0) { $0 + $1.items.count } }

        // Offsets of each part in the block, each aligned for its type (and at least one element, so every pointer
        // points into the block).
        var size = 0
        func reserve<T>(_ type: T.Type, _ count: Int) -> Int {
            size = (size + MemoryLayout<T>.alignment - 1) / MemoryLayout<T>.alignment * MemoryLayout<T>.alignment
            let offset = size
            size += MemoryLayout<T>.stride * max(1, count)
            return offset
        }
        let valuesOffset = reserve(Double.self, values.count)
        let scoresOffset = reserve(Double.self, totalScores)
        let eventStartOffset = reserve(Int32.self, events.count + 1)
        let scaleStartOffset = reserve(Int32.self, scales.count + 1)
        let eventDaysOffset = reserve(Int32.self, totalEvents)
        let entriesOffset = reserve(ScaleEntry.self, totalResults)
        let itemsOffset = reserve(Double.self, totalItems)
        block = .allocate(byteCount: size, alignment: 16)
        self.values = (block + valuesOffset).bindMemory(to: Double.self, capacity: max(1, values.count))
        scaleScores = (block + scoresOffset).bindMemory(to: Double.self, capacity: max(1, totalScores))
        eventStart = (block + eventStartOffset).bindMemory(to: Int32.self, capacity: events.count + 1)
        scaleStart = (block + scaleStartOffset).bindMemory(to: Int32.self, capacity: scales.count + 1)
        eventDays = (block + eventDaysOffset).bindMemory(to: Int32.self, capacity: max(1, totalEvents))
        scaleEntries = (block + entriesOffset).bindMemory(to: ScaleEntry.self, capacity: max(1, totalResults))
        scaleItems = (block + itemsOffset).bindMemory(to: Double.self, capacity: max(1, totalItems))

        self.values.initialize(from: values, count: values.count)
        var position = 0
        for (kind, days) in events.enumerated() {
            eventStart[kind] = Int32(position)
            let sorted = days.sorted()
            (eventDays + position).initialize(from: sorted, count: sorted.count)
            position += sorted.count
        }
        eventStart[events.count] = Int32(position)

        var entry = 0
        var scoreOffset = 0
        var itemOffset = 0
        for (scale, results) in scales.enumerated() {
            scaleStart[scale] = Int32(entry)
            for result in results.sorted(by: { $0.day < $1.day }) {
                (scaleScores + scoreOffset).initialize(from: result.scores, count: result.scores.count)
                (scaleItems + itemOffset).initialize(from: result.items, count: result.items.count)
                (scaleEntries + entry).initialize(
                    to: ScaleEntry(
                        day: result.day, classIndex: result.classIndex, scoresOffset: Int32(scoreOffset),
                        itemsOffset: Int32(itemOffset), itemCount: Int32(result.items.count)))
                entry += 1
                scoreOffset += result.scores.count
                itemOffset += result.items.count
            }
        }
        scaleStart[scales.count] = Int32(entry)
    }

    deinit {
        // Every part is a plain value type: freeing the block is enough.
        block.deallocate()
    }
}

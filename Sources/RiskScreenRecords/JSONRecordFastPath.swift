internal import Foundation
internal import RiskScreenRules
internal import RiskScreenSupport

/// Decodes one JSON Lines record straight into a ``StudentRecord`` without building nodes.
///
/// It takes only the plain form of a valid record — known keys once each, values of the right type and range,
/// strings without escapes, events as `{kind: [dates]}`, scales with item answers — and gives up (returns nil)
/// on anything else. The caller then reads the line the careful way, through ``JSONParser`` and
/// ``RecordDecoder``, which accepts the same records and explains every rejection. A test holds the two
/// paths to the same result.
struct JSONRecordFastPath: Sendable {
    private let schema: Schema
    private let fields: ByteKeyTable
    private let plans: [FieldPlan]
    /// Every enumeration's values, grouped by field index.
    private let enumerationValues: ByteKeyTable
    private let events: ByteKeyTable
    private let scales: ByteKeyTable
    private let requiredFields: [Int]
    /// Whether the schema declares case facts (whose companions are checked).
    private let hasCaseFacts: Bool

    init(schema: Schema) {
        self.schema = schema
        fields = ByteKeyTable(schema.fields.map(\.name))
        plans = schema.fields.map(FieldPlan.init)
        enumerationValues = ByteKeyTable(enumerationValuesOf: schema)
        events = ByteKeyTable(schema.eventKinds.map(\.name))
        scales = ByteKeyTable(schema.scales.map(\.name))
        requiredFields = schema.fields.indices.filter { schema.fields[$0].required }
        hasCaseFacts = !schema.caseFacts.fieldIndex.isEmpty
    }

    /// Flags kept from one line to the next so that a line allocates only what its record keeps.
    struct Scratch {
        var parts = RecordParts()
        var present: [Bool] = []
        var seen: [Bool] = []
        var seenKinds: [Bool] = []
        /// One administration's answers as they are read (room for ``RecordCoercion/maxItems``, made once).
        var answers: [Double] = []
    }

    /// The record on `range` of `bytes`, or nil when the line needs the careful reader.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String, line: Int) -> StudentRecord? {
        var scratch = Scratch()
        return decode(bytes, range: range, file: file, line: line, scratch: &scratch)
    }

    /// The record on `range` of `bytes`, or nil when the line needs the careful reader; `scratch` is reused.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String, line: Int, scratch: inout Scratch)
        -> StudentRecord?
    {
        var cursor = Cursor(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        cursor.skipSpace()
        let column = cursor.index - range.lowerBound + 1
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var id: String?
        scratch.parts.reset(for: schema)
        scratch.present.removeAll(keepingCapacity: true)
        scratch.present.append(contentsOf: repeatElement(false, count: plans.count))
        scratch.seen.removeAll(keepingCapacity: true)
        scratch.seen.append(contentsOf: repeatElement(false, count: plans.count))
        var seenEvents = false
        var seenScales = false
        // Records usually list their fields in the same order as the schema: the field after the last one is tried
        // before the table.
        var expected = 0
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "}")) { return nil }
        while true {
            cursor.skipSpace()
            guard let key = cursor.plainString() else { return nil }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return nil }
            cursor.skipSpace()
            if let index = fields.lookup(key, trying: expected) {
                expected = index + 1
                guard !scratch.present[index] else { return nil }
                scratch.present[index] = true
                scratch.seen[index] = true
                let plan = plans[index]
                if cursor.takeLiteral("null") {
                    scratch.seen[index] = false
                } else {
                    switch plan.kind {
                    case .text:
                        guard let text = cursor.plainString(), text.count <= RecordCoercion.maxTextBytes,
                            let string = RecordReader.string(validatingUTF8: text)
                        else { return nil }
                        scratch.parts.texts[plan.slot] = string
                    case .integer, .number:
                        guard let value = cursor.simpleNumber(), abs(value) <= RecordCoercion.maxMagnitude else {
                            return nil
                        }
                        if plan.kind == .integer, value != value.rounded() { return nil }
                        guard value >= plan.minimum, value <= plan.maximum else { return nil }
                        scratch.parts.values[plan.slot] = value
                    case .boolean:
                        if cursor.takeLiteral("true") {
                            scratch.parts.values[plan.slot] = 1
                        } else if cursor.takeLiteral("false") {
                            scratch.parts.values[plan.slot] = 0
                        } else {
                            return nil
                        }
                    case .date:
                        guard let text = cursor.plainString(), let day = Self.date(text) else { return nil }
                        scratch.parts.values[plan.slot] = Double(day)
                    case .enumeration:
                        guard let text = cursor.plainString(), let code = enumerationValues.lookup(text, group: index)
                        else { return nil }
                        scratch.parts.values[plan.slot] = Double(code)
                    }
                }
            } else if Self.equal(key, "id") {
                // plainString has refused C0 control characters already.
                guard id == nil, let text = cursor.plainString(), !text.isEmpty,
                    let string = RecordReader.string(validatingUTF8: text),
                    string.count <= RecordCoercion.maxIDLength,
                    text.allSatisfy({ $0 < 0x7F }) || !PrintableText.needsEscape(string)
                else { return nil }
                id = string
            } else if Self.equal(key, "events") {
                guard !seenEvents, decodeEvents(&cursor, scratch: &scratch) else { return nil }
                seenEvents = true
            } else if Self.equal(key, "scales") {
                guard !seenScales, decodeScales(&cursor, scratch: &scratch) else { return nil }
                seenScales = true
            } else {
                return nil
            }
            cursor.skipSpace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            guard cursor.take(UInt8(ascii: "}")) else { return nil }
            break
        }
        cursor.skipSpace()
        guard cursor.index == cursor.end, let id else { return nil }
        for index in requiredFields where !scratch.seen[index] { return nil }
        // A case fact without its companion: the careful path says which.
        if hasCaseFacts, schema.caseFacts.missingCompanion(given: { scratch.seen[$0] }) != nil { return nil }
        return StudentRecord(
            id: id, location: SourceLocation(file: file, line: line, column: column), parts: scratch.parts,
            schema: schema)
    }

    private func decodeEvents(_ cursor: inout Cursor, scratch: inout Scratch) -> Bool {
        guard cursor.take(UInt8(ascii: "{")) else { return false }
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "}")) { return true }
        scratch.seenKinds.removeAll(keepingCapacity: true)
        scratch.seenKinds.append(contentsOf: repeatElement(false, count: schema.eventKinds.count))
        while true {
            cursor.skipSpace()
            guard let key = cursor.plainString(), let kind = events.lookup(key), !scratch.seenKinds[kind] else {
                return false
            }
            scratch.seenKinds[kind] = true
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return false }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: "[")) else { return false }
            cursor.skipSpace()
            if !cursor.take(UInt8(ascii: "]")) {
                while true {
                    cursor.skipSpace()
                    // More events than one kind may hold in all is left to the careful reader, which counts per kind.
                    guard let text = cursor.plainString(), let day = Self.date(text),
                        scratch.parts.eventDays.count < RecordCoercion.maxListLength
                    else { return false }
                    scratch.parts.addEvent(kind: kind, day: day)
                    cursor.skipSpace()
                    if cursor.take(UInt8(ascii: ",")) { continue }
                    guard cursor.take(UInt8(ascii: "]")) else { return false }
                    break
                }
            }
            cursor.skipSpace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            return cursor.take(UInt8(ascii: "}"))
        }
    }

    private func decodeScales(_ cursor: inout Cursor, scratch: inout Scratch) -> Bool {
        guard cursor.take(UInt8(ascii: "[")) else { return false }
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "]")) { return true }
        while true {
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: "{")) else { return false }
            var scaleIndex: Int?
            var day: Int32?
            var itemsStart: Int?
            while true {
                cursor.skipSpace()
                guard let key = cursor.plainString() else { return false }
                cursor.skipSpace()
                guard cursor.take(UInt8(ascii: ":")) else { return false }
                cursor.skipSpace()
                if Self.equal(key, "scale") {
                    guard scaleIndex == nil, let name = cursor.plainString(), let found = scales.lookup(name) else {
                        return false
                    }
                    scaleIndex = found
                } else if Self.equal(key, "date") {
                    guard day == nil, let text = cursor.plainString(), let found = Self.date(text) else { return false }
                    day = found
                } else if Self.equal(key, "items") {
                    guard itemsStart == nil, cursor.take(UInt8(ascii: "[")) else { return false }
                    itemsStart = scratch.parts.items.count
                    guard let count = Self.readAnswers(&cursor, into: &scratch.answers) else { return false }
                    scratch.parts.items += scratch.answers[..<count]
                } else {
                    return false
                }
                cursor.skipSpace()
                if cursor.take(UInt8(ascii: ",")) { continue }
                guard cursor.take(UInt8(ascii: "}")) else { return false }
                break
            }
            // This administration's answers are the last ones added to the parts' items.
            guard let scaleIndex, let day, let itemsStart else { return false }
            // The scale is read in place: passed as a value, the whole definition was copied per administration.
            let added = schema.scales.withUnsafeBufferPointer { scales in
                guard let first = scales.baseAddress else { return false }
                let scale = first + scaleIndex
                guard scratch.parts.items.count - itemsStart == scale.pointee.itemCount,
                    Self.answersInRange(scratch.parts.items[itemsStart...], of: scale)
                else { return false }
                scratch.parts.addResult(of: scale, day: day, itemsStart: itemsStart)
                return true
            }
            guard added else { return false }
            cursor.skipSpace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            return cursor.take(UInt8(ascii: "]"))
        }
    }

    /// The answers of one administration, after its opening bracket up to and past its closing one, written from the
    /// start of `answers` (made ``RecordCoercion/maxItems`` long the first time): how many, or nil when the list is
    /// not plainly written or longer. Written in place and added to the record's items at once: appended one by one,
    /// each answer paid for a check that the items were not shared. A single digit followed by a comma or the bracket
    /// (nearly every answer) is read without ``Cursor/simpleNumber()``, which would read it as the same number.
    private static func readAnswers(_ cursor: inout Cursor, into answers: inout [Double]) -> Int? {
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "]")) { return 0 }
        if answers.count < RecordCoercion.maxItems {
            answers = Array(repeating: 0, count: RecordCoercion.maxItems)
        }
        return answers.withUnsafeMutableBufferPointer { buffer -> Int? in
            var count = 0
            while true {
                cursor.skipSpace()
                guard count < RecordCoercion.maxItems else { return nil }
                let index = cursor.index
                if index + 1 < cursor.end, cursor.bytes[index] &- 0x30 < 10,
                    cursor.bytes[index + 1] == UInt8(ascii: ",") || cursor.bytes[index + 1] == UInt8(ascii: "]")
                {
                    buffer[count] = Double(cursor.bytes[index] &- 0x30)
                    cursor.index = index + 1
                } else {
                    guard let value = cursor.simpleNumber() else { return nil }
                    buffer[count] = value
                }
                count += 1
                cursor.skipSpace()
                if cursor.take(UInt8(ascii: ",")) { continue }
                return cursor.take(UInt8(ascii: "]")) ? count : nil
            }
        }
    }

    private static func answersInRange(_ answers: ArraySlice<Double>, of scale: UnsafePointer<ScaleDefinition>) -> Bool
    {
        let (minimum, maximum) = (scale.pointee.minimumAnswer, scale.pointee.maximumAnswer)
        return answers.allSatisfy { RecordCoercion.isValidAnswer($0, minimum: minimum, maximum: maximum) }
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let start = word.utf8Start
        for index in 0..<bytes.count where bytes[index] != start[index] { return false }
        return true
    }

    private static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        CivilDate(isoUTF8: bytes).map { Int32($0.dayNumber) }
    }

    /// A position in one line of JSON.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        mutating func skipSpace() {
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func takeLiteral(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= end else { return false }
            let start = word.utf8Start
            for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
            index += count
            return true
        }

        /// A string without escapes or control characters, as its bytes (not yet checked as UTF-8).
        mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // Eight bytes at a time up to the first that may end the string or refuse it; the loop below decides.
            if let base = bytes.baseAddress {
                while index + 8 <= end {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    let stops = Self.stopBytes(word)
                    if stops != 0 {
                        index += stops.trailingZeroBitCount / 8
                        break
                    }
                    index += 8
                }
            }
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        /// The high bit of each byte of `word` (little-endian) that is a quote, a backslash or below 0x20; exact up
        /// to the first such byte (a borrow may mark bytes after it).
        private static func stopBytes(_ word: UInt64) -> UInt64 {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let zeroQuote = (quote &- ones) & ~quote
            let zeroBackslash = (backslash &- ones) & ~backslash
            let control = (word &- ones &* 0x20) & ~word
            return (zeroQuote | zeroBackslash | control) & (ones &* 0x80)
        }

        /// A plainly written number (``RecordCoercion/plainDecimal(_:at:end:)``); anything else is left to the
        /// careful reader, which applies ``RecordCoercion`` and explains a refusal.
        mutating func simpleNumber() -> Double? {
            RecordCoercion.plainDecimal(bytes, at: &index, end: end)
        }
    }
}

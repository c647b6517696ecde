internal import Foundation

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
    private let enumerationValues: [ByteKeyTable?]
    private let events: ByteKeyTable
    private let scales: ByteKeyTable
    private let requiredFields: [Int]

    init(schema: Schema) {
        self.schema = schema
        fields = ByteKeyTable(schema.fields.map(\.name))
        enumerationValues = schema.fields.map { field in
            if case .enumeration(let values) = field.type { return ByteKeyTable(values) }
            return nil
        }
        events = ByteKeyTable(schema.eventKinds.map(\.name))
        scales = ByteKeyTable(schema.scales.map(\.name))
        requiredFields = schema.fields.indices.filter { schema.fields[$0].required }
    }

    /// The record on `range` of `bytes`, or nil when the line needs the careful reader.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String, line: Int) -> StudentRecord? {
        var cursor = Cursor(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        cursor.skipSpace()
        let column = cursor.index - range.lowerBound + 1
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var id: String?
        var values = [Double](repeating: .nan, count: schema.valueSlotCount)
        var texts = [String?](repeating: nil, count: schema.textSlotCount)
        var eventDays = [[Int32]](repeating: [], count: schema.eventKinds.count)
        var scaleResults = [[ScaleResult]](repeating: [], count: schema.scales.count)
        var present = [Bool](repeating: false, count: schema.fields.count)
        var seen = [Bool](repeating: false, count: schema.fields.count)
        var seenEvents = false
        var seenScales = false
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "}")) { return nil }
        while true {
            cursor.skipSpace()
            guard let key = cursor.plainString() else { return nil }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return nil }
            cursor.skipSpace()
            if let index = fields.lookup(key) {
                guard !present[index] else { return nil }
                present[index] = true
                seen[index] = true
                let field = schema.fields[index]
                if cursor.takeLiteral("null") {
                    seen[index] = false
                } else {
                    switch field.type {
                    case .text:
                        guard let text = cursor.plainString(), text.count <= RecordDecoder.maxTextLength,
                            let string = String(validating: text, as: UTF8.self)
                        else { return nil }
                        texts[field.slot] = string
                    case .integer, .number:
                        guard let value = cursor.simpleNumber(), abs(value) <= 1e9 else { return nil }
                        if field.type == .integer, value != value.rounded() { return nil }
                        if let minimum = field.minimum, value < minimum { return nil }
                        if let maximum = field.maximum, value > maximum { return nil }
                        values[field.slot] = value
                    case .boolean:
                        if cursor.takeLiteral("true") {
                            values[field.slot] = 1
                        } else if cursor.takeLiteral("false") {
                            values[field.slot] = 0
                        } else {
                            return nil
                        }
                    case .date:
                        guard let text = cursor.plainString(), let day = Self.date(text) else { return nil }
                        values[field.slot] = Double(day)
                    case .enumeration:
                        guard let text = cursor.plainString(), let code = enumerationValues[index]?.lookup(text) else { return nil }
                        values[field.slot] = Double(code)
                    }
                }
            } else if Self.equal(key, "id") {
                guard id == nil, let text = cursor.plainString(), !text.isEmpty, let string = String(validating: text, as: UTF8.self),
                    string.count <= 128
                else { return nil }
                id = string
            } else if Self.equal(key, "events") {
                guard !seenEvents, decodeEvents(&cursor, into: &eventDays) else { return nil }
                seenEvents = true
            } else if Self.equal(key, "scales") {
                guard !seenScales, decodeScales(&cursor, into: &scaleResults) else { return nil }
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
        for index in requiredFields where !seen[index] { return nil }
        return StudentRecord(
            id: id, location: SourceLocation(file: file, line: line, column: column), values: values, texts: texts,
            events: eventDays, scales: scaleResults)
    }

    private func decodeEvents(_ cursor: inout Cursor, into days: inout [[Int32]]) -> Bool {
        guard cursor.take(UInt8(ascii: "{")) else { return false }
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "}")) { return true }
        var seenKinds = [Bool](repeating: false, count: days.count)
        while true {
            cursor.skipSpace()
            guard let key = cursor.plainString(), let kind = events.lookup(key), !seenKinds[kind] else { return false }
            seenKinds[kind] = true
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return false }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: "[")) else { return false }
            cursor.skipSpace()
            if !cursor.take(UInt8(ascii: "]")) {
                while true {
                    cursor.skipSpace()
                    guard let text = cursor.plainString(), let day = Self.date(text),
                        days[kind].count < RecordDecoder.maxListLength
                    else { return false }
                    days[kind].append(day)
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

    private func decodeScales(_ cursor: inout Cursor, into results: inout [[ScaleResult]]) -> Bool {
        guard cursor.take(UInt8(ascii: "[")) else { return false }
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "]")) { return true }
        while true {
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: "{")) else { return false }
            var scaleIndex: Int?
            var day: Int32?
            var answers: [Double]?
            while true {
                cursor.skipSpace()
                guard let key = cursor.plainString() else { return false }
                cursor.skipSpace()
                guard cursor.take(UInt8(ascii: ":")) else { return false }
                cursor.skipSpace()
                if Self.equal(key, "scale") {
                    guard scaleIndex == nil, let name = cursor.plainString(), let found = scales.lookup(name) else { return false }
                    scaleIndex = found
                } else if Self.equal(key, "date") {
                    guard day == nil, let text = cursor.plainString(), let found = Self.date(text) else { return false }
                    day = found
                } else if Self.equal(key, "items") {
                    guard answers == nil, cursor.take(UInt8(ascii: "[")) else { return false }
                    var list: [Double] = []
                    cursor.skipSpace()
                    if !cursor.take(UInt8(ascii: "]")) {
                        while true {
                            cursor.skipSpace()
                            guard let value = cursor.simpleNumber(), list.count < 1000 else { return false }
                            list.append(value)
                            cursor.skipSpace()
                            if cursor.take(UInt8(ascii: ",")) { continue }
                            guard cursor.take(UInt8(ascii: "]")) else { return false }
                            break
                        }
                    }
                    answers = list
                } else {
                    return false
                }
                cursor.skipSpace()
                if cursor.take(UInt8(ascii: ",")) { continue }
                guard cursor.take(UInt8(ascii: "}")) else { return false }
                break
            }
            guard let scaleIndex, let day, let answers else { return false }
            let scale = schema.scales[scaleIndex]
            guard answers.count == scale.itemCount,
                answers.allSatisfy({ $0 >= scale.minimumAnswer && $0 <= scale.maximumAnswer })
            else { return false }
            let scores = scale.computeScores(items: answers)
            results[scaleIndex].append(
                ScaleResult(day: day, scores: scores, items: answers, classIndex: scale.classify(scores: scores, items: answers)))
            cursor.skipSpace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            return cursor.take(UInt8(ascii: "]"))
        }
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

        /// A number written as an optional minus, up to 15 digits, and an optional fraction: exactly the value
        /// `Double(text)` gives, since both the digits and the power of ten are exact doubles and one division
        /// rounds correctly. Anything longer or with an exponent is left to the careful reader.
        mutating func simpleNumber() -> Double? {
            var position = index
            var negative = false
            if position < end, bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            var mantissa: Int64 = 0
            var digits = 0
            var fractionDigits = 0
            var seenPoint = false
            while position < end {
                let byte = bytes[position]
                if byte >= 48, byte <= 57 {
                    mantissa = mantissa * 10 + Int64(byte - 48)
                    digits += 1
                    if seenPoint { fractionDigits += 1 }
                } else if byte == UInt8(ascii: "."), !seenPoint {
                    seenPoint = true
                } else {
                    break
                }
                position += 1
            }
            guard digits > 0, digits <= 15 else { return nil }
            if seenPoint, fractionDigits == 0 { return nil }
            if position < end {
                let next = bytes[position]
                if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") || next == UInt8(ascii: "+") { return nil }
            }
            index = position
            let powers: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]
            let value = Double(mantissa) / powers[fractionDigits]
            return negative ? -value : value
        }
    }
}

/// A small open-addressing table from names to indices, looked up by raw bytes so no string is made.
struct ByteKeyTable: Sendable {
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let slots: [Int32]
    private let mask: Int

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var offsets = [0]
        for name in names {
            bytes += Array(name.utf8)
            offsets.append(bytes.count)
        }
        var size = 8
        while size < names.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for index in names.indices {
            var slot = bytes.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]))
            } & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index)
        }
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        mask = size - 1
    }

    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { stored in
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                let start = offsets[index]
                let count = offsets[index + 1] - start
                if count == key.count, let storedBase = stored.baseAddress, let keyBase = key.baseAddress,
                    memcmp(storedBase + start, keyBase, count) == 0
                {
                    return index
                }
                if count == 0, key.isEmpty { return index }
                slot = (slot + 1) & mask
            }
        }
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: value >> 1)
    }
}

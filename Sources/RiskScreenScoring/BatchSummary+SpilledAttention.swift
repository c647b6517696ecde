@_spi(RiskScreenStorage) internal import RiskScreenSupport

extension BatchSummary.Builder {
    /// Entries added to the attention list and not yet taken (``takeAttention()``).
    package var heldAttentionCount: Int { attention.count }

    /// The entries added to the attention list since the last take, as bytes, and forgotten here: for a caller that
    /// keeps a long batch's list in a file while the batch is gathered (at a million students the list is hundreds
    /// of thousands of entries), and gives the bytes back, in order, before the summary (``restoreAttention(_:)``).
    /// The bytes hold what the list shows of each student, as this builder's audience sees it, and nothing more.
    package mutating func takeAttention() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(attention.count * 48)
        for position in attention.indices { attention[position].append(to: &bytes) }
        attentionTaken += attention.count
        attention = BlockColumn()
        return bytes
    }

    /// Puts back the entries taken before (``takeAttention()``), before those added since: `nextPiece` gives the bytes
    /// of every take, in order, a piece at a time (cut anywhere), and nil after the last. False when the bytes end
    /// inside an entry (cut short), with the list as it was.
    package mutating func restoreAttention(_ nextPiece: () throws -> [UInt8]?) rethrows -> Bool {
        var restored = BlockColumn<PendingEntry>()
        var pending: [UInt8] = []
        while let piece = try nextPiece() {
            if pending.isEmpty { pending = piece } else { pending += piece }
            var offset = 0
            while let entry = PendingEntry(pending, at: &offset) { restored.append(entry) }
            pending.removeFirst(offset)
        }
        guard pending.isEmpty else { return false }
        for position in attention.indices { restored.append(attention[position]) }
        attention = restored
        attentionTaken = 0
        return true
    }
}

extension BatchSummary.Builder.PendingEntry {
    /// Appends the entry as bytes: its numbers (8 bytes each for the position and the score, 4 for the others, in
    /// the machine's own order: the bytes are read back by the same process), then the id's length and its UTF-8
    /// bytes.
    func append(to bytes: inout [UInt8]) {
        bytes.appendBytes(of: Int64(index))
        bytes.appendBytes(of: score.bitPattern)
        bytes.appendBytes(of: group)
        bytes.appendBytes(of: levelRank)
        bytes.appendBytes(of: reason)
        bytes.appendBytes(of: route)
        var id = studentID
        id.withUTF8 { utf8 in
            bytes.appendBytes(of: UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Bytes before the id's in ``append(to:)``.
    private static let fixedSize = 8 + 8 + 4 * 4 + 4

    /// The entry ``append(to:)`` wrote at `offset` of `bytes`, and `offset` moved past it; nil when the bytes end
    /// first (`offset` unchanged).
    init?(_ bytes: [UInt8], at offset: inout Int) {
        guard bytes.count - offset >= Self.fixedSize else { return nil }
        var entry: Self?
        var end = offset
        bytes.withUnsafeBytes { raw in
            var cursor = offset
            func take<Number: FixedWidthInteger>(_: Number.Type) -> Number {
                defer { cursor += MemoryLayout<Number>.size }
                return raw.loadUnaligned(fromByteOffset: cursor, as: Number.self)
            }
            let index = Int(take(Int64.self))
            let score = Double(bitPattern: take(UInt64.self))
            let (group, levelRank, reason, route) = (
                take(Int32.self), take(Int32.self), take(Int32.self), take(Int32.self)
            )
            let length = Int(take(UInt32.self))
            guard raw.count - cursor >= length else { return }
            let id = String(decoding: UnsafeRawBufferPointer(rebasing: raw[cursor..<(cursor + length)]), as: UTF8.self)
            entry = Self(
                index: index, score: score, studentID: id, group: group, levelRank: levelRank, reason: reason,
                route: route)
            end = cursor + length
        }
        guard let entry else { return nil }
        self = entry
        offset = end
    }
}

internal import Foundation

/// A small open-addressing table from names to indices, looked up by raw bytes so no string is made.
///
/// Names may be split into groups (one table for the values of several enumerations): a name is then found only
/// within its group, and its index is its position within the group.
struct ByteKeyTable: Sendable {
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let groups: [Int]
    private let results: [Int]
    private let slots: [Int32]
    private let mask: Int

    /// A table of `names`; `groups[i]` is name i's group (all 0 when nil).
    init(_ names: [String], groups: [Int]? = nil, indexWithinGroup: Bool = false) {
        let groups = groups ?? [Int](repeating: 0, count: names.count)
        precondition(groups.count == names.count, "one group per name")
        var bytes: [UInt8] = []
        var offsets = [0]
        var results: [Int] = []
        var counts: [Int: Int] = [:]
        for (index, name) in names.enumerated() {
            bytes += Array(name.utf8)
            offsets.append(bytes.count)
            results.append(indexWithinGroup ? counts[groups[index], default: 0] : index)
            counts[groups[index], default: 0] += 1
        }
        var size = 8
        while size < names.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for index in names.indices {
            var slot =
                bytes.withUnsafeBufferPointer {
                    Self.hash(
                        UnsafeBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]), group: groups[index])
                } & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index)
        }
        self.bytes = bytes
        self.offsets = offsets
        self.groups = groups
        self.results = results
        self.slots = slots
        mask = size - 1
    }

    /// The index of `key` in `group`, or nil.
    func lookup(_ key: UnsafeBufferPointer<UInt8>, group: Int = 0) -> Int? {
        var slot = Self.hash(key, group: group) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if groups[index] == group, matches(key, index) { return results[index] }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, comparing it first with name `guess` (for keys that usually come in a known order).
    func lookup(_ key: UnsafeBufferPointer<UInt8>, trying guess: Int) -> Int? {
        if guess < results.count, groups[guess] == 0, matches(key, guess) { return results[guess] }
        return lookup(key)
    }

    private func matches(_ key: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let start = offsets[index]
        let count = offsets[index + 1] - start
        guard count == key.count else { return false }
        if count == 0 { return true }
        return bytes.withUnsafeBufferPointer { stored in
            guard let storedBase = stored.baseAddress, let keyBase = key.baseAddress else { return false }
            return memcmp(storedBase + start, keyBase, count) == 0
        }
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>, group: Int) -> Int {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: group &* 0x9E37_79B9)
        for byte in key {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: value >> 1)
    }
}

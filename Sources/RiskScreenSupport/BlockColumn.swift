/// A column that grows at its end, kept in blocks of 65,536 values: past the first block (which grows as an array, so
/// that a short column stays small), appending never moves what is kept, and the memory held is the values and at
/// most one block more (an array that doubles holds up to twice its values, and three times while it moves them). For
/// what a run keeps of every student of a cohort.
///
/// Public only to the stages that import its SPI, and inlinable, so that each specializes it for its values: this
/// toolchain does not specialize an inlinable `package` generic in another module, and every unspecialized access
/// looked up type metadata at run time (a fifth more processor time for a cohort).
@_spi(RiskScreenStorage) public struct BlockColumn<Element> {
    @usableFromInline var blocks: [[Element]] = []

    /// Values in each full block.
    @inlinable static var blockSize: Int { 1 << 16 }

    /// Values so far.
    @usableFromInline var storedCount = 0

    /// Values so far.
    @inlinable public var count: Int { storedCount }

    /// An empty column.
    @inlinable public init() {}

    /// Adds `value` at the end.
    @inlinable public mutating func append(_ value: Element) {
        if count % Self.blockSize == 0 {
            // The first block grows as an array (a short column stays small); each later one is made full size.
            var block: [Element] = []
            if count > 0 { block.reserveCapacity(Self.blockSize) }
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(value)
        storedCount += 1
    }

    /// The value at `position` (0 up to ``count``).
    @inlinable public subscript(position: Int) -> Element {
        get { blocks[position / Self.blockSize][position % Self.blockSize] }
        set { blocks[position / Self.blockSize][position % Self.blockSize] = newValue }
    }
}

extension BlockColumn: RandomAccessCollection {
    /// 0.
    @inlinable public var startIndex: Int { 0 }
    /// ``count``.
    @inlinable public var endIndex: Int { count }
}

extension BlockColumn: Sendable where Element: Sendable {}

/// A column of offsets (into a file: rarely past 4 GB, and then for long runs) in 4 bytes each: the low 32 bits of
/// each, and the high bits once per run of offsets that share them.
package struct OffsetColumn: Sendable {
    private var low = BlockColumn<UInt32>()
    /// The first position of each run of offsets with the same high bits, and those bits.
    private var runStarts: [Int] = []
    private var runHighs: [Int] = []

    /// An empty column.
    package init() {}

    /// Offsets so far.
    package var count: Int { low.count }

    /// The last offset, nil when there is none.
    package var last: Int? { count == 0 ? nil : self[count - 1] }

    /// Adds `offset` at the end.
    package mutating func append(_ offset: Int) {
        let high = offset >> 32
        if runHighs.last != high {
            runStarts.append(low.count)
            runHighs.append(high)
        }
        low.append(UInt32(truncatingIfNeeded: offset))
    }

    /// The offset at `position` (0 up to ``count``).
    package subscript(position: Int) -> Int {
        runHighs[Self.lastRun(startingAtOrBefore: position, in: runStarts)] << 32 | Int(low[position])
    }

    /// The last of the runs beginning at `starts` (ascending, the first at 0) that begins at or before `position`.
    package static func lastRun(startingAtOrBefore position: Int, in starts: [Int]) -> Int {
        var (lower, upper) = (0, starts.count)
        while upper - lower > 1 {
            let middle = (lower + upper) / 2
            if starts[middle] <= position { lower = middle } else { upper = middle }
        }
        return lower
    }
}

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

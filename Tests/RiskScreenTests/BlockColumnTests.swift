import Testing

@_spi(RiskScreenStorage) @testable import RiskScreenSupport

/// The columns a streamed run keeps of every student read back what was put in, across blocks.
@Suite struct BlockColumnTests {
    @Test func aColumnReadsBackEveryValueAcrossItsBlocks() {
        var column = BlockColumn<Int32>()
        #expect(column.isEmpty)
        for value in 0..<200_000 { column.append(Int32(value) &* 7) }
        #expect(column.count == 200_000)
        #expect(column.indices == 0..<200_000)
        #expect(column.enumerated().allSatisfy { $0.element == Int32($0.offset) &* 7 })
        column[65_535] = -1
        column[65_536] = -2
        #expect(Array(column[65_534...65_537]) == [65_534 * 7, -1, -2, 65_537 * 7])
    }
}

import Testing

@_spi(RiskScreenStorage) @testable import RiskScreenSupport

/// The columns a streamed run keeps of every student read back what was put in, across blocks and past 4 GB.
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

    @Test func offsetsPastFourGigabytesAndBackReadBackExactly() {
        // Two files: the first past 4 GB and 8 GB, the second from 0 again; runs of one high part and alternations.
        let offsets =
            [0, 17, 4_294_967_295, 4_294_967_296, 4_294_967_300, 9_000_000_000, 0, 5, 4_294_967_296, 3]
            + (0..<70_000).map { $0 * 61_357 }
        var column = OffsetColumn()
        #expect(column.last == nil)
        for offset in offsets { column.append(offset) }
        #expect(column.count == offsets.count)
        #expect(offsets.indices.allSatisfy { column[$0] == offsets[$0] })
        #expect(column.last == offsets.last)
    }
}

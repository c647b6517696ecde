import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

@Suite struct CSVTableTests {
    /// Text without quotes is split into rows by lines; that must find exactly the rows the RFC 4180 parser finds.
    @Test func textWithoutQuotesIsSplitAsTheParserSplitsIt() throws {
        let pieces: [[UInt8]] = [",", "\n", "\r", "\r\n", "a", "é", " ", "12", ",,"].map { Array($0.utf8) }
        var random = SplitMix64(seed: 7)
        var compared = 0
        for _ in 0..<3000 {
            var text: [UInt8] = []
            for _ in 0..<Int(random.next() % 12) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            try text.withUnsafeBufferPointer { buffer in
                let fast = try #require(CSVTable.quoteFreeRows(of: buffer))
                let (rows, faults) = try CSVTable.rows(of: buffer, file: "t.csv").get()
                #expect(faults.isEmpty)
                #expect(fast == rows, "\(String(decoding: text, as: UTF8.self).debugDescription)")
                compared += 1
            }
        }
        #expect(compared == 3000)
    }

    @Test func textWithAQuoteOrALongLineIsLeftToTheParser() {
        #expect(Array("id\nA,\"x\"\n".utf8).withUnsafeBufferPointer { CSVTable.quoteFreeRows(of: $0) } == nil)
        let long = Array("id\n".utf8) + [UInt8](repeating: 0x41, count: CSVTable.maxCellBytes + 1)
        #expect(long.withUnsafeBufferPointer { CSVTable.quoteFreeRows(of: $0) } == nil)
        // The parser refuses the row whose cell is too long, and reads on.
        let table = try? CSVTable.parse(long + Array("\nB\n".utf8), file: "t.csv")
        #expect(table?.rows.map { $0.fault?.message.hasPrefix("found a field longer than") ?? false } == [true, false])
    }

    @Test func aCellsPlaceCountsCharactersAndLinesWithinItsRow() throws {
        let table = try CSVTable.parse(Array("id,college\n文,\"a\nb\",x\n".utf8), file: "t.csv")
        let cells = table.rows[0].cells
        #expect(cells.map(\.text) == ["文", "a\nb", "x"])
        #expect(cells.map { "\($0.line):\($0.column)" } == ["2:1", "2:3", "3:4"])
    }
}

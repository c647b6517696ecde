import Testing

@_spi(RiskScreenStorage) @testable import RiskScreenSupport

/// The numbers a streamed run keeps of every student, kept as steps, read back exactly.
@Suite("step column")
struct StepColumnTests {
    @Test("every value reads back: small steps, steps too large, lower values, negative ones, and the extremes of Int")
    func everyValueReadsBack() {
        // Line starts of two files (the second from 0 again), a line longer than two bytes of step, equal values,
        // and a run of random steps across many anchors.
        var values = [
            0, 1_400, 2_801, 2_801, 2_801 + 65_534, 2_801 + 65_534 + 65_535, 4_294_967_295, 4_294_967_296,
            9_000_000_000, 0, 5, -3, 70_000, .min,
            .max, .min,
        ]
        var value = 0
        // Steps of a fixed mix (the same every run): mostly under 300, every seventh from 65,000 up to 74,990.
        for step in 0..<5_000 {
            let mixed = (step &* 2_654_435_761) % 1_000
            value += step % 7 == 0 ? 65_000 + mixed * 10 : mixed % 300
            values.append(value)
        }
        var wide = StepColumn<UInt16>()
        var narrow = StepColumn<UInt8>()
        #expect(wide.last == nil)
        for value in values {
            wide.append(value)
            narrow.append(value)
        }
        #expect(wide.count == values.count && narrow.count == values.count)
        #expect(values.indices.allSatisfy { wide[$0] == values[$0] })
        #expect(values.indices.allSatisfy { narrow[$0] == values[$0] })
        #expect(wide.last == values.last && narrow.last == values.last)
    }
}

import Testing

@_spi(RiskScreenStorage) @testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// Ids kept as what each adds to the one before give back every text as it was appended, and take a few bytes each
/// when read in order.
@Suite struct FrontCodedTextsTests {
    @Test func everyTextComesBackAsItWasAppended() {
        // Shared starts of every length (all of the text before, none, longer than the text), empty texts, repeats,
        // lengths past 127 and 16,383 bytes (two and three bytes for a length), letters of two to four bytes, and
        // runs longer than the 32 texts between two kept whole.
        var texts: [[UInt8]] = [[], [], Array("S0000001".utf8), Array("S0000001".utf8), Array("S00000010".utf8)]
        texts += [Array("S0".utf8), Array("学号2023".utf8), Array("学号2024😀".utf8), Array("学".utf8), []]
        texts.append([UInt8](repeating: 0x41, count: 200))
        texts.append([UInt8](repeating: 0x41, count: 20_000) + [0x42])
        texts.append([UInt8](repeating: 0x41, count: 300))
        var generator = SplitMix64(seed: 7)
        for number in 0..<5_000 {
            switch number % 5 {
            case 0: texts.append(Array("S\(String(1_000_000 + number))".utf8))
            case 1: texts.append(Array("2023\(generator.below(1_000_000))".utf8))
            case 2:
                texts.append(
                    (0..<generator.below(12)).map { _ in
                        UInt8(0x30 + generator.below(3))
                    })
            case 3: texts.append(texts[texts.count - 1] + [0x0A])
            default: texts.append(Array(texts[texts.count - 1].prefix(3)))
            }
        }
        var coded = FrontCodedTexts()
        // Bytes in an array, and every third text from a collection with no contiguous storage (copied first).
        for (position, text) in texts.enumerated() {
            if position % 3 == 0 { coded.append(text.lazy.map { $0 }) } else { coded.append(text) }
        }
        #expect(coded.count == texts.count)
        let wrong = texts.indices.filter { coded.text($0) != texts[$0] }
        #expect(wrong.isEmpty, "\(wrong.count) texts read back wrong, the first at \(wrong.first ?? -1)")
        // Read again out of order: a text depends only on the ones since the last kept whole.
        for position in [texts.count - 1, 0, 33, 32, 31, 64, 12, 11] {
            #expect(coded.text(position) == texts[position], "text \(position)")
        }
    }

    @Test func aStringsOwnUTF8IsTakenAsItIs() {
        // Native strings longer than 15 bytes (kept out of line), of one- to four-byte letters, and short ones.
        let ids = (0..<100).map { "学号\(2_023_010_400 + $0)" + ($0 % 7 == 0 ? "😀" : "") } + ["S1", "", "S12", "é"]
        var coded = FrontCodedTexts()
        for id in ids { coded.append(id.utf8) }
        #expect(ids.indices.allSatisfy { String(decoding: coded.text($0), as: UTF8.self) == ids[$0] })
    }

    @Test func studentNumbersReadInOrderTakeAboutThreeBytesEach() {
        var coded = FrontCodedTexts()
        var whole = 0
        for number in 1...100_000 {
            let id = "S" + String(number).leftPadded(to: 7)
            whole += id.utf8.count
            coded.append(id.utf8)
        }
        // The shared length, the rest's length and the last digit or two; every 32nd id whole.
        #expect(coded.byteCount < 340_000, "\(coded.byteCount) bytes for 100,000 ids of 8 bytes")
        #expect(whole == 800_000)
        #expect(String(decoding: coded.text(99_999), as: UTF8.self) == "S0100000")
        #expect(String(decoding: coded.text(31_999), as: UTF8.self) == "S0032000")
    }
}

extension String {
    /// The text with zeros before it, `width` characters at least.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

import Foundation
import Testing

@testable import RiskScreenCommand

/// The scratch file the command keeps a result or a summary in until it may be shown.
@Suite("spool file")
struct SpoolFileTests {
    /// Lines of one, two, three and four bytes a character, one longer than the pieces, and no line feed at the end.
    static let text = Array(
        (["S001  crisis  文学院  中文2025级1班", "", String(repeating: "长", count: 40) + " 😀 é", "last line without a feed"]
            .joined(separator: "\n")).utf8)

    @Test(
        "reading back in pieces gives every byte once, in whole lines, never split inside a character",
        arguments: [1, 2, 3, 7, 64, 4 << 20])
    func readingBackInPiecesGivesWholeLines(piece: Int) throws {
        let spool = try SpoolFile(near: nil)
        // Written in uneven stretches, as the summary is flushed.
        for stretch in stride(from: 0, to: Self.text.count, by: 5) {
            try spool.write(Array(Self.text[stretch..<min(Self.text.count, stretch + 5)]))
        }
        var pieces: [[UInt8]] = []
        try spool.readLines(piece: piece) { pieces.append(Array($0)) }
        #expect(pieces.flatMap { $0 } == Self.text)
        #expect(pieces.dropLast().allSatisfy { $0.last == 0x0A })
        #expect(pieces.last.map { $0.last != 0x0A } == true)
        // Each piece is text on its own: no character's bytes are cut apart.
        #expect(pieces.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        // Cut after the last line feed read: as many pieces as lines once a piece holds the longest line.
        if piece >= Self.text.count { #expect(pieces.count == 2) }
    }

    /// Two of every three results replaced, so that every stretch between them is short and read rather than
    /// copied: more than ``ChunkWriter/largestPending`` gathers, and is written as it goes, in order.
    @Test("results replaced close together are written in order, a megabyte at a time")
    func resultsReplacedCloseTogetherAreWrittenInOrder() throws {
        let directory = try TestSupport.directory([:])
        let spool = try SpoolFile(near: directory + "/result.jsonl")
        var replacement = ChunkWriter.Replacement(replaced: [])
        var expected: [UInt8] = []
        for student in 0..<30_000 {
            let result = Array((String(repeating: "r", count: 190) + " \(student)\n").utf8)
            if student % 3 == 2 {
                expected += result
            } else {
                replacement.replaced.append(spool.size..<(spool.size + result.count))
                replacement.bytes += Array("raised \(student)\n".utf8)
                replacement.ends.append(replacement.bytes.count)
                expected += Array("raised \(student)\n".utf8)
            }
            try spool.write(result)
        }
        #expect(expected.count > 2 * ChunkWriter.largestPending)
        let output = try OutputFile(directory + "/result.jsonl")
        let writer = ChunkWriter(.outputFrom(spool, output))
        try writer.replace(from: 0, replacement)
        // The last result was not replaced: copied as it is.
        try writer.copy((replacement.replaced.last?.upperBound ?? 0)..<spool.size)
        try writer.finish()
        try OutputFile.commit([output])
        #expect(FileManager.default.contents(atPath: directory + "/result.jsonl") == Data(expected))
        #expect(writer.bytesWritten == expected.count)
        // A megabyte and at most one more stretch and result at a time, not the whole batch.
        #expect(writer.largestGathered > 0 && writer.largestGathered < ChunkWriter.largestPending + 1_024)
    }

    @Test("an empty scratch file reads back as nothing")
    func anEmptySpoolReadsBackAsNothing() throws {
        var calls = 0
        try SpoolFile(near: nil).readLines(piece: 3) { _ in calls += 1 }
        #expect(calls == 0)
    }
}

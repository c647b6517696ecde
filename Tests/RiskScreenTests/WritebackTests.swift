import Foundation
import Testing

@testable import RiskScreenCommand

/// The result goes to disk while it is being written, not all at once when it is committed.
@Suite("writeback")
struct WritebackTests {
    /// A megabyte of text that ends in a line feed, different for each `number`.
    static func piece(_ number: Int) -> [UInt8] {
        Array((String(repeating: "\(number % 10)", count: (1 << 20) - 1) + "\n").utf8)
    }

    @Test("the kernel is asked to start writing every eight megabytes written to a result file")
    func writesStartEveryEightMegabytes() throws {
        let directory = try TestSupport.directory([:])
        let output = try OutputFile(directory + "/result.jsonl")
        var expected: [UInt8] = []
        for number in 0..<20 {
            try output.write(Self.piece(number))
            expected += Self.piece(number)
        }
        #if os(Linux)
            // 20 MB: at 8 and at 16; the last 4 are left to the commit's flush.
            #expect(output.writebackRequests == 20 / (OutputFile.writebackStep >> 20))
        #endif
        try OutputFile.commit([output])
        #expect(FileManager.default.contents(atPath: directory + "/result.jsonl") == Data(expected))
    }

    @Test("what the kernel copies from the scratch file counts toward the next request")
    func copiedBytesCount() throws {
        let directory = try TestSupport.directory([:])
        let spool = try SpoolFile(near: directory + "/result.jsonl")
        var expected: [UInt8] = []
        for number in 0..<17 {
            try spool.write(Self.piece(number))
            expected += Self.piece(number)
        }
        let output = try OutputFile(directory + "/result.jsonl")
        try spool.copy(0..<spool.size, to: output)
        #if os(Linux)
            // The scratch file is copied 16 MB at a time: one request after the first piece, the last megabyte left
            // (two where the kernel will not copy, and the bytes are written 4 MB at a time instead).
            #expect(output.writebackRequests >= 1)
        #endif
        try OutputFile.commit([output])
        #expect(FileManager.default.contents(atPath: directory + "/result.jsonl") == Data(expected))
    }
}

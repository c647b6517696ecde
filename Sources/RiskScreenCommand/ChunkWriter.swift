import Foundation
import RiskScreen

/// Writes rendered chunks on a thread of its own, in the order they are handed over, so that writing overlaps the
/// scoring of the next chunks. At most `depth` chunks wait; handing over one more blocks until the oldest is
/// written, so memory stays bounded. When the system will not start the thread, each chunk is written as it is handed
/// over.
final class ChunkWriter: @unchecked Sendable {
    /// Where the chunks go: the result, or a scratch file when it must wait.
    enum Sink {
        case output(OutputFile)
        case spool(SpoolFile)
    }

    private let sink: Sink
    private let depth: Int
    private let condition = NSCondition()
    private var queue: [[[UInt8]]] = []
    private var finished = false
    private var stopped = false
    private var failure: (any Error)?
    /// Whether chunks are written as they are handed over (no thread could be started).
    private var inline = false
    /// Bytes written so far (read under the lock).
    private var written = 0

    init(_ sink: Sink, depth: Int = 2) {
        self.sink = sink
        self.depth = max(1, depth)
        inline = SystemThread.detach(stackSize: 1 << 20) { [self] in run() } != nil
    }

    /// Hands over a chunk's buffers; throws the writer's error if writing failed.
    func write(_ parts: [[UInt8]]) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        if inline {
            do { written += try writeNow(parts) } catch {
                failure = error
                throw error
            }
            return
        }
        queue.append(parts)
        condition.broadcast()
    }

    /// Bytes written so far.
    var bytesWritten: Int {
        condition.lock()
        defer { condition.unlock() }
        return written
    }

    /// Waits until every chunk is written; throws the writer's error if writing failed.
    func finish() throws {
        condition.lock()
        finished = true
        condition.broadcast()
        while !stopped && !inline { condition.wait() }
        condition.unlock()
        if let failure { throw failure }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !finished { condition.wait() }
            if queue.isEmpty {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let parts = queue[0]
            condition.unlock()
            do {
                let count = try writeNow(parts)
                condition.lock()
                queue.removeFirst()
                written += count
                condition.broadcast()
                condition.unlock()
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    /// Writes a chunk's buffers to the sink; the bytes written.
    private func writeNow(_ parts: [[UInt8]]) throws -> Int {
        var count = 0
        for bytes in parts {
            switch sink {
            case .output(let file): try file.write(bytes)
            case .spool(let file): try file.write(bytes)
            }
            count += bytes.count
        }
        return count
    }
}

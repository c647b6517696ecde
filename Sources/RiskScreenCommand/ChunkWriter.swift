import Foundation

/// Writes rendered chunks on a thread of its own, in the order they are handed over, so that writing overlaps the
/// scoring of the next chunks. At most `depth` chunks wait; handing over one more blocks until the oldest is
/// written, so memory stays bounded.
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
    private var thread: Thread?
    /// Bytes written so far (read under the lock).
    private var written = 0

    init(_ sink: Sink, depth: Int = 2) {
        self.sink = sink
        self.depth = max(1, depth)
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Hands over a chunk's buffers; throws the writer's error if writing failed.
    func write(_ parts: [[UInt8]]) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
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
        while !stopped { condition.wait() }
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
                var count = 0
                for bytes in parts {
                    switch sink {
                    case .output(let file): try file.write(bytes)
                    case .spool(let file): try file.write(bytes)
                    }
                    count += bytes.count
                }
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
}

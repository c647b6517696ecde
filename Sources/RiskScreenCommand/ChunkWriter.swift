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
        /// The result, copied from a scratch file (``copy(_:)``) with some of its results replaced
        /// (``replace(from:_:)``).
        case outputFrom(SpoolFile, OutputFile)
    }

    /// New results for some of a scratch file's, in the order of the scratch file.
    struct Replacement: Sendable {
        /// Where each result replaced lies in the scratch file, in increasing order, none overlapping.
        var replaced: [Range<Int>]
        /// The new results, one after another.
        var bytes: [UInt8] = []
        /// Where each new result ends in `bytes`.
        var ends: [Int] = []
    }

    /// What waits to be written: a chunk's buffers, a stretch of the scratch file copied as it is, or one with some
    /// of its results replaced.
    private enum Item {
        case bytes([[UInt8]])
        case copy(Range<Int>)
        case replace(from: Int, Replacement)
    }

    private let sink: Sink
    private let depth: Int
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var finished = false
    private var stopped = false
    private var failure: (any Error)?
    /// Whether chunks are written as they are handed over (no thread could be started).
    private var inline = false
    /// Bytes written so far (read under the lock).
    private var written = 0
    /// The most bytes a replacement gathered for one write (read after ``finish()``).
    private(set) var largestGathered = 0

    init(_ sink: Sink, depth: Int = 2) {
        self.sink = sink
        self.depth = max(1, depth)
        inline = SystemThread.detach(stackSize: 1 << 20) { [self] in run() } != nil
    }

    /// Hands over a chunk's buffers; throws the writer's error if writing failed.
    func write(_ parts: [[UInt8]]) throws {
        try hand(.bytes(parts))
    }

    /// Hands over the scratch file of an ``Sink/outputFrom(_:_:)`` sink from `start` to the end of the last result
    /// `replacement` replaces, with those results replaced; throws the writer's error if writing failed.
    func replace(from start: Int, _ replacement: Replacement) throws {
        guard case .outputFrom = sink else {
            preconditionFailure("only a sink that copies from a scratch file replaces")
        }
        precondition(
            replacement.ends.count == replacement.replaced.count && replacement.ends.last == replacement.bytes.count)
        precondition(replacement.replaced.first.map { $0.lowerBound >= start } ?? true)
        try hand(.replace(from: start, replacement))
    }

    /// Hands over `range` of the scratch file of an ``Sink/outputFrom(_:_:)`` sink, copied as it is (by the kernel
    /// where it can: ``SpoolFile/copy(_:to:)``); throws the writer's error if writing failed.
    func copy(_ range: Range<Int>) throws {
        guard case .outputFrom = sink else { preconditionFailure("only a sink that copies from a scratch file copies") }
        if !range.isEmpty { try hand(.copy(range)) }
    }

    private func hand(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        if inline {
            do { written += try writeNow(item) } catch {
                failure = error
                throw error
            }
            return
        }
        queue.append(item)
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
            let item = queue[0]
            condition.unlock()
            do {
                let count = try writeNow(item)
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

    /// A stretch of the scratch file between replaced results shorter than this is read and written with them
    /// rather than copied (64 KB).
    static let shortestCopy = 64 << 10

    /// Bytes of short stretches and new results gathered for one write at most (1 MB).
    static let largestPending = 1 << 20

    /// Writes an item to the sink; the bytes written.
    private func writeNow(_ item: Item) throws -> Int {
        switch item {
        case .copy(let range):
            guard case .outputFrom(let spool, let output) = sink else { return 0 }
            try spool.copy(range, to: output)
            return range.count
        case .replace(let start, let replacement):
            guard case .outputFrom(let spool, let output) = sink else { return 0 }
            // The new results of each run of adjacent replaced ones are written at once, with the stretch before
            // them when it is short (one write, where a copy and a write cost two calls each for a few bytes);
            // a longer stretch is copied (``SpoolFile/copy(_:to:)``).
            var (cursor, first, count) = (start, 0, 0)
            var pending: [UInt8] = []
            func writePending() throws {
                largestGathered = max(largestGathered, pending.count)
                try output.write(pending)
                count += pending.count
                pending.removeAll(keepingCapacity: true)
            }
            while first < replacement.replaced.count {
                var last = first
                while last + 1 < replacement.replaced.count
                    && replacement.replaced[last + 1].lowerBound == replacement.replaced[last].upperBound
                {
                    last += 1
                }
                let stretch = cursor..<replacement.replaced[first].lowerBound
                if stretch.count >= Self.shortestCopy {
                    try writePending()
                    try spool.copy(stretch, to: output)
                    count += stretch.count
                } else if !stretch.isEmpty {
                    guard let bytes = spool.reader.read(stretch) else {
                        printError(SpoolFile.readFailure(errno))
                        throw Exit.failure
                    }
                    pending += bytes
                }
                pending += replacement.bytes[(first == 0 ? 0 : replacement.ends[first - 1])..<replacement.ends[last]]
                cursor = replacement.replaced[last].upperBound
                first = last + 1
                // Written a megabyte at a time: where the students raised lie close together, the whole batch (up to
                // the mend span, 64 MB) gathered here before it was written.
                if pending.count >= Self.largestPending { try writePending() }
            }
            try writePending()
            spool.giveBack(before: cursor)
            return count
        case .bytes(let parts):
            var count = 0
            for bytes in parts {
                switch sink {
                case .output(let file), .outputFrom(_, let file): try file.write(bytes)
                case .spool(let file): try file.write(bytes)
                }
                count += bytes.count
            }
            return count
        }
    }
}

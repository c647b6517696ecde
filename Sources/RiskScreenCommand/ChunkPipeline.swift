import Foundation
import RiskScreen

/// Reads the input files a chunk at a time and prepares each chunk (decoding, scoring and rendering on all cores) on
/// a thread of its own, one chunk ahead of the caller, so that what must happen in input order (ids registered,
/// counts merged, results handed to the writer) overlaps the preparation of the next chunk instead of leaving the
/// other cores idle. At most one prepared chunk waits; the next is prepared only once it is taken, so memory stays
/// bounded.
///
/// The caller takes the items in order with ``next()``: every file opens, gives its chunks and ends, or fails (and
/// nothing follows). ``cancel()`` stops the thread early and waits for it.
final class ChunkPipeline<Prepared: Sendable>: @unchecked Sendable {
    /// What the caller takes, in input order.
    enum Item {
        /// A file was opened; its chunks follow.
        case opened(JSONLinesChunkReader)
        /// One chunk of the file opened last, prepared; `bytesRead` of the file are read so far.
        case chunk(Prepared, bytesRead: Int)
        /// The file opened last was read to its end (`bytesRead` bytes) and closed.
        case ended(bytesRead: Int)
        /// A file could not be opened or read: the message to print. Nothing follows.
        case failed(String)
    }

    /// How a chunk is prepared: its reader, its text, whether no record was read before it in the whole run, and
    /// whether it is to be scored (or only decoded, once ``stopScoring()`` was called).
    typealias Prepare =
        @Sendable (
            _ reader: JSONLinesChunkReader, _ text: JSONLinesChunkReader.Text, _ firstOfRun: Bool, _ scoring: Bool
        ) -> (prepared: Prepared, records: Int)

    private let condition = NSCondition()
    private var waiting: [Item] = []
    private var cancelled = false
    private var scoring = true
    private var stopped = false

    /// Starts reading `inputs` in order, cut into chunks of about `chunkBytes` bytes, each in `parts` parts; throws
    /// when the system will not start the thread.
    init(
        inputs: [String], schema: Schema, chunkBytes: Int, parts: Int, prepare: @escaping Prepare
    ) throws(SystemThreadFailure) {
        let failure = SystemThread.detach(stackSize: 1 << 20) { [self] in
            run(inputs: inputs, schema: schema, chunkBytes: chunkBytes, parts: parts, prepare: prepare)
        }
        if let failure { throw failure }
    }

    /// The next item, waiting for it; nil once every file has ended (or after a failure).
    func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !stopped { condition.wait() }
        if waiting.isEmpty { return nil }
        let item = waiting.removeFirst()
        condition.broadcast()
        return item
    }

    /// From the next chunk prepared on, records are only decoded, not scored (a rejection under `--strict`: the rest
    /// is read only for its rejections). A chunk already prepared keeps its scores.
    func stopScoring() {
        condition.lock()
        scoring = false
        condition.unlock()
    }

    /// Stops reading and waits until the thread has stopped; what was prepared and not taken is dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !stopped { condition.wait() }
        waiting.removeAll()
        condition.unlock()
    }

    /// Hands over `item` once the one before it was taken; false when cancelled.
    private func hand(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !waiting.isEmpty && !cancelled { condition.wait() }
        if cancelled { return false }
        waiting.append(item)
        condition.broadcast()
        return true
    }

    /// Waits until the item handed over last is taken; false when cancelled. Then whether to score the next chunk.
    private func waitForRoom() -> (go: Bool, scoring: Bool) {
        condition.lock()
        defer { condition.unlock() }
        while !waiting.isEmpty && !cancelled { condition.wait() }
        return (!cancelled, scoring)
    }

    private func run(inputs: [String], schema: Schema, chunkBytes: Int, parts: Int, prepare: Prepare) {
        defer {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }
        var recordsBefore = 0
        for path in inputs {
            let reader: JSONLinesChunkReader
            do {
                reader = try JSONLinesChunkReader(path: path, schema: schema, chunkBytes: chunkBytes)
            } catch {
                _ = hand(.failed(error.description))
                return
            }
            guard hand(.opened(reader)) else { return }
            while true {
                let (go, scoring) = waitForRoom()
                guard go else { return }
                let next: JSONLinesChunkReader.Text?
                do { next = try reader.nextText(parts: parts) } catch {
                    _ = hand(.failed(error.description))
                    return
                }
                guard let text = next else { break }
                let (prepared, records) = prepare(reader, text, recordsBefore == 0, scoring)
                recordsBefore += records
                guard hand(.chunk(prepared, bytesRead: reader.bytesRead)) else { return }
            }
            // Opened again only to read a raised student's line (and then checked to be the same file).
            reader.closeFile()
            guard hand(.ended(bytesRead: reader.bytesRead)) else { return }
        }
    }
}

internal import Foundation

/// Work spread over the cores in contiguous parts, results in order: the one place the library decides how many
/// threads to use and starts them.
///
/// **How many workers.** `n` items on `c` cores, with at least `m` items for each worker, get
/// `max(1, min(c, n / m))` workers: one per core, but never so many that a worker gets fewer than `m` items. Below
/// `2m` items everything runs on the calling thread. `c` is the processors this process may use unless the caller
/// names a smaller (or larger) number, as `threads:` does for the scoring engine.
///
/// **Which items.** Worker `w` of `k` takes the contiguous range that starts at `w * (n / k) + min(w, n % k)`: the
/// first `n % k` workers take one item more than the others, so sizes differ by at most one, no range is empty
/// while `k <= n`, and the ranges, in worker order, cover `0..<n` once each.
///
/// Every function returns only when all its parts have finished; a single part runs on the calling thread.
package enum Parallel {
    /// The processors this process may run on.
    package static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// How many workers share `items` items: `max(1, min(cores, items / minimumPerWorker))` (see ``Parallel``).
    package static func workerCount(items: Int, minimumPerWorker: Int, cores: Int? = nil) -> Int {
        max(1, min(cores ?? Self.cores, items / max(1, minimumPerWorker)))
    }

    /// The items of part `part` when `items` items are split into `parts` contiguous parts (see ``Parallel``).
    package static func range(ofPart part: Int, parts: Int, items: Int) -> Range<Int> {
        precondition(parts > 0 && (0..<parts).contains(part) && items >= 0, "part \(part) of \(parts), \(items) items")
        let (size, extra) = items.quotientAndRemainder(dividingBy: parts)
        let start = part * size + min(part, extra)
        return start..<(start + size + (part < extra ? 1 : 0))
    }

    /// Runs `body(part)` for every part in `0..<parts` on up to `parts` threads at once; one part runs on the
    /// calling thread, none runs nothing.
    package static func forEach(parts: Int, _ body: @Sendable (_ part: Int) -> Void) {
        if parts <= 0 { return }
        if parts == 1 { return body(0) }
        // The calling thread and up to one helper per other core take the next part until none is left. A helper the
        // system will not start (a process limit) is done without: the parts left wait for the threads there are.
        withoutActuallyEscaping(body) { body in
            let next = NextPart(parts: parts)
            let work: @Sendable () -> Void = {
                while let part = next.take() { body(part) }
            }
            var helpers: [SystemThread] = []
            for _ in 1..<min(parts, max(1, cores)) {
                guard case .success(let helper) = SystemThread.start(work) else { break }
                helpers.append(helper)
            }
            work()
            for helper in helpers { helper.join() }
        }
    }

    /// The parts not yet taken, handed out one at a time under a lock.
    private final class NextPart: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let parts: Int

        init(parts: Int) { self.parts = parts }

        /// The next part, or nil when every part is taken.
        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < parts else { return nil }
            next += 1
            return next - 1
        }
    }

    /// `body(part)` for every part in `0..<parts`, run as ``forEach(parts:_:)`` runs them; the results in part order.
    package static func map<Result: Sendable>(parts: Int, _ body: @Sendable (_ part: Int) -> Result) -> [Result] {
        let parts = max(0, parts)
        return [Result](unsafeUninitializedCapacity: parts) { buffer, initialized in
            // Each part initializes its own element, and only that one.
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            forEach(parts: parts) { part in (output.base.unsafelyUnwrapped + part).initialize(to: body(part)) }
            initialized = parts
        }
    }

    /// Splits `0..<items` into `parts` contiguous ranges (see ``Parallel``) and runs `body(part, range)` for each, as
    /// ``forEach(parts:_:)`` runs them.
    package static func forEachPart(
        items: Int, parts: Int, _ body: @Sendable (_ part: Int, _ range: Range<Int>) -> Void
    ) {
        forEach(parts: parts) { part in body(part, range(ofPart: part, parts: parts, items: items)) }
    }

    /// `body(part, range)` for every part of `0..<items` split into `parts` (see ``Parallel``); the results in part order.
    package static func mapParts<Result: Sendable>(
        items: Int, parts: Int, _ body: @Sendable (_ part: Int, _ range: Range<Int>) -> Result
    ) -> [Result] {
        map(parts: parts) { part in body(part, range(ofPart: part, parts: parts, items: items)) }
    }

    /// `transform` applied to every element, in order, on ``workerCount(items:minimumPerWorker:cores:)`` workers.
    package static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], minimumPerWorker: Int = 2048, cores: Int? = nil,
        _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let count = elements.count
        let workers = workerCount(items: count, minimumPerWorker: minimumPerWorker, cores: cores)
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            // Elements are read in place, not copied; each worker initializes the results of its own range.
            elements.withUnsafeBufferPointer { input in
                let source = UnsafeSendableBuffer(base: UnsafeMutablePointer(mutating: input.baseAddress))
                forEachPart(items: count, parts: workers) { _, range in
                    guard let base = output.base, let from = source.base else { return }
                    for index in range { (base + index).initialize(to: transform(from[index])) }
                }
            }
            initialized = count
        }
    }

    /// `elements` rendered as bytes on ``workerCount(items:minimumPerWorker:cores:)`` workers, each followed by
    /// `separator`: one buffer per worker, in order, so the parts can be written one after another without joining
    /// them.
    package static func renderedLines<Element: Sendable>(
        _ elements: ArraySlice<Element>, separator: StaticString, minimumPerWorker: Int = 2048, cores: Int? = nil,
        _ render: @Sendable (Element, inout [UInt8]) -> Void
    ) -> [[UInt8]] {
        let workers = workerCount(items: elements.count, minimumPerWorker: minimumPerWorker, cores: cores)
        return mapParts(items: elements.count, parts: workers) { _, range in
            let separatorBytes = UnsafeBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount)
            var out: [UInt8] = []
            // Elements are passed in place, not copied.
            elements.withUnsafeBufferPointer { elements in
                for index in range {
                    render(elements[index], &out)
                    out.append(contentsOf: separatorBytes)
                    // Room for the rest at the first line's size and a half, so the buffer is seldom copied as it grows.
                    if index == range.lowerBound { out.reserveCapacity(out.count * range.count * 3 / 2) }
                }
            }
            return out
        }
    }
}

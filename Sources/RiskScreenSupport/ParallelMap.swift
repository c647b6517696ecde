internal import Dispatch
internal import Foundation

/// Maps an array on all cores in contiguous slices; the result keeps the input order.
package enum ParallelMap {
    /// `transform` applied to every element, in order; small arrays are mapped on the calling thread.
    package static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], minimumPerThread: Int = 2048, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let count = elements.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumPerThread)))
        if workers == 1 { return elements.map(transform) }
        let chunk = (count + workers - 1) / workers
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            elements.withUnsafeBufferPointer { input in
                let source = UnsafeSendableBuffer(base: UnsafeMutablePointer(mutating: input.baseAddress))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    guard let base = output.base, let from = source.base else { return }
                    for index in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                        (base + index).initialize(to: transform(from[index]))
                    }
                }
            }
            initialized = count
        }
    }

    /// `elements` rendered as bytes on all cores, each followed by `separator`: one buffer per contiguous part, in
    /// order, so the parts can be written one after another without joining them.
    package static func renderedLines<Element: Sendable>(
        _ elements: ArraySlice<Element>, separator: StaticString, minimumPerThread: Int = 2048,
        _ render: @Sendable (Element, inout [UInt8]) -> Void
    ) -> [[UInt8]] {
        let count = elements.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumPerThread)))
        let chunk = (count + workers - 1) / max(1, workers)
        let start = elements.startIndex
        @Sendable func renderPart(_ worker: Int) -> [UInt8] {
            let separatorBytes = UnsafeBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount)
            var out: [UInt8] = []
            let range = (start + worker * chunk)..<min(start + count, start + (worker + 1) * chunk)
            // Elements are passed in place, not copied.
            elements.withUnsafeBufferPointer { elements in
                for index in range {
                    render(elements[index - start], &out)
                    out.append(contentsOf: separatorBytes)
                    // Room for the rest at the first line's size and a half, so the buffer is seldom copied as it grows.
                    if index == range.lowerBound { out.reserveCapacity(out.count * range.count * 3 / 2) }
                }
            }
            return out
        }
        return map(Array(0..<workers), minimumPerThread: 1, renderPart)
    }
}

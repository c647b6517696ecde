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

    /// The rendered lines of `elements`, each followed by `separator`, rendered on all cores.
    package static func joinedLines<Element: Sendable>(
        _ elements: [Element], separator: String, minimumPerThread: Int = 2048, _ render: @Sendable (Element) -> String
    ) -> String {
        let lines = map(elements, minimumPerThread: minimumPerThread, render)
        var text = ""
        text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + separator.utf8.count })
        for line in lines {
            text += line
            text += separator
        }
        return text
    }
}

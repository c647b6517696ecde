/// A buffer pointer handed to worker threads that write disjoint indices.
package struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Element>?

    /// A buffer starting at `base`.
    package init(base: UnsafeMutablePointer<Element>?) { self.base = base }
}

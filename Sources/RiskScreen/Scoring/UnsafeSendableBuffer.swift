/// A buffer pointer handed to worker threads that write disjoint indices.
struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>?
}

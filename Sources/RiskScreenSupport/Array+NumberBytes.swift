extension Array where Element == UInt8 {
    /// Appends `number`'s bytes in the machine's own order: for scratch files a process writes and reads back itself.
    /// Public only to the stages that import the SPI, and inlinable, so that each specializes it for its numbers (as
    /// ``BlockColumn`` is).
    @_spi(RiskScreenStorage) @inlinable public mutating func appendBytes<Number: FixedWidthInteger>(of number: Number) {
        Swift.withUnsafeBytes(of: number) { append(contentsOf: $0) }
    }
}

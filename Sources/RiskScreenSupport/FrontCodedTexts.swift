/// Texts (as UTF-8 bytes) kept one after another, each as the length of the start it shares with the text before and
/// the bytes after that start (front coding): student numbers read in order share most of their digits ("S0000001",
/// "S0000002"; "2023010415", "2023010416"), so a million of them take about 3.6 MB rather than 9.3 (their bytes and
/// where each ends). Every 32nd text is kept whole, so that reading one decodes at most 32. A text that shares
/// nothing with the one before costs two bytes more than its own (the two lengths), and a quarter of a byte for
/// where every 32nd starts.
///
/// Public only to the stages that import its SPI, and inlinable, for the reason ``BlockColumn`` gives.
@_spi(RiskScreenStorage) public struct FrontCodedTexts: Sendable {
    /// Each text: the shared length and the rest's length (7 bits a byte, low bits first, the high bit set on every
    /// byte but the last), then the rest's bytes.
    @usableFromInline var bytes = BlockColumn<UInt8>()
    /// Where every ``restartSpacing``-th text starts in `bytes` (it shares nothing: its whole text is there).
    @usableFromInline var restarts: [Int] = []
    /// The text appended last.
    @usableFromInline var lastText: [UInt8] = []
    /// Texts so far.
    @usableFromInline var storedCount = 0

    /// Texts between two kept whole.
    @inlinable static var restartSpacing: Int { 32 }

    /// No text yet.
    @inlinable public init() {}

    /// Texts so far.
    @inlinable public var count: Int { storedCount }

    /// Bytes held for the texts (not counting where every 32nd starts).
    @inlinable public var byteCount: Int { bytes.count }

    /// Adds `text` at the end.
    @inlinable public mutating func append(_ text: some Collection<UInt8>) {
        if text.withContiguousStorageIfAvailable({ append(buffer: $0) }) == nil {
            Array(text).withUnsafeBufferPointer { append(buffer: $0) }
        }
    }

    /// Adds the text in `text` at the end.
    @inlinable mutating func append(buffer text: UnsafeBufferPointer<UInt8>) {
        var shared = 0
        if storedCount % Self.restartSpacing == 0 {
            restarts.append(bytes.count)
        } else {
            let most = min(lastText.count, text.count)
            while shared < most && lastText[shared] == text[shared] { shared += 1 }
        }
        let rest = UnsafeBufferPointer(rebasing: text[shared...])
        appendLength(shared)
        appendLength(rest.count)
        for byte in rest { bytes.append(byte) }
        lastText.removeSubrange(shared...)
        lastText.append(contentsOf: rest)
        storedCount += 1
    }

    /// The text at `position` (0 up to ``count``).
    @inlinable public func text(_ position: Int) -> [UInt8] {
        precondition(position >= 0 && position < storedCount, "a position among the texts")
        let restart = position / Self.restartSpacing
        var offset = restarts[restart]
        var text: [UInt8] = []
        for _ in (restart * Self.restartSpacing)...position {
            let shared = readLength(at: &offset)
            let restCount = readLength(at: &offset)
            text.removeSubrange(shared...)
            for _ in 0..<restCount {
                text.append(bytes[offset])
                offset += 1
            }
        }
        return text
    }

    /// Appends `length` (0 or more), 7 bits a byte, low bits first, the high bit set on every byte but the last.
    @inlinable mutating func appendLength(_ length: Int) {
        var left = UInt(length)
        while left >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: left) | 0x80)
            left >>= 7
        }
        bytes.append(UInt8(left))
    }

    /// The length ``appendLength(_:)`` wrote at `offset`, which it moves past it.
    @inlinable func readLength(at offset: inout Int) -> Int {
        var length: UInt = 0
        var shift: UInt = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            length |= UInt(byte & 0x7F) << shift
            if byte < 0x80 { return Int(length) }
            shift += 7
        }
    }
}

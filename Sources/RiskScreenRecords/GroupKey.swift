internal import Foundation

/// A text's key for grouping students (dorm, class), never 0 (0 stands for no group), worked out once when a
/// record is stored; a match of keys is confirmed by the texts themselves.
///
/// The key hashes the text's bytes in Unicode's composed form (NFC), so texts that compare equal (the same letters
/// in another form, such as é as one character or as e and an accent) get the same key, as they must to be one
/// group. A text of ASCII and CJK ideographs only (U+4000–U+9FFF, which neither decompose nor combine) is already
/// in that form and is hashed as it is, without normalising: that is nearly every dorm and class name.
package enum GroupKey {
    /// The key of a text; 0 for no text or an empty one.
    package static func of(_ text: String?) -> UInt64 {
        guard var text, !text.isEmpty else { return 0 }
        if let key = text.withUTF8({ bytes in isComposedAsItIs(bytes) ? byteHash(bytes) : nil }) { return key }
        var composed = text.precomposedStringWithCanonicalMapping
        return composed.withUTF8(byteHash)
    }

    /// True for UTF-8 made only of ASCII and three-byte sequences led by 0xE4–0xE9 (U+4000–U+9FFF).
    private static func isComposedAsItIs(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
            } else if byte >= 0xE4 && byte <= 0xE9 {
                index += 3
            } else {
                return false
            }
        }
        return true
    }

    /// FNV-1a over the bytes, with the low bit set so that no key is 0.
    private static func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash | 1
    }
}

import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenSupport

/// The readers' fast paths read a plainly written number or id from its bytes; what they take must be exactly what
/// the careful checks (``RecordCoercion/number(_:syntax:integer:)``, ``RecordCoercion/isValidID(_:)``) take.
@Suite struct RecordCoercionPlainTests {
    @Test(arguments: [
        "0", "7", "-0", "12", "-3", "2.5", "0.1", "1.50", "999999999", "1000000000", "1000000001", "123456789012345",
        "1234567890123456", "01", "+1", ".5", "5.", "1e3", "1E3", "0x10", " 3", "3 ", "", "-", "1.2.3", "٣", "1_000",
    ])
    func aPlainNumberIsTheCarefulNumber(text: String) {
        for integer in [false, true] {
            let plain = Array(text.utf8).withUnsafeBufferPointer { RecordCoercion.plainNumber($0, integer: integer) }
            let careful = RecordCoercion.number(
                CSVTable.Cell(text: text, location: SourceLocation(file: "t", line: 1, column: 1)), syntax: .text,
                integer: integer)
            if let plain {
                #expect(plain.bitPattern == (try? careful.get())?.bitPattern, "\(text) integer: \(integer)")
            }
        }
        // The plainly written forms are taken.
        let taken = ["0", "7", "-0", "12", "-3", "999999999", "1000000000"]
        if taken.contains(text) {
            #expect(Array(text.utf8).withUnsafeBufferPointer { RecordCoercion.plainNumber($0, integer: true) } != nil)
        }
    }

    @Test(arguments: [
        "S1", "2021001", "a b", String(repeating: "x", count: 128), String(repeating: "x", count: 129), "", "A\tB",
        "A\u{7F}", "文1", "A\u{202E}",
    ])
    func aPlainASCIIIdIsAValidId(id: String) {
        let plain = Array(id.utf8).withUnsafeBufferPointer { RecordCoercion.isPlainASCIIID($0) }
        if plain == true { #expect(RecordCoercion.isValidID(id)) }
        #expect((plain == true) == (RecordCoercion.isValidID(id) && id.utf8.allSatisfy { $0 < 0x80 }))
    }
}

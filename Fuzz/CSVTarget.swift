// Fuzz target: bytes → CSV tables of campus-default's schema. A 0xFF byte (never in UTF-8 or needed in GB18030
// text here) separates students.csv, events.csv and scales.csv; a leading 0xFE reads them as GB18030.
// Contract: no crash or sanitizer report; every rejection names a line of its table, and no student id is read twice.
import RiskScreen

@_cdecl("LLVMFuzzerTestOneInput")
public func csvTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    var encoding = TextEncoding.utf8
    if bytes.first == 0xFE {
        encoding = .gb18030
        bytes.removeFirst()
    }
    let tables = bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    let batch: RecordBatch
    do throws(RecordFileError) {
        batch = try CSVReader.read(
            studentsText: tables[0], eventsText: tables.count > 1 ? tables[1] : nil,
            scalesText: tables.count > 2 ? tables[2] : nil, schema: fuzzRules.schema, encoding: encoding)
    } catch {
        if error.message.isEmpty || error.location.line < 1 { contractBroken("a table was refused without a place or a reason: \(error)") }
        return 0
    }
    checkBatch(batch)
    return 0
}

// Fuzz target: bytes → CSV tables of campus-default's schema. A 0xFF byte (never in UTF-8 or needed in GB18030
// text here) separates students.csv, events.csv and scales.csv; a leading 0xFE reads them as GB18030.
// Contract: no crash or sanitizer report; every rejection names a line of its table, and no student id is read twice;
// reading every value the careful way (RecordDecoder's checks) gives the same records and rejections as the reader's
// reading from bytes.
import RiskScreen

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func csvTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    var encoding = TextEncoding.utf8
    if bytes.first == 0xFE {
        encoding = .gb18030
        bytes.removeFirst()
    }
    let tables = bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    func read(carefulOnly: Bool) -> Result<RecordBatch, RecordFileError> {
        do throws(RecordFileError) {
            return .success(
                try CSVReader.read(
                    studentsText: tables[0], eventsText: tables.count > 1 ? tables[1] : nil,
                    scalesText: tables.count > 2 ? tables[2] : nil, schema: fuzzRules.schema, encoding: encoding,
                    carefulOnly: carefulOnly))
        } catch {
            return .failure(error)
        }
    }
    switch (read(carefulOnly: false), read(carefulOnly: true)) {
    case (.failure(let error), .failure(let careful)):
        if error.message.isEmpty || error.location.line < 1 {
            contractBroken("a table was refused without a place or a reason: \(error)")
        }
        if error.description != careful.description {
            contractBroken("refused as \(error) but carefully as \(careful)")
        }
    case (.success(let batch), .success(let careful)):
        checkBatch(batch)
        if batch.rejected != careful.rejected {
            contractBroken("rejected \(batch.rejected) but carefully \(careful.rejected)")
        }
        guard batch.records.count == careful.records.count else {
            contractBroken("read \(batch.records.count) records but carefully \(careful.records.count)")
        }
        for (record, other) in zip(batch.records, careful.records) {
            if record.location != other.location {
                contractBroken(
                    "student \(record.id) read at \(String(describing: record.location)) and \(String(describing: other.location))"
                )
            }
            if let difference = record.difference(from: other, schema: fuzzRules.schema) {
                contractBroken("student \(record.id) read from bytes and carefully differs: \(difference)")
            }
        }
    case (let fast, let careful):
        contractBroken("read as \(fast) but carefully as \(careful)")
    }
    return 0
}

// Fuzz target: bytes → JSON Lines records of campus-default's schema, each line through both readers.
// Contract: no crash or sanitizer report; every line the fast path reads, the careful path (JSONParser and
// RecordDecoder) reads to the same record; the whole input gives exactly one record or one rejection per
// non-blank line.
import RiskScreen

private let decoders = JSONLineDecoders(schema: fuzzRules.schema)

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonLinesTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var lineNumber = 0
    var nonBlank = 0
    // readJSONLines skips a byte order mark at the start: so does the line count.
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    // A file with no line feed but carriage returns has classic Mac line ends: each CR ends a line.
    let lineEnd: UInt8 = !body.contains(0x0A) && body.contains(0x0D) ? 0x0D : 0x0A
    for rawLine in body.split(separator: lineEnd, omittingEmptySubsequences: false) {
        lineNumber += 1
        var line = Array(rawLine)
        if line.last == 0x0D { line.removeLast() }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
        nonBlank += 1
        let careful = decoders.careful(line, lineNumber: lineNumber)
        guard let fast = decoders.fast(line, lineNumber: lineNumber) else { continue }
        switch careful {
        case .success(let record):
            if let difference = decoders.difference(fast, record) {
                contractBroken("line \(lineNumber): the fast and careful paths disagree: \(difference)")
            }
        case .failure(let error):
            contractBroken(
                "line \(lineNumber): the fast path reads student \(fast.id), the careful path rejects it: \(error)")
        }
    }
    let batch = RecordReader.readJSONLines(bytes, file: "fuzz.jsonl", schema: fuzzRules.schema)
    if batch.records.count + batch.rejected.count != nonBlank {
        contractBroken(
            "\(nonBlank) non-blank lines gave \(batch.records.count) records and \(batch.rejected.count) rejections")
    }
    for error in batch.rejected where error.location.line < 1 || error.location.line > max(1, lineNumber) {
        contractBroken("a rejection at line \(error.location.line) of \(lineNumber): \(error)")
    }
    return 0
}

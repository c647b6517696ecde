// Fuzz target: bytes → a JSON Lines file read a chunk at a time (the streaming reader of `score`), against the same
// file read whole. The first byte picks the chunk size (1 to 256 bytes: many chunks, lines longer than a chunk).
// Contract: no crash or sanitizer report; the chunks give the same records (fast/careful `difference` finds none),
// the same rejections, and the same refusal of the whole file (a byte that is not UTF-8) as the whole-file reader.
import Foundation
import RiskScreen

private let decoders = JSONLineDecoders(schema: fuzzRules.schema)
private let path = NSTemporaryDirectory() + "/riskscreen-fuzz-chunks-\(getpid()).jsonl"

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonLinesChunksTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzBytes(data, size)
    guard let first = input.first else { return 0 }
    let chunkBytes = Int(first) + 1
    let bytes = Array(input.dropFirst())
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        contractBroken("could not write \(path)")
    }
    defer { unlink(path) }
    var whole: RecordBatch?
    var wholeError: String?
    do { whole = try RecordReader.read(contentsOf: path, schema: fuzzRules.schema) } catch {
        wholeError = error.description
    }
    var records: [StudentRecord] = []
    var rejected: [String] = []
    var chunkedError: String?
    do {
        try RecordReader.readJSONLines(contentsOf: path, schema: fuzzRules.schema, chunkBytes: chunkBytes) { chunk in
            records += chunk.records
            rejected += chunk.rejected.map(\.description)
        }
    } catch { chunkedError = "\(error)" }
    if let wholeError {
        if chunkedError != wholeError {
            contractBroken("the whole file is refused (\(wholeError)); the chunks give \(chunkedError ?? "no error")")
        }
        return 0
    }
    guard let whole else { return 0 }
    if let chunkedError { contractBroken("the whole file reads; the chunks are refused: \(chunkedError)") }
    if rejected != whole.rejected.map(\.description) {
        contractBroken("rejections differ: whole \(whole.rejected.map(\.description)), chunks \(rejected)")
    }
    if records.count != whole.records.count {
        contractBroken("\(whole.records.count) records whole, \(records.count) in chunks")
    }
    for (chunked, read) in zip(records, whole.records) {
        if let difference = decoders.difference(chunked, read) {
            contractBroken("student \(read.id): the chunks read another record: \(difference)")
        }
        if chunked.location?.line != read.location?.line {
            contractBroken(
                "student \(read.id): line \(String(describing: chunked.location?.line)) in chunks, \(String(describing: read.location?.line)) whole"
            )
        }
    }
    return 0
}

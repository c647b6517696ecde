// Fuzz target: bytes → YAML student records (a list, or a fixture's students:) of campus-default's schema.
// Contract: no crash or sanitizer report; a refused file says where and why, every rejection names a line of the file,
// and no student id is read twice.
import RiskScreen

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func yamlRecordsTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let batch: RecordBatch
    do throws(RecordFileError) {
        batch = try RecordReader.readYAML(bytes, file: "fuzz.yaml", schema: fuzzRules.schema)
    } catch {
        if error.message.isEmpty || error.location.line < 1 {
            contractBroken("a file was refused without a place or a reason: \(error)")
        }
        return 0
    }
    checkBatch(batch)
    return 0
}

package import RiskScreenRules

/// The two readers of one JSON Lines line, side by side: the fast path that most lines take, and the careful path
/// (``JSONParser`` and ``RecordDecoder``) that reads what the fast path declines and reports what is wrong.
///
/// ``RecordReader/readJSONLines(_:file:schema:)`` tries the fast path first; whatever record it gives must be the one
/// the careful path gives. The JSON Lines fuzz target and tests call both on the same bytes to check it.
package struct JSONLineDecoders: Sendable {
    private let fastPath: JSONRecordFastPath
    private let decoder: RecordDecoder
    private let schema: Schema

    /// Both readers for records of `schema`.
    package init(schema: Schema) {
        self.schema = schema
        fastPath = JSONRecordFastPath(schema: schema)
        decoder = RecordDecoder(schema: schema, syntax: .json)
    }

    /// The fast path's record for one line (without its line feed), or nil when it declines the line.
    package func fast(_ line: [UInt8], file: String = "<line>", lineNumber: Int = 1) -> StudentRecord? {
        line.withUnsafeBufferPointer { fastPath.decode($0, range: 0..<$0.count, file: file, line: lineNumber) }
    }

    /// The careful path's record for one line (without its line feed), or why the line is rejected.
    package func careful(_ line: [UInt8], file: String = "<line>", lineNumber: Int = 1) -> Result<
        StudentRecord, RecordError
    > {
        line.withUnsafeBufferPointer { buffer in
            do throws(JSONParser.Failure) {
                return decoder.decode(
                    try JSONParser.parse(buffer, range: 0..<buffer.count, file: file, line: lineNumber))
            } catch {
                return .failure(
                    RecordError(
                        error.code, at: error.location, studentID: error.studentID, field: error.field, error.message))
            }
        }
    }

    /// How two records of this schema differ (see ``StudentRecord/difference(from:schema:)``), or nil when they are
    /// the same.
    package func difference(_ first: StudentRecord, _ second: StudentRecord) -> String? {
        first.difference(from: second, schema: schema)
    }
}

internal import Foundation
public import RiskScreenRules
internal import RiskScreenSupport
internal import RiskScreenYAML

extension RecordReader {
    /// Reads one input by its name: a directory of CSV tables (`students.csv`, `events.csv`, `scales.csv`), a
    /// `…students.csv` file with its companion tables beside it, `.yaml`/`.yml`, or `.jsonl`/`.ndjson`/`.json`.
    ///
    /// Every file is checked to be text in `encoding` first: a file that is not is refused as a whole, never read as
    /// garbage. A field, event kind, scale, score or column the schema does not know refuses its record (or table), or
    /// with `unknownNames: .ignore` is left out and counted in the batch's ``RecordBatch/ignored``.
    public static func read(
        contentsOf path: String, schema: Schema, encoding: TextEncoding, unknownNames: UnknownNames = .refuse
    ) throws(RecordFileError) -> RecordBatch {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RecordFileError(
                .fileNotFound, at: SourceLocation(file: path, line: 1, column: 1),
                "found no file or directory \(path); expected a record file")
        }
        if isDirectory.boolValue {
            let students = path + "/students.csv"
            guard FileManager.default.fileExists(atPath: students) else {
                throw RecordFileError(
                    .fileNotFound, at: SourceLocation(file: path, line: 1, column: 1),
                    "found a directory without students.csv; expected students.csv (with events.csv and scales.csv if any)"
                )
            }
            let companions = CSVReader.companions(ofStudents: students)
            return try CSVReader.read(
                students: students, events: companions.events, scales: companions.scales, schema: schema,
                encoding: encoding, unknownNames: unknownNames)
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            guard lower.hasSuffix("students.csv") else {
                throw RecordFileError(
                    .unsupportedFile, at: SourceLocation(file: path, line: 1, column: 1),
                    "found the table \((path as NSString).lastPathComponent); expected students.csv (events.csv and scales.csv beside it are joined to it) or their directory"
                )
            }
            let companions = CSVReader.companions(ofStudents: path)
            return try CSVReader.read(
                students: path, events: companions.events, scales: companions.scales, schema: schema,
                encoding: encoding,
                unknownNames: unknownNames)
        }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            return readJSONLines(
                try text(ofFile: path, encoding: encoding, loneCarriageReturnsEndLines: true), file: path,
                schema: schema, unknownNames: unknownNames)
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try readYAML(
                try text(ofFile: path, encoding: encoding, limit: .yamlRecordFile), file: path, schema: schema,
                unknownNames: unknownNames)
        }
        throw RecordFileError(
            .unsupportedFile, at: SourceLocation(file: path, line: 1, column: 1),
            "found a file named \((path as NSString).lastPathComponent); expected .yaml, .yml, .jsonl, .ndjson, students.csv or a directory of CSV tables"
        )
    }

    /// The bytes of a file as UTF-8 without a byte order mark, decoded from `encoding`; a file over the record-file
    /// limit is refused while it is read. With `loneCarriageReturnsEndLines` (JSON Lines), a file with classic Mac
    /// line ends has them turned into line feeds first (``withLoneCarriageReturnsAsLineFeeds(_:)``), so that a byte
    /// refused is placed on the line the records are read from, as the streaming reader places it.
    static func text(
        ofFile path: String, encoding: TextEncoding, limit: BoundedFileReader.Limit = .recordFile,
        loneCarriageReturnsEndLines: Bool = false
    ) throws(RecordFileError) -> [UInt8] {
        switch BoundedFileReader.read(path, limit: limit) {
        case .success(let bytes):
            // A carriage return or a line feed is one byte in UTF-8 and in GB18030, never part of another character.
            let bytes = loneCarriageReturnsEndLines ? withLoneCarriageReturnsAsLineFeeds(bytes) : bytes
            return try utf8Text(bytes, file: path, encoding: encoding)
        case .failure(let failure):
            throw RecordFileError(
                failure.recordCode,
                at: SourceLocation(file: path, line: 1, column: 1), failure.message(path: path, limit: limit))
        }
    }
}

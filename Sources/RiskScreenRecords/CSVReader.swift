internal import Foundation
public import RiskScreenRules
internal import RiskScreenSupport

/// Reads student records from CSV tables joined by student id, as a university's systems export them.
///
/// - `students.csv`: a header row, then one row per student. The id column is `id` (or `student_id`); every other
///   column is a field of the schema. An empty cell is a missing value.
/// - `events.csv`: columns `student_id`, `kind`, `date` and optionally `note`; one row per event.
/// - `scales.csv`: columns `student_id`, `scale`, `date`, then either item answers `item1`…`itemN` (as many as the
///   scale has; later item columns empty), or score columns named as the scale's scores, and optionally `class`.
///
/// Files follow RFC 4180 (fields in double quotes may hold commas, line breaks and `""` for a quote). A bad row
/// rejects the student it belongs to, with file, line, student and field; the other students are still read.
/// Rows are read straight into record storage (`CSVRecordDecoder`), on all cores for a large table.
public enum CSVReader {
    /// Reads a students table and, when given, the events and scales tables that belong to it. A column, event kind,
    /// scale or score the schema does not know refuses its table or record, or with `unknownNames: .ignore` is left
    /// out and counted in the batch's ``RecordBatch/ignored``.
    public static func read(
        students: String, events: String?, scales: String?, schema: Schema, encoding: TextEncoding = .utf8,
        unknownNames: UnknownNames = .refuse
    ) throws(RecordFileError) -> RecordBatch {
        let studentTable = try CSVTable.parse(RecordReader.text(ofFile: students, encoding: encoding), file: students)
        let eventTable = try events.map { path throws(RecordFileError) in
            try CSVTable.parse(RecordReader.text(ofFile: path, encoding: encoding), file: path)
        }
        let scaleTable = try scales.map { path throws(RecordFileError) in
            try CSVTable.parse(RecordReader.text(ofFile: path, encoding: encoding), file: path)
        }
        return try join(
            students: studentTable, events: eventTable, scales: scaleTable, schema: schema, unknownNames: unknownNames)
    }

    /// Reads the tables from their bytes instead of files, as ``read(students:events:scales:schema:encoding:)`` does
    /// (same checks, same encoding): `students.csv`, `events.csv` and `scales.csv` name them in errors. Fuzz targets
    /// and tests use it without scratch files.
    package static func read(
        studentsText: [UInt8], eventsText: [UInt8]?, scalesText: [UInt8]?, schema: Schema,
        encoding: TextEncoding = .utf8
    ) throws(RecordFileError) -> RecordBatch {
        try read(
            studentsText: studentsText, eventsText: eventsText, scalesText: scalesText, schema: schema,
            encoding: encoding, carefulOnly: false)
    }

    /// As ``read(studentsText:eventsText:scalesText:schema:encoding:)``; `carefulOnly` reads every value through
    /// ``RecordDecoder``'s checks instead of from its bytes first, so that a test or fuzz target can hold the two
    /// ways to the same records and rejections.
    package static func read(
        studentsText: [UInt8], eventsText: [UInt8]?, scalesText: [UInt8]?, schema: Schema,
        encoding: TextEncoding = .utf8,
        carefulOnly: Bool, unknownNames: UnknownNames = .refuse
    ) throws(RecordFileError) -> RecordBatch {
        func table(_ bytes: [UInt8], _ file: String) throws(RecordFileError) -> CSVTable {
            try CSVTable.parse(RecordReader.utf8Text(bytes, file: file, encoding: encoding), file: file)
        }
        let studentTable = try table(studentsText, "students.csv")
        let eventTable = try eventsText.map { bytes throws(RecordFileError) in try table(bytes, "events.csv") }
        let scaleTable = try scalesText.map { bytes throws(RecordFileError) in try table(bytes, "scales.csv") }
        return try join(
            students: studentTable, events: eventTable, scales: scaleTable, schema: schema, carefulOnly: carefulOnly,
            unknownNames: unknownNames)
    }

    /// The events and scales tables that belong to a students table: `X-students.csv` goes with `X-events.csv` and
    /// `X-scales.csv` in the same directory, when they exist.
    public static func companions(ofStudents path: String) -> (events: String?, scales: String?) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let lower = name.lowercased()
        guard lower.hasSuffix("students.csv") else { return (nil, nil) }
        let prefix = String(name.dropLast("students.csv".count))
        func existing(_ table: String) -> String? {
            let candidate = directory.isEmpty ? prefix + table : directory + "/" + prefix + table
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        return (existing("events.csv"), existing("scales.csv"))
    }
}

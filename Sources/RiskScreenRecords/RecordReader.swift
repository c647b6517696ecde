internal import Foundation
public import RiskScreenRules
public import RiskScreenSupport
package import RiskScreenYAML

/// Reads student records from YAML and JSON Lines files, checking each against a rule set's schema.
///
/// A bad record is rejected with its file, line, student and field; the rest are still read.
public enum RecordReader {
    /// Top-level keys a YAML record file may have beside `students` (fixture files use them).
    static let yamlFileKeys: Set<String> = ["students", "as_of", "description", "name", "rules", "expectations"]

    /// Reads a UTF-8 file by its extension: `.yaml`/`.yml`, `.jsonl`/`.ndjson`/`.json`, or CSV tables (see
    /// ``read(contentsOf:schema:encoding:unknownNames:)``).
    public static func read(contentsOf path: String, schema: Schema) throws(RecordFileError) -> RecordBatch {
        try read(contentsOf: path, schema: schema, encoding: .utf8)
    }

    /// The keys a fixture adds to a student (its expectation and the reason for it); reading records skips them.
    package static let fixtureKeys: Set<String> = ["expect", "why"]

    /// Reads YAML records: a list of students, or a mapping with `students:`. A fixture's `expect:` and `why:` are
    /// skipped, so a fixture cohort can be scored like any record file. Names the schema does not know refuse their
    /// record, or with `unknownNames: .ignore` are left out and counted in the batch's ``RecordBatch/ignored``.
    public static func readYAML(
        _ bytes: [UInt8], file: String, schema: Schema, unknownNames: UnknownNames = .refuse
    ) throws(RecordFileError)
        -> RecordBatch
    {
        let root: YAMLNode
        do throws(YAMLError) {
            root = try YAMLParser.parse(bytes, file: file, limits: .recordFile)
        } catch {
            throw RecordFileError(.malformed, at: error.location, error.message)
        }
        let students = try studentNodes(root)
        let decoder = RecordDecoder(schema: schema, syntax: .text, extraKeys: fixtureKeys, unknownNames: unknownNames)
        var batch = RecordBatch()
        var register = StudentIDRegister(capacity: students.count)
        var parts = RecordParts()
        for node in students {
            switch decoder.decode(node, parts: &parts) {
            case .success(let record):
                if let rejection = register.register(record.id, at: node.location) {
                    batch.rejected.append(rejection)
                    continue
                }
                batch.records.append(record)
                batch.ignored.add(record: parts.ignored)
            case .failure(let error):
                batch.rejected.append(error)
            }
        }
        return batch
    }

    package static func studentNodes(_ root: YAMLNode) throws(RecordFileError) -> [YAMLNode] {
        if root.isNull { return [] }
        if let items = root.items { return items }
        guard let entries = root.entries else {
            throw RecordFileError(
                .malformed, at: root.location,
                "found \(root.kindDescription); expected a list of students or students: [...]")
        }
        for entry in entries where !yamlFileKeys.contains(entry.key) {
            throw RecordFileError(
                .unknownField, at: entry.keyLocation,
                "found the unknown key \"\(entry.key)\"; expected one of: \(yamlFileKeys.sorted().joined(separator: ", "))"
            )
        }
        guard let students = entries.first(where: { $0.key == "students" })?.value else {
            throw RecordFileError(.malformed, at: root.location, "found no students: list; expected students: [...]")
        }
        if students.isNull { return [] }
        guard let items = students.items else {
            throw RecordFileError(
                .malformed, at: students.location, "found \(students.kindDescription) for students; expected a list")
        }
        return items
    }

    /// Reads JSON Lines: one JSON object per line; blank lines are skipped. Large inputs are read on all cores,
    /// in slices of whole lines; records and rejections come back in file order. Names the schema does not know
    /// refuse their record, or with `unknownNames: .ignore` are left out and counted (such a record is read by the
    /// careful decoder, not the fast path).
    public static func readJSONLines(
        _ bytes: [UInt8], file: String, schema: Schema, unknownNames: UnknownNames = .refuse
    ) -> RecordBatch {
        let bytes = withLoneCarriageReturnsAsLineFeeds(bytes)
        let decoder = RecordDecoder(schema: schema, syntax: .json, unknownNames: unknownNames)
        let fastPath = JSONRecordFastPath(schema: schema)
        return bytes.withUnsafeBufferPointer { buffer in
            // A UTF-8 byte order mark at the start is allowed.
            let start = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
            // One slice per worker, at least 512 KiB each (Parallel's rule, in bytes).
            let workers = Parallel.workerCount(items: buffer.count - start, minimumPerWorker: 512 << 10)
            let slices = lineSlices(buffer, from: start, count: workers)
            let input = UnsafeSendableBuffer(base: UnsafeMutablePointer(mutating: buffer.baseAddress))
            let count = buffer.count
            let parts = Parallel.map(parts: slices.count) { part in
                let slice = slices[part]
                return readLines(
                    UnsafeBufferPointer(start: input.base, count: count), slice.range, firstLine: slice.firstLine,
                    file: file, fastPath: fastPath, decoder: decoder
                ).batch
            }
            // Ids are checked across slices, in file order: the first record with an id wins.
            var batch = RecordBatch()
            var register = StudentIDRegister(capacity: parts.reduce(0) { $0 + $1.records.count })
            for part in parts {
                batch.rejected += part.rejected
                batch.ignored.merge(part.ignored)
                for record in part.records {
                    let location = SourceLocation(file: file, line: record.location?.line ?? 0, column: 1)
                    if let rejection = register.register(record.id, at: location) {
                        batch.rejected.append(rejection)
                    } else {
                        batch.records.append(record)
                    }
                }
            }
            batch.rejected.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
            return batch
        }
    }

    /// For a file with classic Mac line ends (CR only, no line feed anywhere) the bytes with every carriage return
    /// turned into a line feed, so that it reads line by line; any other file unchanged (there a carriage return is a
    /// CR LF line end or, as JSON allows, space between tokens).
    static func withLoneCarriageReturnsAsLineFeeds(_ bytes: [UInt8]) -> [UInt8] {
        let classicMac = bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0x0A, buffer.count) == nil && memchr(base, 0x0D, buffer.count) != nil
        }
        guard classicMac else { return bytes }
        return bytes.map { $0 == 0x0D ? 0x0A : $0 }
    }

    /// Splits the input into about `count` slices that start and end on line boundaries, with each slice's first line
    /// number.
    static func lineSlices(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> [(
        range: Range<Int>, firstLine: Int
    )] {
        var line = 1
        return lineBounds(buffer, from: start, count: count).map { range in
            defer {
                var position = range.lowerBound
                while let newline = lineEnd(buffer, from: position, to: range.upperBound) {
                    line += 1
                    position = newline + 1
                }
            }
            return (range, line)
        }
    }

    /// `buffer[start...]` cut into about `count` ranges of about the same size, each ending just after a line feed
    /// (the last at the end of the buffer).
    static func lineBounds(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        let target = max(1, (buffer.count - start) / max(1, count))
        var boundStart = start
        while boundStart < buffer.count {
            let end =
                lineEnd(buffer, from: min(buffer.count, boundStart + target) - 1, to: buffer.count).map { $0 + 1 }
                ?? buffer.count
            bounds.append(boundStart..<end)
            boundStart = end
        }
        return bounds
    }

    /// The index of the first line feed in `buffer[from..<to]`, or nil.
    static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = buffer.baseAddress, let found = memchr(base + from, 0x0A, to - from) else {
            return nil
        }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Reads the lines of `buffer[range]`, the first of them line `firstLine`: the batch, and where each accepted
    /// record's line starts in `buffer`.
    static func readLines(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, firstLine: Int, file: String,
        fastPath: JSONRecordFastPath, decoder: RecordDecoder
    ) -> (batch: RecordBatch, lineStarts: [Int]) {
        var batch = RecordBatch()
        var lineStarts: [Int] = []
        var scratch = JSONRecordFastPath.Scratch()
        var parts = RecordParts()
        var lineStart = range.lowerBound
        var lineNumber = firstLine
        while lineStart < range.upperBound {
            let lineEnd = Self.lineEnd(buffer, from: lineStart, to: range.upperBound) ?? range.upperBound
            defer {
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            var contentEnd = lineEnd
            if contentEnd > lineStart, buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if (lineStart..<contentEnd).allSatisfy({ buffer[$0] == 0x20 || buffer[$0] == 0x09 }) { continue }
            if let record = fastPath.decode(
                buffer, range: lineStart..<contentEnd, file: file, line: lineNumber, scratch: &scratch)
            {
                batch.records.append(record)
                lineStarts.append(lineStart)
                continue
            }
            do throws(JSONParser.Failure) {
                let node = try JSONParser.parse(buffer, range: lineStart..<contentEnd, file: file, line: lineNumber)
                switch decoder.decode(node, parts: &parts) {
                case .success(let record):
                    batch.records.append(record)
                    lineStarts.append(lineStart)
                    batch.ignored.add(record: parts.ignored)
                case .failure(let error): batch.rejected.append(error)
                }
            } catch {
                batch.rejected.append(
                    RecordError(
                        error.code, at: error.location, studentID: error.studentID, field: error.field, error.message))
            }
        }
        return (batch, lineStarts)
    }
}

/// A record file that could not be read at all (missing, not YAML, wrong shape): no record in it was scored.
public struct RecordFileError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public let location: SourceLocation
    /// What was found and what was expected.
    public let message: String
    /// What kind of problem it is, as a stable name to test instead of the message (which may be reworded).
    public let code: Code

    /// The codes of a record file's errors are those of a record's.
    public typealias Code = RecordError.Code

    package init(_ code: Code, at location: SourceLocation, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String { "\(location): error: \(message)" }
}

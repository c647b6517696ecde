import Foundation
import RiskScreen
@_spi(RiskScreenStorage) import RiskScreenSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a streamed run keeps of each student for the cohort rules, which it needs only once the whole cohort is read
/// and every trigger known: the key each rule may raise the student by, where the student's line starts in its input
/// and the line's number, and where its result ends in the result's scratch file. A fixed record per student (24
/// bytes, and 4 per cohort rule) goes to a scratch file of its own as the cohort is read, a megabyte at a time, and is
/// read back once, in order, when the students the rules raise are sought
/// (``forEachCandidate(matching:each:)``): held in memory, the index of a million students took about 10 MB for the
/// whole reading beside the ids (14 before its keys were folded to four bytes). In memory stay the count, the inputs
/// of each run of students, and where the last result ends.
struct CompactIndex {
    /// Students so far.
    private(set) var count = 0
    /// How many cohort rules there are (0: nothing is kept but the count).
    private let rules: Int
    /// Which input each student was read from: the first student of each run of students from one input, and the
    /// input (the students of an input are read one after another).
    private var readerRunStarts: [Int] = []
    private var readerOfRun: [Int] = []
    /// Where the first student's result starts in the result's scratch file, and where the last one's ends.
    private let resultStart: Int
    private(set) var resultEnd: Int
    /// The records not yet written, and the file they go to (made with the first).
    private var pending: [UInt8] = []
    private var file: SpoolFile?
    /// Where the file is made: beside this output, or in `TMPDIR` (``SpoolFile/init(near:)``).
    private let near: String?
    /// How many bytes of records wait before they are written, and are read back at a time (about).
    private let bufferBytes: Int

    /// An index for `rules` cohort rules, whose first result starts at `resultStart` in the result's scratch file;
    /// its file beside `output` (or in `TMPDIR`), written `bufferBytes` at a time (1 MB; the tests set less, to
    /// write and read a small cohort in many pieces).
    init(rules: Int, resultStart: Int = 0, near output: String? = nil, bufferBytes: Int = 1 << 20) {
        self.rules = rules
        (self.resultStart, resultEnd) = (resultStart, resultStart)
        near = output
        self.bufferBytes = min(max(1, bufferBytes), 1 << 30)
    }

    /// What one student's record holds.
    struct Entry: Sendable {
        /// The student's position in the run, and the input it was read from.
        var student: Int
        var reader: Int
        /// Where its line starts in its input, and the line's number.
        var lineStart: Int
        var line: Int
        /// Where its result lies in the result's scratch file.
        var result: Range<Int>
    }

    /// Bytes a student's record takes.
    private var recordSize: Int { 4 * rules + 24 }

    /// The input `student` was read from.
    func reader(of student: Int) -> Int {
        // The last run beginning at or before the student (the first begins at 0).
        var (lower, upper) = (0, readerRunStarts.count)
        while upper - lower > 1 {
            let middle = (lower + upper) / 2
            if readerRunStarts[middle] <= student { lower = middle } else { upper = middle }
        }
        return readerOfRun[lower]
    }

    /// Adds `records`, read from input `reader`, with where each line starts, each result's length in bytes and, per
    /// cohort rule, each record's key (0: the rule cannot raise it). Prints why and exits 1 when the file cannot be
    /// made or written.
    mutating func add(
        _ records: [StudentRecord], lineStarts: [Int], resultLengths: [Int], reader: Int, raiseKeys: [[UInt64]]
    ) throws {
        guard rules > 0 else {
            count += records.count
            return
        }
        precondition(
            lineStarts.count == records.count && resultLengths.count == records.count && raiseKeys.count == rules,
            "an index entry for every record")
        if readerOfRun.last != reader {
            readerRunStarts.append(count)
            readerOfRun.append(reader)
        }
        count += records.count
        for position in records.indices {
            for rule in 0..<rules { pending.appendBytes(of: CohortExposure.shortKey(raiseKeys[rule][position])) }
            resultEnd += resultLengths[position]
            pending.appendBytes(of: Int64(lineStarts[position]))
            pending.appendBytes(of: Int64(records[position].location?.line ?? 0))
            pending.appendBytes(of: Int64(resultEnd))
        }
        if pending.count >= bufferBytes { try flush() }
    }

    /// Writes the records waiting, once every student is added. Prints why and exits 1 on failure.
    mutating func finishWrites() throws {
        try flush()
    }

    /// Writes the records waiting. Prints why and exits 1 on failure.
    private mutating func flush() throws {
        if pending.isEmpty { return }
        if file == nil { file = try SpoolFile(near: near) }
        try file?.write(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every student for whom `mayRaise(rule, key)` holds for some rule and a key other than 0 (no
    /// group), in order, reading the records back four buffers at a time (after ``finishWrites()``). Prints why and
    /// exits 1 when reading fails.
    func forEachCandidate(
        matching mayRaise: (_ rule: Int, _ key: UInt32) -> Bool, each body: (Entry) throws -> Void
    ) throws {
        precondition(pending.isEmpty, "the index is read once every student is written")
        guard rules > 0, let file else { return }
        let size = recordSize
        var pieces = file.pieces(of: max(size, 4 * bufferBytes / size * size))
        var (student, resultStart) = (0, resultStart)
        while let bytes = try pieces.next() {
            // Whole records only: the file grows by them, and each piece is a multiple of them.
            guard bytes.count % size == 0 else {
                printError(SpoolFile.readFailure(EIO))
                throw Exit.failure
            }
            try bytes.withUnsafeBytes { raw in
                for offset in stride(from: 0, to: raw.count, by: size) {
                    let keysEnd = offset + 4 * rules
                    let resultEnd = Int(raw.loadUnaligned(fromByteOffset: keysEnd + 16, as: Int64.self))
                    defer {
                        student += 1
                        resultStart = resultEnd
                    }
                    guard
                        (0..<rules).contains(where: {
                            let key = raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self)
                            return key != 0 && mayRaise($0, key)
                        })
                    else { continue }
                    try body(
                        Entry(
                            student: student, reader: self.reader(of: student),
                            lineStart: Int(raw.loadUnaligned(fromByteOffset: keysEnd, as: Int64.self)),
                            line: Int(raw.loadUnaligned(fromByteOffset: keysEnd + 8, as: Int64.self)),
                            result: resultStart..<resultEnd))
                }
            }
        }
    }
}

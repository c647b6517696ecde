internal import Foundation
public import RiskScreenRules
internal import RiskScreenSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a JSON Lines file a chunk of whole lines at a time, so that a cohort of any size is read in bounded memory:
/// each chunk is about `chunkBytes` (more only when one line is longer), decoded on all cores, records and rejections
/// in file order, the same records ``RecordReader/readJSONLines(_:file:schema:unknownNames:)`` reads from the whole
/// file. Repeated ids are not checked here: the caller registers each chunk's ids in order (``StudentIDRegister``), as
/// ``RecordReader/readJSONLines(contentsOf:schema:chunkBytes:_:)`` does.
///
/// The text must be UTF-8 (a byte order mark is allowed); each chunk is checked before it is decoded, so a file with
/// a bad byte fails at the chunk that holds it. A file with classic Mac line ends (carriage returns and no line feed)
/// is read whole, as it has no line to cut at.
///
/// ``next()`` is called from one thread at a time; ``record(atOffset:line:)``, which reads only what the first chunk
/// settled, may be called from several at once.
package final class JSONLinesChunkReader: @unchecked Sendable {
    /// One chunk of records.
    package struct Chunk: Sendable {
        /// The chunk's records and rejections (repeated ids not yet checked).
        package var batch: RecordBatch
        /// Where each accepted record's line starts in the file, in bytes.
        package var lineStarts: [Int]
    }

    /// The file read, as messages name it.
    package let file: String
    /// The file's size when it is a regular file.
    package let size: Int?
    /// Bytes consumed so far.
    package private(set) var bytesRead = 0
    /// Whether the file has classic Mac line ends (read whole, carriage returns as line feeds).
    package private(set) var classicMac = false

    private var descriptor: Int32
    /// What identifies the file's contents when it was opened (device, inode, size, modification time): a file found
    /// otherwise when it is opened again (``reopen()``) changed while it was scored.
    private let identity: [Int]
    private let chunkBytes: Int
    private let fastPath: JSONRecordFastPath
    private let decoder: RecordDecoder
    /// Bytes read and not yet cut into a chunk; `buffer[0]` is at `bufferOffset` in the file.
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    private var nextLine = 1
    private var atEnd = false
    private var started = false

    /// Opens `path`; a file that cannot be opened is refused as ``RecordReader/read(contentsOf:schema:)`` refuses it.
    package init(
        path: String, schema: Schema, unknownNames: UnknownNames = .refuse, chunkBytes: Int = 8 << 20
    ) throws(RecordFileError) {
        file = path
        self.chunkBytes = max(1, chunkBytes)
        fastPath = JSONRecordFastPath(schema: schema)
        decoder = RecordDecoder(schema: schema, syntax: .json, unknownNames: unknownNames)
        let opened = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard opened >= 0 else {
            let code = errno
            throw RecordFileError(
                code == ENOENT ? .fileNotFound : .unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                code == ENOENT
                    ? "found no file or directory \(path); expected a record file"
                    : "could not read \(path) (\(String(cString: strerror(code)))); expected a readable file")
        }
        // Reads block as usual; opening did not, so a named pipe with no writer reads as empty.
        _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK)
        var info = stat()
        if fstat(opened, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            close(opened)
            throw RecordFileError(
                .unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                "found a directory at \(path); expected a record file")
        }
        size = fstat(opened, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : nil
        identity = Self.identity(info)
        descriptor = opened
    }

    deinit { closeFile() }

    /// Closes the file once it is read (``record(atOffset:line:)`` needs ``reopen()`` then), so that a run over many
    /// files does not hold them all open.
    package func closeFile() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Opens the file again after ``closeFile()`` (nothing when it is open), refusing it when it is no longer the
    /// file that was read: another device, inode, size or modification time means its lines may not be those read.
    package func reopen() throws(RecordFileError) {
        if descriptor >= 0 { return }
        let opened = open(file, O_RDONLY | O_CLOEXEC)
        // A file that cannot be opened for another reason than its absence (too many open files, no permission) is
        // refused with that reason.
        if opened < 0 && errno != ENOENT {
            let code = errno
            throw RecordFileError(
                .unreadableFile, at: SourceLocation(file: file, line: 1, column: 1),
                "could not open the file again to read the students a cohort rule raises: "
                    + "\(String(cString: strerror(code))) (errno \(code)); expected it readable until the run ends")
        }
        var info = stat()
        guard opened >= 0, fstat(opened, &info) == 0, Self.identity(info) == identity else {
            if opened >= 0 { close(opened) }
            throw RecordFileError(
                .unreadableFile, at: SourceLocation(file: file, line: 1, column: 1),
                "found the file changed (or gone) while it was scored; expected it unchanged until the run ends, as the "
                    + "students a cohort rule raises are read from it again")
        }
        descriptor = opened
    }

    /// Device, inode, size and modification time.
    private static func identity(_ info: stat) -> [Int] {
        #if canImport(Darwin)
            let modified = [Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
        #else
            let modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        #endif
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size)] + modified
    }

    /// A chunk's text, checked to be UTF-8, cut into parts of whole lines that can be decoded on several threads at
    /// once (``decode(_:part:)``).
    package struct Text: Sendable {
        /// The bytes of the chunk's whole lines.
        package let bytes: [UInt8]
        /// Where `bytes` starts in the file.
        package let offset: Int
        /// The parts: ranges of `bytes` and the number of each one's first line.
        package let parts: [(range: Range<Int>, firstLine: Int)]
    }

    /// The next chunk, decoded on all cores, or nil at the end of the file.
    package func next() throws(RecordFileError) -> Chunk? {
        guard let text = try nextText(parts: Parallel.cores) else { return nil }
        let parts = Parallel.map(parts: text.parts.count) { self.decode(text, part: $0) }
        var chunk = Chunk(batch: RecordBatch(), lineStarts: [])
        chunk.batch.records.reserveCapacity(parts.reduce(0) { $0 + $1.batch.records.count })
        chunk.lineStarts.reserveCapacity(chunk.batch.records.capacity)
        for part in parts {
            chunk.batch.records += part.batch.records
            chunk.batch.rejected += part.batch.rejected
            chunk.batch.ignored.merge(part.batch.ignored)
            chunk.lineStarts += part.lineStarts
        }
        return chunk
    }

    /// The next chunk's text in up to `parts` parts of about the same size, or nil at the end of the file. Checking
    /// the text and counting its lines run on all cores.
    package func nextText(parts: Int) throws(RecordFileError) -> Text? {
        // Read until the buffer holds a chunk's worth and a line end, or the file ends.
        while !atEnd && (buffer.count < chunkBytes || lastLineFeed() == nil) {
            // One line (or a file without line feeds) is held whole: within the limit of a file read whole.
            if buffer.count > BoundedFileReader.Limit.recordFile.regularFile {
                throw RecordFileError(
                    .tooLarge, at: SourceLocation(file: file, line: nextLine, column: 1),
                    "found a line longer than \(BoundedFileReader.Limit.recordFile.regularFile >> 30) GB; expected "
                        + "one JSON object a line, each line ending in a line feed")
            }
            // Up to a chunk, then doubling while one line goes on, so that a long line is scanned a few times only.
            try fill(atLeast: buffer.count < chunkBytes ? chunkBytes - buffer.count : buffer.count)
        }
        if buffer.isEmpty { return nil }
        var start = 0
        if !started {
            started = true
            // A UTF-8 byte order mark at the start is allowed, and a second one after it: the whole-file reader
            // takes one off when it checks the text and one more when it reads the lines.
            for _ in 0..<2
            where buffer.count >= start + 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB
                && buffer[start + 2] == 0xBF
            {
                start += 3
            }
            if atEnd && lastLineFeed() == nil && buffer.contains(0x0D) {
                classicMac = true
                for index in buffer.indices where buffer[index] == 0x0D { buffer[index] = 0x0A }
            }
        }
        let cut = atEnd ? buffer.count : (lastLineFeed() ?? buffer.count - 1) + 1
        // The buffer itself becomes the chunk's text, cut to size, and the rest of it (part of a line) a new buffer:
        // the chunk is not copied.
        var taken = buffer
        buffer = Array(buffer[cut...])
        taken.removeSubrange(cut...)
        if start > 0 { taken.removeSubrange(0..<start) }
        let text = taken
        let offset = bufferOffset + start
        bytesRead = bufferOffset + cut
        bufferOffset += cut
        // Parts of about the same size, cut after a line feed; each is checked and its lines counted on its own.
        let bounds = text.withUnsafeBufferPointer { RecordReader.lineBounds($0, from: 0, count: parts) }
        let checked = Parallel.map(parts: bounds.count) { part in
            text.withUnsafeBufferPointer { buffer -> (lines: Int, invalid: (Int, Int)?) in
                let slice = UnsafeBufferPointer(rebasing: buffer[bounds[part]])
                if let invalid = RecordReader.firstInvalidUTF8(slice) { return (0, invalid) }
                var lines = 0
                var position = 0
                while let newline = RecordReader.lineEnd(slice, from: position, to: slice.count) {
                    lines += 1
                    position = newline + 1
                }
                return (lines, nil)
            }
        }
        var textParts: [(range: Range<Int>, firstLine: Int)] = []
        for (part, result) in checked.enumerated() {
            if let (line, column) = result.invalid {
                throw RecordFileError(
                    .encoding, at: SourceLocation(file: file, line: nextLine + line - 1, column: column),
                    "found bytes that are not UTF-8; expected UTF-8 text (a file saved by Excel in China is usually GB18030: pass --encoding gb18030)"
                )
            }
            textParts.append((bounds[part], nextLine))
            nextLine += result.lines
        }
        // A last line without a line feed.
        if let last = text.last, last != 0x0A { nextLine += 1 }
        return Text(bytes: text, offset: offset, parts: textParts)
    }

    /// Decodes part `part` of `text`: its records and rejections, and where each record's line starts in the file.
    /// May run on several threads at once, each on its own part.
    package func decode(_ text: Text, part: Int) -> Chunk {
        text.bytes.withUnsafeBufferPointer { buffer in
            let (batch, starts) = RecordReader.readLines(
                buffer, text.parts[part].range, firstLine: text.parts[part].firstLine, file: file,
                fastPath: fastPath, decoder: decoder)
            return Chunk(batch: batch, lineStarts: starts.map { text.offset + $0 })
        }
    }

    /// Re-reads the line that starts at `offset` (one of a chunk's ``Chunk/lineStarts``), its number `line`: the same
    /// record the chunk held, for a student whose assessment is mended after the stream.
    package func record(atOffset offset: Int, line: Int) -> StudentRecord? {
        var bytes: [UInt8] = []
        // A line is usually a few kilobytes: read a little more than that, and more only for a longer one.
        var window = 8 << 10
        while true {
            bytes = [UInt8](unsafeUninitializedCapacity: window) { buffer, initialized in
                initialized = max(0, pread(descriptor, buffer.baseAddress, window, off_t(offset)))
            }
            if classicMac { bytes = bytes.map { $0 == 0x0D ? 0x0A : $0 } }
            if let end = bytes.firstIndex(of: 0x0A) {
                bytes.removeSubrange(end...)
                break
            }
            if bytes.count < window { break }
            window *= 4
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes.withUnsafeBufferPointer { buffer in
            RecordReader.readLines(
                buffer, 0..<buffer.count, firstLine: line, file: file, fastPath: fastPath, decoder: decoder
            ).batch.records.first
        }
    }

    /// The index of the last line feed in the buffer.
    private func lastLineFeed() -> Int? {
        buffer.withUnsafeBufferPointer { buffer in buffer.lastIndex(of: 0x0A) }
    }

    /// Appends up to `count` bytes from the file to the buffer; sets `atEnd` when the file ends.
    private func fill(atLeast count: Int) throws(RecordFileError) {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var filled = old
        while filled < buffer.count {
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.removeSubrange(filled...)
                throw RecordFileError(
                    .unreadableFile, at: SourceLocation(file: file, line: nextLine, column: 1),
                    "could not read \(file) (\(String(cString: strerror(code)))); expected a readable file")
            }
            if got == 0 {
                atEnd = true
                break
            }
            filled += got
        }
        buffer.removeSubrange(filled...)
    }
}

extension RecordReader {
    /// Reads a UTF-8 JSON Lines file a chunk at a time, calling `body` with each chunk's records and rejections in
    /// file order, so that a cohort of any size is read in bounded memory (about `chunkBytes` of text at a time, more
    /// only for a longer line). The records and rejections, taken together, are those of
    /// ``read(contentsOf:schema:)``: a repeated id is rejected in the chunk where it repeats. A file that cannot be
    /// read, or a byte that is not UTF-8, ends the reading with an error after the chunks before it.
    public static func readJSONLines(
        contentsOf path: String, schema: Schema, chunkBytes: Int = 8 << 20,
        _ body: (_ chunk: RecordBatch) throws -> Void
    ) throws {
        let reader = try JSONLinesChunkReader(path: path, schema: schema, chunkBytes: chunkBytes)
        var register = StudentIDRegister()
        while let chunk = try reader.next() {
            try body(register.accept(chunk.batch, file: path))
        }
    }
}

extension StudentIDRegister {
    /// `batch` with each record whose id was registered before (in this batch or an earlier one) rejected, where it
    /// was read; rejections in line order.
    package mutating func accept(_ batch: RecordBatch, file: String) -> RecordBatch {
        var accepted = RecordBatch(records: [], rejected: batch.rejected, ignored: batch.ignored)
        accepted.records.reserveCapacity(batch.records.count)
        var repeated = false
        for record in batch.records {
            let location = SourceLocation(file: file, line: record.location?.line ?? 0, column: 1)
            if let rejection = register(record.id, at: location) {
                accepted.rejected.append(rejection)
                repeated = true
            } else {
                accepted.records.append(record)
            }
        }
        if repeated {
            accepted.rejected.sort {
                ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
            }
        }
        return accepted
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scratch file for output that must wait (a streamed result whose cohort-rule mends are known only at the end,
/// or any result on its way to standard output, which stays whole or empty), and for what a streamed run keeps of
/// every student until the end (``CompactIndex``, the summary's attention list): created 0600 without a name
/// (`O_TMPFILE`) beside `--output` or in `TMPDIR` (or `/tmp`), or named and unlinked at once where that is not
/// supported, so that nothing is left behind on exit, on a signal or on a crash. It holds only what the run writes
/// or shows: the rendered result as the final output would, the summary's list as the audience sees it, and the
/// index's keys and offsets.
final class SpoolFile {
    private let descriptor: Int32
    /// Bytes written so far.
    private(set) var size = 0
    /// The bytes before this offset were read back for the last time and their pages given back (``giveBack(before:)``).
    private var givenBack = 0

    /// Creates the scratch file in the folder of `output` (the result's own file system, which must hold the result
    /// anyway) or, for standard output, a device or a folder that cannot hold it, in `TMPDIR` (or `/tmp`); prints
    /// why and exits 1 when it cannot.
    convenience init(near output: String?) throws {
        let (opened, folder) = Self.openFirst(near: output)
        guard opened >= 0 else {
            printError(
                "\(folder): error: could not create a scratch file: \(String(cString: strerror(errno))) "
                    + "(errno \(errno)); expected a writable TMPDIR")
            throw Exit.failure
        }
        self.init(descriptor: opened)
    }

    /// The scratch file ``init(near:)`` creates, or nil when it cannot, without a word.
    static func ifPossible(near output: String?) -> SpoolFile? {
        let opened = openFirst(near: output).descriptor
        return opened >= 0 ? SpoolFile(descriptor: opened) : nil
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// A scratch file in the first folder for `output` that takes one (``init(near:)``): its descriptor, or -1; and
    /// the last folder tried.
    private static func openFirst(near output: String?) -> (descriptor: Int32, folder: String) {
        let temporary = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var folders = [temporary]
        if let output, !output.hasPrefix("/dev/") && !output.hasPrefix("/proc/") {
            let folder = (output as NSString).deletingLastPathComponent
            folders.insert(folder.isEmpty ? "." : folder, at: 0)
        }
        var (opened, folder) = (Int32(-1), temporary)
        for candidate in folders where opened < 0 {
            folder = candidate
            opened = create(in: candidate)
        }
        return (opened, folder)
    }

    /// A scratch file without a name in `folder`, or -1.
    private static func create(in folder: String) -> Int32 {
        var opened: Int32 = -1
        #if os(Linux)
            // O_TMPFILE is `__O_TMPFILE | O_DIRECTORY`; Swift does not import the macro.
            opened = open(folder, 0o20_000_000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
        #endif
        var attempt = 0
        while opened < 0 && attempt < 100 {
            let path = folder + "/.riskscreen-spool-\(getpid())-\(attempt)"
            // Named and unlinked while the signal thread waits for the lock, so that no signal ends the run between.
            opened = TemporaryFiles.shared.whileLocked { _ in
                let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if descriptor >= 0 { unlink(path) }
                return descriptor
            }
            if opened < 0 && errno != EEXIST { break }
            attempt += 1
        }
        return opened
    }

    deinit { close(descriptor) }

    /// Appends bytes; prints why and exits 1 on failure.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    printError(
                        "error: could not write a scratch file: \(String(cString: strerror(errno))) (errno \(errno))"
                    )
                    throw Exit.failure
                }
                offset += written
            }
        }
        size += bytes.count
    }

    /// The message for a read back that failed with `code`.
    static func readFailure(_ code: Int32) -> String {
        "error: could not read back a scratch file: \(String(cString: strerror(code)))"
    }

    /// Reads what was written, from any thread (while nothing is written).
    var reader: Reader { Reader(descriptor: descriptor) }

    /// Reads a scratch file's bytes.
    struct Reader: Sendable {
        let descriptor: Int32

        /// The bytes of `range`, or nil (`errno` says why).
        func read(_ range: Range<Int>) -> [UInt8]? {
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                var done = 0
                while done < range.count, let base = buffer.baseAddress {
                    let got = pread(descriptor, base + done, range.count - done, off_t(range.lowerBound + done))
                    if got < 0 && errno == EINTR { continue }
                    guard got > 0 else {
                        // The file ends before the range does (nothing written there): an input/output error.
                        if got == 0 { errno = EIO }
                        failed = true
                        break
                    }
                    done += got
                }
                initialized = done
            }
            return failed ? nil : bytes
        }
    }

    /// Reads back everything written, `piece` bytes at a time cut after the last line feed in them (a line longer
    /// than a piece waits for its end), and hands each run of whole lines (the last one may lack its line feed) to
    /// `body`: text written as it was made is read back in bounded memory, never split inside a character. Prints why
    /// and exits 1 when reading fails.
    func readLines(piece: Int = 4 << 20, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var pieces = self.pieces(of: piece)
        var pending: [UInt8] = []
        while let bytes = try pieces.next() {
            if pending.isEmpty { pending = bytes } else { pending += bytes }
            guard let lastFeed = pending.lastIndex(of: 0x0A) else { continue }
            try body(pending[...lastFeed])
            pending.removeSubrange(...lastFeed)
        }
        if !pending.isEmpty { try body(pending[...]) }
    }

    /// Reads back everything written, in order, `piece` bytes at a time (the last piece may be shorter).
    func pieces(of piece: Int = 4 << 20) -> Pieces {
        Pieces(reader: reader, size: size, piece: piece)
    }

    /// The pieces of a scratch file, read one at a time (``pieces(of:)``).
    struct Pieces {
        let reader: Reader
        let size: Int
        let piece: Int
        private var position = 0

        init(reader: Reader, size: Int, piece: Int) {
            precondition(piece > 0, "a piece holds a byte at least")
            (self.reader, self.size, self.piece) = (reader, size, piece)
        }

        /// The next piece, nil after the last. Prints why and exits 1 when reading fails.
        mutating func next() throws -> [UInt8]? {
            guard position < size else { return nil }
            let end = min(size, position + piece)
            guard let bytes = reader.read(position..<end) else {
                printError(SpoolFile.readFailure(errno))
                throw Exit.failure
            }
            position = end
            return bytes
        }
    }

    /// Gives back the pages before `offset`, whose bytes are read for the last time: a hole is punched over the
    /// whole pages since the last one given back (best effort: a file system without holes keeps them). Their memory
    /// goes to the output written next, instead of new pages (which on a virtual machine may each cost a fault in the
    /// host), and the scratch file is never written to disk.
    func giveBack(before offset: Int) {
        #if os(Linux)
            let end = offset & ~(Self.holeGranularity - 1)
            guard end > givenBack else { return }
            // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
            _ = Self.fallocate?(descriptor, 0x02 | 0x01, off_t(givenBack), off_t(end - givenBack))
            givenBack = end
        #endif
    }

    /// Holes are punched a megabyte at a time at least (whole pages on any page size).
    private static let holeGranularity = 1 << 20

    #if os(Linux)
        /// glibc's `fallocate(2)`, looked up by name once: its header declares it only for `_GNU_SOURCE`, which
        /// Swift's Glibc module does not define.
        private static let fallocate = systemFunction(
            named: "fallocate", as: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
    #endif

    /// Appends `range` of what was written to `output`, 16 MB at a time: copied by the kernel where it can
    /// (``OutputFile/appendCopy(of:from:)``), else read back and written; the pages of each piece are given back once
    /// it is copied (``giveBack(before:)``). Prints why and exits 1 when reading or writing fails.
    func copy(_ range: Range<Int>, to output: OutputFile) throws {
        var position = range.lowerBound
        while position < range.upperBound {
            let end = min(range.upperBound, position + (16 << 20))
            position = output.appendCopy(of: position..<end, from: descriptor)
            while position < end {
                let stop = min(end, position + (4 << 20))
                guard let bytes = reader.read(position..<stop) else {
                    printError(Self.readFailure(errno))
                    throw Exit.failure
                }
                try output.write(bytes)
                position = stop
            }
            giveBack(before: end)
        }
    }
}

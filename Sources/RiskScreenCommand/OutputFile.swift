import ArgumentParser
import Foundation
import RiskScreen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every file the command writes: whole or not at all, with the mode of the file it replaces.
///
/// Bytes go to a temporary file in the final file's own folder, created with the final file's mode (0600 when it is
/// new). ``commit(_:)`` flushes every temporary of a group to disk (`fsync`) before it renames the first, then
/// flushes the folders, so a failure while writing leaves every final file of the group as it was. On Linux the
/// temporary has no name until it is committed (`O_TMPFILE`), so a killed run leaves nothing behind; elsewhere, or
/// where the file system does not support it, it is `.NAME.riskscreen-tmp-PID-N`, removed on failure, on SIGINT,
/// SIGTERM and SIGHUP (``TemporaryFiles``), and left only by SIGKILL. A path that is a device or a pipe
/// (`/dev/stdout`) is written directly, and no path at all means standard output.
final class OutputFile {
    /// Where the bytes go.
    private enum Target {
        case standardOutput
        case device(path: String)
        case unnamed(final: String)
        case named(final: String, temporary: String)
    }

    private let target: Target
    private var descriptor: Int32
    /// A flush to disk begun before ``commit(_:)`` (``flushInBackground()``).
    private var earlyFlush: EarlyFlush?
    /// Whether the kernel refused to copy into this output (``appendCopy(of:from:)``): it is not asked again.
    private var kernelCopyRefused = false
    /// Bytes appended so far, and how many of them the kernel has been asked to start writing to disk
    /// (``startWriteback(after:)``).
    private var appended = 0
    private var writebackStarted = 0
    /// How many times the kernel took such a request (for the tests).
    private(set) var writebackRequests = 0
    /// The first failure a request reported (EIO, ENOSPC): ``commit(_:)`` fails with it even when its own `fsync`,
    /// finding nothing left to write, succeeds.
    private var writebackFailure: Int32 = 0

    /// The path the user gave, for messages.
    let path: String?

    /// Opens a temporary for `path` (or standard output when `path` is nil). Prints why and exits 1 when the folder
    /// cannot hold one.
    init(_ path: String?) throws {
        self.path = path
        guard let path else {
            target = .standardOutput
            descriptor = STDOUT_FILENO
            return
        }
        // `/dev/stdout` and its kin are written through the descriptor they name, never replaced by a rename: that
        // would replace whatever file the caller redirected the descriptor to.
        if let inherited = Self.inheritedDescriptor(path) {
            let descriptor = dup(inherited)
            guard descriptor >= 0 else {
                throw Self.failure(path, "could not open it for writing", errno, untouched: false)
            }
            self.target = .device(path: path)
            self.descriptor = descriptor
            return
        }
        // A link is followed: the file it names is replaced and the link kept.
        var final = path
        var linkInfo = stat()
        if lstat(path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
            if let resolved = realpath(path, nil) {
                final = String(cString: resolved)
                free(resolved)
            } else {
                // A link whose target does not exist yet: the result is written where it points, not over the link.
                printError(
                    "\(path): error: found a link to a file that does not exist; expected a file, or a link to one")
                throw Exit.failure
            }
        }
        var mode: mode_t = 0o600
        var owner: (uid_t, gid_t)?
        var info = stat()
        if stat(final, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                mode = info.st_mode & 0o777
                owner = (info.st_uid, info.st_gid)
            case S_IFDIR:
                printError("\(path): error: found a directory; expected a file to write the result to")
                throw Exit.failure
            default:
                // Without blocking, so that a named pipe with no reader is refused instead of waiting for one.
                let descriptor = open(final, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
                guard descriptor >= 0 else {
                    if errno == ENXIO {
                        printError(
                            "\(path): error: found a named pipe with no reader; expected a file, or a pipe that is being read"
                        )
                        throw Exit.failure
                    }
                    throw Self.failure(path, "could not open it for writing", errno)
                }
                let flags = fcntl(descriptor, F_GETFL)
                _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
                self.target = .device(path: final)
                self.descriptor = descriptor
                return
            }
        }
        let folder =
            (final as NSString).deletingLastPathComponent.isEmpty ? "." : (final as NSString).deletingLastPathComponent
        var target = Target.unnamed(final: final)
        var descriptor = Self.openUnnamed(in: folder)
        if descriptor < 0 && [EOPNOTSUPP, EISDIR, EINVAL, ENOENT].contains(errno) && Self.folderExists(folder) {
            // No O_TMPFILE on this system or file system: a named temporary, registered for removal on a signal.
            var attempt = 0
            repeat {
                let temporary =
                    folder + "/." + (final as NSString).lastPathComponent + ".riskscreen-tmp-\(getpid())-\(attempt)"
                descriptor = TemporaryFiles.shared.whileLocked { registered in
                    let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                    if opened >= 0 { registered.insert(temporary) }
                    return opened
                }
                target = .named(final: final, temporary: temporary)
                attempt += 1
            } while descriptor < 0 && errno == EEXIST && attempt < 100
        }
        guard descriptor >= 0 else {
            throw Self.failure(path, "could not create a temporary file in the folder \(folder)", errno)
        }
        self.target = target
        self.descriptor = descriptor
        // The final file's mode and owner, set on the descriptor so the umask plays no part.
        if fchmod(descriptor, mode) != 0 {
            let code = errno
            discard()
            throw Self.failure(path, "could not set the mode of the temporary file", code)
        }
        if let owner, owner != (geteuid(), getegid()), fchown(descriptor, owner.0, owner.1) != 0, mode & 0o077 != 0 {
            // The file would change hands but keep its group and other bits: narrow them to the owner rather than
            // show the results to a group that could not read them before.
            if fchmod(descriptor, mode & 0o700) != 0 {
                let code = errno
                discard()
                throw Self.failure(path, "could not set the mode of the temporary file", code)
            }
        }
    }

    deinit { discard() }

    /// Appends text.
    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Appends bytes; on failure removes the temporary, prints why and exits 1.
    func write(_ bytes: [UInt8]) throws {
        try write(bytes[...])
    }

    /// Appends bytes; on failure removes the temporary, prints why and exits 1.
    func write(_ bytes: ArraySlice<UInt8>) throws {
        let code: Int32? = bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if code == nil { startWriteback(after: bytes.count) }
        if let code {
            var untouched = true
            if case .device = target { untouched = false }
            discard()
            throw Self.failure(path, "could not write the result", code, untouched: untouched)
        }
    }

    /// Appends as much of `range` of the file open at `source` as the kernel copies itself (`copy_file_range(2)`:
    /// the bytes go from the page cache to the page cache, never through this process), and returns where it
    /// stopped: `range.upperBound` when it copied all of it, earlier when it cannot copy into this output (a pipe, a
    /// terminal, a file opened to append, another file system on an older kernel, a system without the call) or
    /// failed. The caller writes the rest itself, so a failure is reported as its own write's.
    func appendCopy(of range: Range<Int>, from source: Int32) -> Int {
        var position = range.lowerBound
        #if os(Linux)
            guard !kernelCopyRefused, let copyFileRange = Self.copyFileRange else { return position }
            while position < range.upperBound {
                // loff_t: 64 bits on every Linux.
                var offset = Int64(position)
                let copied = copyFileRange(
                    source, &offset, descriptor, nil, min(range.upperBound - position, 1 << 30), 0)
                if copied > 0 {
                    position += copied
                    startWriteback(after: copied)
                    continue
                }
                let code = copied < 0 ? errno : 0
                if code == EINTR { continue }
                // Any other error (ENOSPC, EIO) is left to the caller's own write of the rest, which reports it.
                if Self.refusesKernelCopy(errno: code) { kernelCopyRefused = true }
                break
            }
        #endif
        return position
    }

    #if os(Linux)
        /// glibc's `copy_file_range(2)` (2.27 and later), looked up by name once: its header declares it only for
        /// `_GNU_SOURCE`, which Swift's Glibc module does not define. Its offsets are `loff_t`, 64 bits.
        private static let copyFileRange = systemFunction(
            named: "copy_file_range",
            as: (@convention(c) (
                Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32
            ) -> Int).self)
    #endif

    /// Asks the kernel to start writing to disk what was appended, every ``writebackStep`` bytes
    /// (`sync_file_range(2)` with `SYNC_FILE_RANGE_WRITE`: it starts the writes and does not wait for them to end,
    /// only, at most, for room in the disk's queue), so that the disk works while the rest of the result is made, and
    /// ``commit(_:)``'s `fsync` has little left to wait for (at a million students it waited 2.3–2.9 s for the 1.1 GB
    /// result, and 0.7 s with the requests). Whole pages only: the page the last write ended in is left for the next
    /// request, so that writing the rest of it never waits for the disk where pages being written are kept stable.
    /// Only for a temporary that is committed. A request that does not wait never takes the error the `fsync` must
    /// report; one that fails to start the writes (EIO, ENOSPC) is kept for the commit.
    private func startWriteback(after count: Int) {
        appended += count
        #if os(Linux)
            let end = appended & ~(Self.pageSize - 1)
            guard end - writebackStarted >= Self.writebackStep, let syncFileRange = Self.syncFileRange else {
                return
            }
            switch target {
            case .unnamed, .named: break
            case .standardOutput, .device: return
            }
            // SYNC_FILE_RANGE_WRITE
            if syncFileRange(descriptor, Int64(writebackStarted), Int64(end - writebackStarted), 2) == 0 {
                writebackRequests += 1
            } else if writebackFailure == 0 && (errno == EIO || errno == ENOSPC) {
                writebackFailure = errno
            }
            writebackStarted = end
        #endif
    }

    /// The size of a memory page (a power of two).
    private static let pageSize: Int = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 && size & (size - 1) == 0 ? size : 4096
    }()

    /// How many bytes are appended between two requests to start writing them to disk (8 MB).
    static let writebackStep = 8 << 20

    #if os(Linux)
        /// glibc's `sync_file_range(2)`, looked up by name once (declared only for `_GNU_SOURCE`, as `copy_file_range`
        /// is). Its offsets are `off64_t`, 64 bits.
        private static let syncFileRange = systemFunction(
            named: "sync_file_range", as: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
    #endif

    /// Whether `copy_file_range` failing with `code` (0: it copied nothing from a file that holds the bytes) says it
    /// will not copy between these two files, so that the rest of the run writes instead: another file system on an
    /// older kernel, an output it cannot copy into (a pipe, a file opened to append), no such call, a file system
    /// without it. Any other error is a failure to copy (ENOSPC, EIO), which the write of the rest then reports.
    static func refusesKernelCopy(errno code: Int32) -> Bool {
        code == 0 || [EXDEV, EINVAL, EBADF, ENOSYS, EOPNOTSUPP, EPERM].contains(code)
    }

    /// Begins flushing what was written to disk on a thread of its own, for a caller that writes nothing more here
    /// and has other work meanwhile (the summary, once the result is written): ``commit(_:)`` then waits for it and
    /// fails as its own flush would have. Nothing for standard output.
    func flushInBackground() {
        if case .standardOutput = target { return }
        if earlyFlush == nil { earlyFlush = EarlyFlush(descriptor) }
    }

    /// `fsync` on a thread of its own, its outcome kept for ``commit(_:)`` (an error reported once by the kernel is
    /// not reported again, so it must be the one read).
    private final class EarlyFlush: @unchecked Sendable {
        private let condition = NSCondition()
        /// 0, or the errno of the failed flush; nil while it runs.
        private var outcome: Int32?

        init(_ descriptor: Int32) {
            // A descriptor of its own, so that the file closed meanwhile (a failure elsewhere) is still the one flushed.
            let own = dup(descriptor)
            let flush: @Sendable () -> Void = { [self] in
                let code = own < 0 ? EBADF : fsync(own) == 0 ? 0 : errno
                if own >= 0 { systemClose(own) }
                condition.lock()
                outcome = code
                condition.broadcast()
                condition.unlock()
            }
            // Without a thread of its own (a process limit), the flush is done here, before the summary.
            if SystemThread.detach(stackSize: 1 << 16, flush) != nil { flush() }
        }

        /// Waits for the flush: 0, or its errno.
        func wait() -> Int32 {
            condition.lock()
            defer { condition.unlock() }
            while outcome == nil { condition.wait() }
            return outcome ?? 0
        }
    }

    /// Flushes every file of the group to disk, then renames each into place and flushes its folder: a failure
    /// before the first rename leaves every final file as it was. Prints why and exits 1 on failure.
    static func commit(_ files: [OutputFile]) throws {
        for file in files {
            if case .standardOutput = file.target { continue }
            var code = file.earlyFlush.map { $0.wait() } ?? (fsync(file.descriptor) == 0 ? 0 : errno)
            if code == 0 { code = file.writebackFailure }
            if code != 0 && code != EINVAL && code != EROFS {
                for other in files { other.discard() }
                throw failure(file.path, "could not flush the result to disk", code)
            }
        }
        try TemporaryFiles.shared.whileLocked { registered in
            // Unnamed temporaries get a name beside their final file first, so that nothing is renamed until all have one.
            var pending: [(file: OutputFile, temporary: String, final: String)] = []
            for file in files {
                switch file.target {
                case .standardOutput, .device: continue
                case .named(let final, let temporary): pending.append((file, temporary, final))
                case .unnamed(let final):
                    let folder =
                        (final as NSString).deletingLastPathComponent.isEmpty
                        ? "." : (final as NSString).deletingLastPathComponent
                    var linked: String?
                    var code: Int32 = 0
                    for attempt in 0..<100 {
                        let temporary =
                            folder + "/." + (final as NSString).lastPathComponent
                            + ".riskscreen-tmp-\(getpid())-\(attempt)"
                        if linkat(AT_FDCWD, "/proc/self/fd/\(file.descriptor)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW)
                            == 0
                        {
                            linked = temporary
                            break
                        }
                        code = errno
                        if code != EEXIST { break }
                    }
                    guard let linked else {
                        for (_, temporary, _) in pending {
                            unlink(temporary)
                            registered.remove(temporary)
                        }
                        for other in files { other.discard(locked: &registered) }
                        throw failure(
                            file.path, "could not give the temporary file a name in the folder \(folder)", code)
                    }
                    registered.insert(linked)
                    pending.append((file, linked, final))
                }
            }
            for (index, entry) in pending.enumerated() where rename(entry.temporary, entry.final) != 0 {
                let code = errno
                for (_, temporary, _) in pending[index...] {
                    unlink(temporary)
                    registered.remove(temporary)
                }
                for other in files { other.discard(locked: &registered) }
                let replaced = pending[..<index].map(\.final)
                throw failure(
                    entry.file.path,
                    "could not rename the result into place"
                        + (replaced.isEmpty ? "" : " (already replaced: \(replaced.joined(separator: ", ")))"), code)
            }
            for entry in pending {
                registered.remove(entry.temporary)
                entry.file.close()
                let folder = (entry.final as NSString).deletingLastPathComponent
                let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if directory >= 0 {
                    _ = fsync(directory)
                    systemClose(directory)
                }
            }
        }
        for file in files { file.close() }
    }

    /// Writes a group of texts, each to its path, all or none.
    static func write(_ texts: [(text: String, path: String?)]) throws {
        let files = try texts.map { try OutputFile($0.path) }
        for (file, entry) in zip(files, texts) { try file.write(entry.text) }
        try commit(files)
    }

    /// Abandons the temporary: the final file stays as it was.
    func discard() {
        TemporaryFiles.shared.whileLocked { discard(locked: &$0) }
    }

    private func discard(locked registered: inout Set<String>) {
        if case .named(_, let temporary) = target, descriptor >= 0 {
            unlink(temporary)
            registered.remove(temporary)
        }
        close()
    }

    private func close() {
        switch target {
        case .standardOutput: break
        default:
            if descriptor >= 0 { systemClose(descriptor) }
        }
        descriptor = -1
    }

    private static func openUnnamed(in folder: String) -> Int32 {
        #if os(Linux)
            // Naming it at commit goes through /proc; without /proc, or when asked to (the tests of the named
            // fallback set RISKSCREEN_NAMED_TEMPORARIES), a named temporary is used instead.
            guard access("/proc/self/fd", F_OK) == 0, getenv("RISKSCREEN_NAMED_TEMPORARIES") == nil else {
                errno = EOPNOTSUPP
                return -1
            }
            // O_TMPFILE is `__O_TMPFILE | O_DIRECTORY`; Swift does not import the macro.
            let temporaryFile: Int32 = 0o20_000_000 | O_DIRECTORY
            return open(folder, temporaryFile | O_WRONLY | O_CLOEXEC, 0o600)
        #else
            errno = EOPNOTSUPP
            return -1
        #endif
    }

    /// The descriptor a path such as `/dev/stdout`, `/dev/fd/3` or `/proc/self/fd/3` names, if it names one.
    private static func inheritedDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    private static func folderExists(_ folder: String) -> Bool {
        var info = stat()
        return stat(folder, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Prints a sentence naming the file, what failed and the system's reason, and returns the error to throw.
    private static func failure(_ path: String?, _ what: String, _ code: Int32, untouched: Bool = true) -> ExitCode {
        let reason = String(cString: strerror(code))
        let kept = path.map { "; \($0) is left as it was" } ?? ""
        printError("\(path ?? "standard output"): error: \(what): \(reason) (errno \(code))\(untouched ? kept : "")")
        return Exit.failure
    }
}

/// `write(2)`, which the method of the same name hides (in ``SpoolFile`` too).
func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}

/// `close(2)`, which the method of the same name hides.
private func systemClose(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}

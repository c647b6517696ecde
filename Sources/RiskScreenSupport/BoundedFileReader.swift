internal import Foundation

/// Reads a whole file into memory, refusing one larger than a limit while reading, never after: a 2 GB rule file
/// is refused from its size before a byte is read, and a stream that never ends (a pipe, `/dev/zero`) is refused
/// as soon as it passes its own, smaller limit.
package enum BoundedFileReader {
    /// How much a file may hold.
    package struct Limit: Sendable {
        /// The most bytes of a regular file, whose size is known before reading.
        package var regularFile: Int
        /// The most bytes of anything else (a pipe, a device), read until it ends.
        var stream: Int
        /// What the file is, for messages: "a rule file", "a record file".
        var what: String

        /// A limit on a file's bytes: `regularFile` when its size is known, `stream` when it is read until it ends.
        package init(regularFile: Int, stream: Int, what: String) {
            self.regularFile = regularFile
            self.stream = stream
            self.what = what
        }

    }

    /// Why a file could not be read.
    package enum Failure: Error, Sendable {
        /// The file could not be opened or read; the system's reason.
        case unreadable(String)
        /// The path names a directory.
        case directory
        /// The file holds more than the limit (`stream` is true when it is not a regular file).
        case tooLarge(limit: Int, stream: Bool)

        /// What was found and what was expected, naming the limit.
        package func message(path: String, limit: Limit) -> String {
            switch self {
            case .unreadable(let reason):
                return "could not read \(path) (\(reason)); expected a readable file"
            case .directory:
                return "found a directory at \(path); expected \(limit.what)"
            case .tooLarge(let bytes, let stream):
                if stream {
                    return
                        "found more than \(Self.describe(bytes)) in \(path), which is not a regular file (a pipe or device); "
                        + "expected \(limit.what) of at most \(Self.describe(bytes)) from a stream: save it to a file first"
                }
                return
                    "found more than \(Self.describe(bytes)) in \(path); expected \(limit.what) of at most \(Self.describe(bytes))"
            }
        }

        private static func describe(_ bytes: Int) -> String {
            bytes >= 1 << 30 && bytes % (1 << 30) == 0 ? "\(bytes >> 30) GB" : "\(bytes >> 20) MB"
        }
    }

    /// The file's bytes, or why they cannot be had within `limit`.
    package static func read(_ path: String, limit: Limit) -> Result<[UInt8], Failure> {
        // Opened without blocking, so that a named pipe with no writer does not wait forever (it reads as empty);
        // reads then block as usual.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) >= 0 else {
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR { return .failure(.directory) }
        let isRegular = type == S_IFREG
        let bound = isRegular ? limit.regularFile : limit.stream
        let size = isRegular ? max(0, Int(status.st_size)) : 0
        if size > bound { return .failure(.tooLarge(limit: bound, stream: false)) }
        // A regular file is read straight into an array of its size; what a stream (or a file that grew since
        // fstat) adds is read into one growing buffer, then appended once.
        var failure: Failure?
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < buffer.count {
                let count = Foundation.read(descriptor, base + initialized, buffer.count - initialized)
                if count < 0, errno == EINTR { continue }
                if count < 0 { failure = .unreadable(String(cString: strerror(errno))) }
                guard count > 0 else { break }
                initialized += count
            }
        }
        if let failure { return .failure(failure) }
        var capacity = 1 << 16
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let read = Foundation.read(descriptor, buffer + count, capacity - count)
            if read < 0, errno == EINTR { continue }
            if read < 0 { return .failure(.unreadable(String(cString: strerror(errno)))) }
            if read == 0 { break }
            count += read
            if bytes.count + count > bound { return .failure(.tooLarge(limit: bound, stream: !isRegular)) }
        }
        if count > 0 {
            bytes.append(
                contentsOf: UnsafeRawBufferPointer(start: buffer, count: count).assumingMemoryBound(to: UInt8.self))
        }
        return .success(bytes)
    }
}

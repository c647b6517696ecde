import Foundation
import RiskScreen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The named temporary files the command has open, removed when SIGINT, SIGTERM or SIGHUP ends the run.
///
/// The command blocks these signals in every thread at start-up and waits for them on a thread of its own
/// (`sigwait`), so the clean-up runs as ordinary code, not in a signal handler. Renames into place hold the same
/// lock, so a signal either removes every temporary before the renames or finds nothing left to remove after them.
final class TemporaryFiles: @unchecked Sendable {
    /// The one registry of the command.
    static let shared = TemporaryFiles()

    /// The signals after which the temporaries are removed.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    private let lock = NSLock()
    private var paths: Set<String> = []

    /// Adds a temporary to remove on a signal.
    func add(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    /// Forgets a temporary that was renamed into place or removed.
    func remove(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// Runs `body` while no signal can remove temporaries (it may add and remove through `registered`).
    func whileLocked<T>(_ body: (_ registered: inout Set<String>) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&paths)
    }

    /// Blocks the signals in this thread (and in every thread started after it) and starts the thread that waits for
    /// them, removes the temporaries and ends the process by the same signal. Call it first, before any other thread.
    /// A file-size limit (`ulimit -f`) is ignored as a signal, so the write fails with EFBIG and the temporary is
    /// removed like after any other write error. When the system will not start the thread, the signals are unblocked
    /// again and the failure returned: the command then stops before it writes anything.
    func removeOnSignals() -> SystemThreadFailure? {
        signal(SIGXFSZ, SIG_IGN)
        // A closed pipe makes a write fail (EPIPE) instead of killing the run, so a temporary is still removed.
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in Self.signals { sigaddset(&set, signal) }
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { return nil }
        let waited = set
        let failure = SystemThread.detach(stackSize: 1 << 16) { [self] in
            var received: Int32 = 0
            var waitSet = waited
            while sigwait(&waitSet, &received) != 0 {}
            // The lock stays held: no rename may start once the temporaries are gone.
            lock.lock()
            for path in paths { unlink(path) }
            paths.removeAll()
            signal(received, SIG_DFL)
            var own = sigset_t()
            sigemptyset(&own)
            sigaddset(&own, received)
            pthread_sigmask(SIG_UNBLOCK, &own, nil)
            raise(received)
            _exit(128 + received)
        }
        if failure != nil { pthread_sigmask(SIG_UNBLOCK, &set, nil) }
        return failure
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A thread started with `pthread_create`, whose failure is seen: when the system will not start one more thread (a
/// process or cgroup limit, `EAGAIN`), the caller is told and does the work another way, instead of waiting for a
/// thread that never runs (Foundation's `Thread.start()` and libdispatch's workers give no such answer).
package final class SystemThread: @unchecked Sendable {
    #if canImport(Darwin)
        private let handle: pthread_t?
    #else
        private let handle: pthread_t
    #endif
    private var joined = false

    /// What a new thread runs, handed to it retained.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    #if canImport(Darwin)
        private init(_ handle: pthread_t?) { self.handle = handle }
    #else
        private init(_ handle: pthread_t) { self.handle = handle }
    #endif

    /// Starts `body` on a new thread that ``join()`` waits for; `stackSize` in bytes, or the system's default.
    /// The errno when the system would not start it (`body` then never runs).
    package static func start(stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) -> Result<
        SystemThread, SystemThreadFailure
    > {
        create(stackSize: stackSize, detached: false, body).map(SystemThread.init)
    }

    /// Starts `body` on a new thread that nobody waits for; `stackSize` in bytes, or the system's default. The
    /// errno when the system would not start it (`body` then never runs).
    package static func detach(stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) -> SystemThreadFailure? {
        switch create(stackSize: stackSize, detached: true, body) {
        case .success: return nil
        case .failure(let failure): return failure
        }
    }

    /// Waits until the thread has returned; once.
    package func join() {
        guard !joined else { return }
        joined = true
        #if canImport(Darwin)
            if let handle { pthread_join(handle, nil) }
        #else
            pthread_join(handle, nil)
        #endif
    }

    #if canImport(Darwin)
        private typealias Handle = pthread_t?
    #else
        private typealias Handle = pthread_t
    #endif

    private static func create(stackSize: Int?, detached: Bool, _ body: @escaping @Sendable () -> Void) -> Result<
        Handle, SystemThreadFailure
    > {
        let attributes = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
        defer { attributes.deallocate() }
        guard pthread_attr_init(attributes) == 0 else { return .failure(SystemThreadFailure(code: ENOMEM)) }
        defer { pthread_attr_destroy(attributes) }
        if let stackSize { pthread_attr_setstacksize(attributes, max(stackSize, 1 << 16)) }
        if detached { pthread_attr_setdetachstate(attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Darwin)
            var handle: pthread_t?
        #else
            var handle = pthread_t()
        #endif
        let code = pthread_create(
            &handle, attributes,
            { context in
                // Optional on one system, not on the other.
                let raw: UnsafeMutableRawPointer? = context
                guard let raw else { return nil }
                Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, context)
        guard code == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return .failure(SystemThreadFailure(code: code))
        }
        return .success(handle)
    }
}

/// The system would not start a thread: its errno (`EAGAIN` at a process or thread limit).
package struct SystemThreadFailure: Error, Sendable, CustomStringConvertible {
    /// The errno `pthread_create` returned.
    package let code: Int32

    /// Why, with the errno: "Resource temporarily unavailable (errno 11)".
    package var reason: String { "\(String(cString: strerror(code))) (errno \(code))" }

    /// "could not start a thread: Resource temporarily unavailable (errno 11)".
    package var description: String { "could not start a thread: \(reason)" }

    /// The command's message when it cannot go on without a thread for `purpose` ("to read the input").
    package func message(_ purpose: String) -> String {
        "riskscreen: error: could not start a thread \(purpose): \(reason); expected the system to allow a few more threads (a limit on processes or threads, such as ulimit -u, is reached)"
    }
}

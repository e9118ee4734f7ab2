import Foundation

/// Runs blocking work (file I/O, fsync, long CPU work) on a thread of its own, so it never
/// holds one of Swift's few cooperative threads or an event loop.
enum DedicatedThread {
    enum Priority {
        /// Work that requests wait for, such as the WAL writer's.
        case normal
        /// Work that nothing waits for, such as writing a snapshot: at nice 10 it gives the
        /// cores to request handling when both are busy, and has them when they are idle.
        case background
    }

    static func run<Value: Sendable>(
        named name: String, priority: Priority = .normal, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            start(named: name, priority: priority) { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Starts `body` on a new thread named `name`, as `top -H`, `perf` and `/proc` will show it.
    static func start(named name: String, priority: Priority = .normal, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // Foundation does not pass a thread's name to the kernel on Linux, and Glibc's
            // pthread_setname_np is not visible to Swift; the kernel keeps 15 bytes of it.
            try? String(decoding: name.utf8.prefix(15), as: UTF8.self).write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            // On Linux a nice value belongs to a thread, and 0 names the calling one.
            if priority == .background { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) }
            body()
        }
        thread.start()
    }
}

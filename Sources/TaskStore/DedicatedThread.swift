import Foundation

/// Runs blocking work (file I/O, fsync, long CPU work) on a thread of its own, so it never
/// holds one of Swift's few cooperative threads or an event loop.
enum DedicatedThread {
    static func run<Value: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}

import Foundation

/// Runs blocking work (reading a child's output, sleeping between sends) on a thread of its
/// own. On one of the cooperative pool's threads, which every suite's live servers share (two
/// on a two-core machine), it would stall them all while it waits.
public enum SeparateThread {
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { (finished: CheckedContinuation<Value, Never>) in
            Thread { finished.resume(returning: body()) }.start()
        }
    }
}

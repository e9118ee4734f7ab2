import Synchronization
import TaskStore

/// A clock that moves 1 ms per reading from a fixed start, so timestamps are distinct and
/// tests can jump it.
public final class TestClock: Sendable {
    private let milliseconds: Mutex<Int64>

    public init(start: Int64 = 1_795_000_000_000) { milliseconds = Mutex(start) }

    public func now() -> Timestamp {
        milliseconds.withLock { value in
            value += 1
            return Timestamp(milliseconds: value)
        }
    }

    public func advance(seconds: Int64) { milliseconds.withLock { $0 += seconds * 1000 } }

    public var reading: @Sendable () -> Timestamp { { [self] in now() } }
}

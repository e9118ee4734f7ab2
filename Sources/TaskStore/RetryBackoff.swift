/// How long to wait before trying again what failed: `first` after one failure, doubling with
/// each failure in a row, never more than `longest`. A snapshot that fails on a full disk or
/// an exhausted descriptor table fails the same way if tried again at once; trying it every
/// 100 ms would only copy every user's state and log an error ten times a second.
public struct RetryBackoff: Sendable {
    public var first: Duration
    public var longest: Duration

    public init(first: Duration, longest: Duration) {
        self.first = first
        self.longest = max(first, longest)
    }

    /// The wait after `failures` failures in a row (1 or more).
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = first
        for _ in 1..<max(1, failures) where delay < longest { delay *= 2 }
        return min(delay, longest)
    }
}

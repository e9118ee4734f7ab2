import Histogram

/// One run's figures: latencies in microseconds, overall and (in `mixed`) per operation.
struct LoadResult: Sendable {
    var histogram = Self.emptyHistogram
    /// In `mixed`, each operation's latency too (a read's p99 under writes is what matters).
    var byOperation: [Operation: Histogram<UInt64>] = [:]
    var requests = 0
    var non2xx = 0
    /// Status codes of non-2xx answers, so a failed run says what failed.
    var statuses: [Int: Int] = [:]
    /// Requests that got no answer: refused or dropped connections.
    var errors = 0
    /// Answers that were not HTTP the framer could read (each ends its connection).
    var protocolErrors: [String] = []
    var seconds = 0.0

    static var emptyHistogram: Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    /// `perOperation` keeps each operation's latency apart too (for `mixed`).
    mutating func record(_ operation: Operation, status: Int, microseconds: Int64, perOperation: Bool) {
        let value = UInt64(max(1, microseconds))
        _ = histogram.record(value)
        if perOperation { _ = byOperation[operation, default: Self.emptyHistogram].record(value) }
        requests += 1
        if !(200..<300).contains(status) {
            non2xx += 1
            statuses[status, default: 0] += 1
        }
    }

    mutating func merge(_ other: LoadResult) {
        histogram.add(other.histogram)
        for (operation, histogram) in other.byOperation { byOperation[operation, default: Self.emptyHistogram].add(histogram) }
        requests += other.requests
        non2xx += other.non2xx
        for (status, count) in other.statuses { statuses[status, default: 0] += count }
        errors += other.errors
        protocolErrors += other.protocolErrors
    }
}

import Prometheus
import Synchronization
import TaskStore

/// The Prometheus registry behind `/metrics`: requests and latency per route and status, and
/// the engine's figures, read when scraped. An instance, not the global MetricsSystem, so each
/// server (and each test) has its own.
public final class APIMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]
    private let fsyncLatency: DurationHistogram
    /// Client connections open now (kept by `ConnectionLimit`, on the server channel's loop).
    let openConnections: Gauge
    /// Each (method, route, status)'s counter and histogram, made once: asking the registry for
    /// them on every request validated names and help text each time (2% of a read).
    private let requestSeries = Mutex<[RequestSeriesKey: RequestSeries]>([:])

    private struct RequestSeriesKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private struct RequestSeries {
        var count: Counter
        var latency: DurationHistogram
    }

    public init() {
        fsyncLatency = registry.makeDurationHistogram(
            descriptor: Self.named("taskd_wal_fsync_duration_seconds", "Time each WAL fsync took"), labels: [], buckets: Self.latencyBuckets)
        openConnections = registry.makeGauge(descriptor: Self.named("taskd_http_connections", "Client connections open now"), labels: [])
    }

    /// The most client connections served at once, when there is a limit (`ConnectionLimit`).
    func recordConnectionLimit(_ maximum: Int) {
        gauge("taskd_http_connection_limit", "Most client connections served at once; past it new ones wait in the listen queue")
            .set(Int64(maximum))
    }

    /// For `WriteAheadLog.Configuration.onFsync`.
    public func recordFsync(_ duration: Duration) { fsyncLatency.record(duration) }

    /// Methods a client invents are counted together: each distinct label value is a series
    /// kept for the life of the process, so any client could otherwise grow memory at will.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY"]

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.knownMethods.contains(method) ? method : "other"
        let key = RequestSeriesKey(method: method, route: route, status: status)
        let series = requestSeries.withLock { known in
            if let series = known[key] { return series }
            let labels = [("method", method), ("route", route), ("status", String(status))]
            let series = RequestSeries(
                count: registry.makeCounter(descriptor: Self.named("taskd_http_requests_total", "HTTP requests answered"), labels: labels),
                latency: registry.makeDurationHistogram(
                    descriptor: Self.named("taskd_http_request_duration_seconds", "Time to answer HTTP requests"), labels: labels,
                    buckets: Self.latencyBuckets))
            known[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(duration)
    }

    /// The exposition text, with the engine's gauges brought up to date first.
    func exposition(store: TaskStore) async -> [UInt8] {
        let statistics = store.wal.statistics
        gauge("taskd_wal_records_written", "WAL records written since start").set(Int64(statistics.recordsWritten))
        gauge("taskd_wal_bytes_written", "WAL bytes written since start, headers included").set(Int64(statistics.bytesWritten))
        gauge("taskd_wal_fsyncs", "WAL fsyncs since start").set(Int64(statistics.fsyncs))
        gauge("taskd_wal_acknowledged_lsn", "The last LSN the WAL acknowledged").set(Int64(store.wal.acknowledgedLSN))
        gauge("taskd_wal_failed", "1 when the WAL has failed and takes no writes").set(Int64(store.wal.failure == nil ? 0 : 1))
        gauge("taskd_wal_busy_seconds", "Seconds the WAL has been on its current write and fsync; 0 while it waits for work")
            .set((store.wal.busyFor ?? .zero).inSeconds)
        gauge("taskd_users", "Users with state in memory").set(Int64(store.userCount))
        gauge("taskd_tasks", "Tasks in memory").set(Int64(await store.taskCount()))
        if let snapshot = await store.lastSnapshot {
            let age = Double(store.configuration.clock().milliseconds - snapshot.publishedAt.milliseconds) / 1000
            gauge("taskd_snapshot_age_seconds", "Seconds since the last snapshot was published").set(age as Double)
            gauge("taskd_snapshot_lsn", "The start LSN of the last snapshot").set(Int64(snapshot.startLSN))
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return bytes
    }

    private func gauge(_ name: String, _ help: String) -> Gauge { registry.makeGauge(descriptor: Self.named(name, help), labels: []) }

    /// The whole name as the metric's name, with no unit appended (the names carry theirs).
    private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

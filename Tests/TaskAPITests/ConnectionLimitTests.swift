import Logging
import Prometheus
import TaskStoreTestSupport
import Testing

@testable import TaskAPI

/// The connection limit on its own (FileDescriptorTests runs it in a server, where NIO may
/// accept a few connections past it in one read): it accepts below its maximum and not at
/// it, counts in its gauge, and warns on reaching it, once a minute at most.
@Suite struct ConnectionLimitTests {
    @Test func acceptsBelowItsMaximumAndWarnsOnReachingIt() {
        let registry = PrometheusCollectorRegistry()
        let (logger, log) = RecordingLogHandler.logger()
        var limit = ConnectionLimit(maximum: 2, counting: registry.makeGauge(name: "connections"), logger: logger)
        #expect(limit.isAcceptingNewConnections())
        limit.connectionOpened()
        #expect(limit.isAcceptingNewConnections() && log.all.isEmpty)
        limit.connectionOpened()
        #expect(!limit.isAcceptingNewConnections())
        #expect(log.all.map(\.level) == [.warning])
        #expect(log.all.first?.metadata == ["connections": "2", "limit": "2"])
        #expect(registry.emitToString().contains("connections 2"), "\(registry.emitToString())")
        limit.connectionClosed()
        #expect(limit.isAcceptingNewConnections())
        #expect(registry.emitToString().contains("connections 1"))
        limit.connectionOpened()
        #expect(log.all.count == 1, "reached again within the minute: no second warning")
    }

    /// A limit computed from a tiny open-file limit may come out at zero or below: one
    /// connection is still served, or the server would accept none and say nothing.
    @Test func aMaximumBelowOneServesOneAndNoneMeansNoLimit() {
        let registry = PrometheusCollectorRegistry()
        let (logger, _) = RecordingLogHandler.logger()
        for maximum in [0, -5] {
            var limit = ConnectionLimit(maximum: maximum, counting: registry.makeGauge(name: "c\(-maximum)"), logger: logger)
            #expect(limit.isAcceptingNewConnections(), "\(maximum)")
            limit.connectionOpened()
            #expect(!limit.isAcceptingNewConnections(), "\(maximum)")
        }
        var unlimited = ConnectionLimit(maximum: nil, counting: registry.makeGauge(name: "unlimited"), logger: logger)
        for _ in 0..<1_000 { unlimited.connectionOpened() }
        #expect(unlimited.isAcceptingNewConnections())
    }
}

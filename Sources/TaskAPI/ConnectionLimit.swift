import HummingbirdCore
import Logging
import Prometheus

/// Counts client connections for `/metrics`, and with a `maximum` serves at most that many;
/// past it, new ones wait in the listen queue until one closes. Each connection holds a file
/// descriptor, and the limit is set below the process's open-file limit, so that client
/// connections never take the last descriptors the storage needs: without it, a flood of
/// connections left a snapshot failing with EMFILE and the WAL unable to start its next
/// segment, and accepts stalled with nothing in the log (Hummingbird logs server-channel
/// errors on macOS only).
///
/// Runs on the server channel's event loop (Hummingbird's `AvailableConnectionsChannelHandler`).
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private let gauge: Gauge
    private var open = 0
    private var lastWarning: ContinuousClock.Instant?

    /// nil `maximum`: no limit of its own.
    init(maximum: Int?, counting gauge: Gauge, logger: Logger) {
        self.maximum = maximum.map { max(1, $0) } ?? .max
        self.gauge = gauge
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        gauge.set(Int64(open))
        // Once a minute at most: at the limit, every close lets one more in and reaches it again.
        guard open >= maximum, lastWarning.map({ ContinuousClock.now - $0 >= .seconds(60) }) ?? true else { return }
        lastWarning = .now
        logger.warning(
            "connection limit reached: new connections wait in the listen queue until one closes; raise the open file limit (ulimit -n, LimitNOFILE=) for more",
            metadata: ["connections": "\(open)", "limit": "\(maximum)"])
    }

    mutating func connectionClosed() {
        open -= 1
        gauge.set(Int64(open))
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}

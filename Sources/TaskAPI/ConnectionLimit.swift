import HummingbirdCore
import Logging

/// At most `maximum` client connections; past it, new ones wait in the listen queue until one
/// closes. Each connection holds a file descriptor, and the limit is set below the process's
/// open-file limit, so that client connections never take the last descriptors the storage
/// needs: without it, a flood of connections left a snapshot failing with EMFILE and the WAL
/// unable to start its next segment, and accepts stalled with nothing in the log (Hummingbird
/// logs server-channel errors on macOS only).
///
/// Runs on the server channel's event loop (Hummingbird's `AvailableConnectionsChannelHandler`).
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var lastWarning: ContinuousClock.Instant?

    init(maximum: Int, logger: Logger) {
        self.maximum = max(1, maximum)
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        // Once a minute at most: at the limit, every close lets one more in and reaches it again.
        guard open >= maximum, lastWarning.map({ ContinuousClock.now - $0 >= .seconds(60) }) ?? true else { return }
        lastWarning = .now
        logger.warning(
            "connection limit reached: new connections wait in the listen queue until one closes; raise the open file limit (ulimit -n, LimitNOFILE=) for more",
            metadata: ["connections": "\(open)", "limit": "\(maximum)"])
    }

    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}

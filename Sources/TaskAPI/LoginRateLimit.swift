import TaskStore

/// Login attempts per client in fixed one-minute windows, as slowapi counts them. A value
/// type: the limiter's state machine, tested without a server.
struct LoginRateLimit: Sendable {
    struct Decision: Equatable, Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Seconds until the window ends.
        var resetSeconds: Int
    }

    let limit: Int
    let windowMilliseconds: Int64 = 60_000
    private var windows: [String: (start: Int64, count: Int)] = [:]
    /// Ended windows are dropped when the map reaches this size, which is then set to twice what
    /// is left: with more clients in one minute than the floor, a sweep per attempt would make
    /// each login walk every client (the limiter is one actor, so all logins would queue on it).
    private var sweepAt = Self.sweepFloor
    private static let sweepFloor = 10_000
    /// How many times ended windows were dropped; tests read it.
    private(set) var sweeps = 0
    /// Clients with a window in the map, ended or not.
    var clientsTracked: Int { windows.count }

    init(limit: Int) { self.limit = limit }

    mutating func attempt(by client: String, at now: Timestamp) -> Decision {
        let time = now.milliseconds
        if windows.count >= sweepAt {
            windows = windows.filter { time - $0.value.start < windowMilliseconds }
            sweeps += 1
            sweepAt = max(Self.sweepFloor, 2 * windows.count)
        }
        var window = windows[client] ?? (time, 0)
        if time - window.start >= windowMilliseconds { window = (time, 0) }
        window.count += 1
        windows[client] = window
        let reset = Int((window.start + windowMilliseconds - time + 999) / 1000)
        return Decision(allowed: window.count <= limit, limit: limit, remaining: max(0, limit - window.count), resetSeconds: max(1, reset))
    }
}

/// The limiter's owner: one actor, since attempts from every connection count together.
actor LoginRateLimiter {
    private var state: LoginRateLimit
    private let clock: @Sendable () -> Timestamp

    init(limit: Int, clock: @escaping @Sendable () -> Timestamp) {
        state = LoginRateLimit(limit: limit)
        self.clock = clock
    }

    func attempt(by client: String) -> LoginRateLimit.Decision { state.attempt(by: client, at: clock()) }
}

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

    init(limit: Int) { self.limit = limit }

    mutating func attempt(by client: String, at now: Timestamp) -> Decision {
        let time = now.milliseconds
        if windows.count > 10_000 { windows = windows.filter { time - $0.value.start < windowMilliseconds } }
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

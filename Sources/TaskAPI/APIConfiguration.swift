import TaskStore

/// The HTTP side's settings (the `taskd serve` flags that are not about storage).
public struct APIConfiguration: Sendable {
    public var bcryptCost: Int
    /// Login attempts per minute per client; 0 turns the limit off.
    public var loginRateLimit: Int
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you trust).
    public var trustForwardedFor: Bool
    public var accessTokenLifetime: Int64
    public var refreshTokenLifetime: Int64
    /// The HS256 key.
    public var jwtSecret: [UInt8]
    public var clock: @Sendable () -> Timestamp
    /// A connection that has sent no complete request part and awaits no response for this
    /// long is closed: a client that went away without closing, or one that never finishes
    /// its headers, does not hold a file descriptor for good. Longer than the idle timeouts of
    /// the proxies in front of servers (60 s), so that a proxy closes a kept-alive connection
    /// before taskd does and never sends on one taskd is closing.
    public var idleTimeout: Duration
    /// `/health` answers 503 while the WAL has been on one batch for longer than this: a disk
    /// that stopped answering. A healthy one takes milliseconds, seconds when flushing a lot.
    public var stalledStorageThreshold: Duration
    /// Client connections served at once (see `ConnectionLimit`); nil: no limit but the
    /// process's open-file limit.
    public var maximumConnections: Int?

    public init(
        jwtSecret: [UInt8], bcryptCost: Int = 12, loginRateLimit: Int = 5, trustForwardedFor: Bool = false,
        accessTokenLifetime: Int64 = 900, refreshTokenLifetime: Int64 = 2_592_000,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() }, idleTimeout: Duration = .seconds(75),
        stalledStorageThreshold: Duration = .seconds(10), maximumConnections: Int? = nil
    ) {
        self.jwtSecret = jwtSecret
        self.bcryptCost = bcryptCost
        self.loginRateLimit = loginRateLimit
        self.trustForwardedFor = trustForwardedFor
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.clock = clock
        self.idleTimeout = idleTimeout
        self.stalledStorageThreshold = stalledStorageThreshold
        self.maximumConnections = maximumConnections
    }
}

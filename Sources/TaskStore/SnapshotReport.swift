/// What one published snapshot holds and cost.
public struct SnapshotReport: Sendable, Equatable {
    public var startLSN: LSN
    public var users: Int
    public var tasks: Int
    public var bytes: Int
    public var duration: Duration
    public var publishedAt: Timestamp
}

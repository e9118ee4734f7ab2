/// What one published snapshot holds and cost.
public struct SnapshotReport: Sendable, Equatable {
    public var startLSN: LSN
    public var users: Int
    public var tasks: Int
    /// Users copied unchanged from the previous snapshot's frames rather than encoded again.
    public var copiedUsers: Int
    /// Chunks of 512 tasks of changed users copied from the previous snapshot's frames.
    public var copiedChunks: Int
    public var bytes: Int
    public var duration: Duration
    public var publishedAt: Timestamp
}

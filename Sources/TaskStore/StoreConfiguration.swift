/// How a `TaskStore` keeps its data.
public struct StoreConfiguration: Sendable {
    public var dataDirectory: String
    public var wal: WriteAheadLog.Configuration
    /// WAL records between snapshots; 0 turns automatic snapshots off.
    public var snapshotEvery: Int
    /// How long after a failed snapshot the next is tried.
    public var snapshotRetry: RetryBackoff
    /// Published snapshots kept; WAL segments are deleted only once the oldest kept one covers
    /// them, so recovery can fall back to it if the newest is damaged.
    public var snapshotsRetained: Int
    /// Seconds a deleted task's or category's tombstone stays in the `/sync` feed.
    public var tombstoneRetention: Int64
    /// How often expired idempotency keys and tombstones are pruned; nil: never by itself.
    public var housekeepingInterval: Duration?
    public var fileSystem: any FileSystem
    /// Decides event timestamps; tests move it.
    public var clock: @Sendable () -> Timestamp
    /// The machine's boot (see `BootID`); tests pretend a restart.
    public var bootID: @Sendable () -> String?

    public init(
        dataDirectory: String, wal: WriteAheadLog.Configuration = .init(), snapshotEvery: Int = 100_000,
        snapshotRetry: RetryBackoff = RetryBackoff(first: .seconds(1), longest: .seconds(60)),
        snapshotsRetained: Int = 2, tombstoneRetention: Int64 = 30 * 24 * 60 * 60, housekeepingInterval: Duration? = .seconds(600),
        fileSystem: any FileSystem = POSIXFileSystem(),
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        bootID: @escaping @Sendable () -> String? = BootID.current
    ) {
        self.dataDirectory = dataDirectory
        self.wal = wal
        self.snapshotEvery = snapshotEvery
        self.snapshotRetry = snapshotRetry
        self.snapshotsRetained = max(1, snapshotsRetained)
        self.tombstoneRetention = tombstoneRetention
        self.housekeepingInterval = housekeepingInterval
        self.fileSystem = fileSystem
        self.clock = clock
        self.bootID = bootID
    }
}

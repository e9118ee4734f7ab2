import Logging
import Synchronization

/// The engine: recovers a data directory, then serves each user's state from that user's actor
/// while the WAL makes every change durable. One process per data directory (it is locked).
public final class TaskStore: Sendable {
    public let configuration: StoreConfiguration
    public let wal: WriteAheadLog
    public let accounts: AccountsActor
    /// Events replayed from the WAL at start (after the snapshot).
    public let recoveredRecords: Int
    /// The history this directory's change sequences belong to (see `HistoryID`).
    public let historyID: String
    private let registry: UserActorRegistry
    private let registeredUsers: RegisteredUsers
    private let snapshotter: Snapshotter
    private let lock: DataDirectoryLock
    private let backgroundTasks: Mutex<[Task<Void, Never>]>
    private let unsyncedRunMarker: UnsyncedRunMarker
    private let logger: Logger

    /// Locks the data directory (creating it if needed) and recovers its state. Blocking: call it
    /// off any event loop.
    public init(configuration: StoreConfiguration, logger: Logger = Logger(label: "taskd.store")) throws {
        let fileSystem = configuration.fileSystem
        let directory = configuration.dataDirectory
        try fileSystem.createDirectory(directory)
        lock = try DataDirectoryLock(directory: directory)
        let recovered = try Recovery(directory: directory, fileSystem: fileSystem, logger: logger).run()
        let marker = UnsyncedRunMarker(directory: directory, fileSystem: fileSystem)
        let boot = configuration.bootID()
        // What the last run wrote and the kernel still holds goes to disk before this run
        // answers anything, since recovery replayed it: under any policy, `always` too (a run
        // can die between writing a frame and its fsync). Only the newest segment can hold any.
        try recovered.segment.sync()
        // Changes the log no longer holds had change-feed positions that will be handed out
        // again (as after `wal repair`): cursors from before must get 410, not skip them.
        let lostChanges: String? =
            if try marker.previousRunMayHaveLostWrites(currentBoot: boot) {
                "the last run answered writes before syncing them and did not stop cleanly, and the machine has restarted since (or its log had failed): its last acknowledged changes may be lost"
            } else if recovered.cutFrames > 0 {
                "recovery cut \(recovered.cutFrames) valid frames off the write-ahead log"
            } else { nil }
        if let lostChanges {
            historyID = try HistoryID.renew(in: directory, fileSystem: fileSystem)
            logger.warning("\(lostChanges), so /sync cursors from before get 410 and clients sync again from scratch", metadata: ["history_id": "\(historyID)"])
        } else {
            historyID = try HistoryID.loadOrCreate(in: directory, fileSystem: fileSystem)
        }
        if configuration.wal.fsync == .always { try marker.clear() } else { try marker.markUnsynced(boot: boot) }
        unsyncedRunMarker = marker
        self.logger = logger
        self.configuration = configuration
        recoveredRecords = recovered.replayedRecords
        let wal = WriteAheadLog(
            openDirectory: try fileSystem.openDirectory(directory), segment: recovered.segment, lastLSN: recovered.lastLSN, fileSystem: fileSystem,
            configuration: configuration.wal, logger: logger)
        self.wal = wal
        registeredUsers = RegisteredUsers(recovered.accounts.users.keys)
        accounts = AccountsActor(state: recovered.accounts, wal: wal, registered: registeredUsers, clock: configuration.clock)
        registry = UserActorRegistry(recovered.users.mapValues { UserActor(state: $0, wal: wal, clock: configuration.clock) })
        snapshotter = Snapshotter(
            directory: directory, fileSystem: fileSystem, retained: configuration.snapshotsRetained, wal: wal, accounts: accounts,
            registry: registry, lastStartLSN: recovered.snapshotStartLSN ?? 0, frameCache: recovered.snapshotFrames, clock: configuration.clock,
            logger: logger)
        var background: [Task<Void, Never>] = []
        if configuration.snapshotEvery > 0 {
            let snapshotter = snapshotter
            let (every, retry) = (configuration.snapshotEvery, configuration.snapshotRetry)
            background.append(Task.detached { await snapshotter.run(every: every, retry: retry) })
        }
        backgroundTasks = Mutex(background)
        if let interval = configuration.housekeepingInterval {
            let loop = Task.detached { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    await self.housekeepNow()
                }
            }
            backgroundTasks.withLock { $0.append(loop) }
        }
    }

    /// Prunes every user's expired idempotency keys and old tombstones now (the background loop
    /// does it every `housekeepingInterval`). Returns how many users had something pruned.
    @discardableResult
    public func housekeepNow() async -> Int {
        guard wal.failure == nil else { return 0 }
        var pruned = 0
        for actor in registry.all {
            guard let committed = try? await actor.prune(tombstoneRetention: configuration.tombstoneRetention), committed.value else { continue }
            pruned += 1
            // Until acknowledged, the dropped records stay in the actor's undo log; then let them go.
            guard (try? await wal.waitUntilAcknowledged(committed.lsn)) != nil else { break }
            await actor.releaseAcknowledged()
        }
        return pruned
    }

    /// Whether `userID` has an account, without waiting for the accounts actor.
    public func isRegistered(_ userID: UserID) -> Bool { registeredUsers.contains(userID) }

    /// The actor that owns `userID`'s tasks and categories.
    public func user(_ userID: UserID) -> UserActor {
        registry.actor(for: userID) {
            UserActor(state: UserState(userID: userID), wal: wal, clock: configuration.clock)
        }
    }

    /// The value once the WAL acknowledged its LSN: what a command or read may answer with.
    public func acknowledged<Value>(_ committed: Committed<Value>) async throws -> Value {
        try await wal.waitUntilAcknowledged(committed.lsn)
        return committed.value
    }

    /// Takes a snapshot now (after any under way); nil when nothing changed since the last one
    /// this process took. The first call after a start writes one even when nothing changed.
    @discardableResult
    public func snapshotNow() async throws -> SnapshotReport? { try await snapshotter.takeSnapshot() }

    public var lastSnapshot: SnapshotReport? { get async { await snapshotter.lastReport } }

    public var userCount: Int { registry.all.count }

    /// Tasks held across all users (one hop per user: for metrics, not for hot paths).
    public func taskCount() async -> Int {
        var total = 0
        for actor in registry.all { total += await actor.taskCount }
        return total
    }

    /// Stops snapshots, makes everything appended durable, and releases the directory.
    public func close() async {
        let tasks = backgroundTasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        await wal.close()
        if configuration.wal.fsync != .always {
            do throws(StorageError) {
                // A log that failed may have acknowledged writes the kernel never got to disk.
                if wal.failure == .closed { try unsyncedRunMarker.clear() } else { try unsyncedRunMarker.markUnsynced(boot: nil) }
            } catch {
                logger.warning("could not record that the write-ahead log stopped synced; the next start will take it for a crash", metadata: ["error": "\(error)"])
            }
        }
        lock.release()
    }
}

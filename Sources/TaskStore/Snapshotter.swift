import Logging

/// Takes snapshots one at a time: copies every actor's state (value types, so writers wait for
/// no more than a hop), writes them on a thread of its own, publishes the file only after the
/// WAL is durable up to every LSN in it, then deletes what the oldest kept snapshot covers.
actor Snapshotter {
    private let directory: String
    private let fileSystem: any FileSystem
    private let retained: Int
    private let wal: WriteAheadLog
    private let accounts: AccountsActor
    private let registry: UserActorRegistry
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private var previous: Task<SnapshotReport?, any Error>?
    /// Where the large users' frames are in the last published (or loaded) snapshot.
    private var frameCache: SnapshotFrameCache
    private(set) var lastStartLSN: LSN
    private(set) var lastReport: SnapshotReport?

    init(
        directory: String, fileSystem: any FileSystem, retained: Int, wal: WriteAheadLog, accounts: AccountsActor,
        registry: UserActorRegistry, lastStartLSN: LSN, frameCache: SnapshotFrameCache, clock: @escaping @Sendable () -> Timestamp,
        logger: Logger
    ) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.retained = retained
        self.wal = wal
        self.accounts = accounts
        self.registry = registry
        self.lastStartLSN = lastStartLSN
        self.frameCache = frameCache
        self.clock = clock
        self.logger = logger
    }

    /// Takes a snapshot after any that is under way; nil when nothing happened since the last
    /// one this process took. The first call after a start writes one even when nothing changed.
    func takeSnapshot() async throws -> SnapshotReport? {
        let before = previous
        let task = Task {
            _ = await before?.result
            return try await self.write()
        }
        previous = task
        return try await task.value
    }

    /// Takes a snapshot whenever `every` records were appended since the last; after a failure,
    /// not before `retry`'s delay. Until cancelled.
    func run(every: Int, retry: RetryBackoff) async {
        var failuresInARow = 0
        var notBefore = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            guard wal.failure == nil, wal.lastAssignedLSN >= lastStartLSN + LSN(every), ContinuousClock.now >= notBefore else { continue }
            do {
                _ = try await takeSnapshot()
                failuresInARow = 0
            } catch {
                failuresInARow += 1
                let delay = retry.delay(afterFailures: failuresInARow)
                notBefore = ContinuousClock.now + delay
                logger.error(
                    "snapshot failed; the WAL keeps everything, and the next one is tried later",
                    metadata: ["error": "\(error)", "failures_in_a_row": "\(failuresInARow)", "retry_in": "\(delay)"])
            }
        }
    }

    private func write() async throws -> SnapshotReport? {
        let started = ContinuousClock.now
        // Read first: every event at or below it is already applied by its actor.
        let startLSN = wal.lastAssignedLSN
        if startLSN == lastStartLSN && lastReport != nil { return nil }
        let accountsState = await accounts.snapshotState()
        var users: [UserState] = []
        for actor in registry.all { users.append(await actor.snapshotState()) }
        let contents = SnapshotContents(startLSN: startLSN, accounts: accountsState, users: users)

        let path = "\(directory)/\(DataFileName.snapshot(startLSN: startLSN))"
        let temporary = path + ".tmp"
        let fileSystem = self.fileSystem
        let previousFrames = frameCache
        let written: SnapshotFile.Written
        do {
            written = try await DedicatedThread.run(named: "taskd-snapshot", priority: .background) {
                try SnapshotFile.write(contents, to: temporary, fileSystem: fileSystem, reusing: previousFrames)
            }
            try await wal.sync(through: contents.highestLSN)
            try fileSystem.rename(temporary, to: path)
        } catch {
            // Left, it would stay until the next start, one more after each failed try, on a
            // disk that may be full already.
            try? fileSystem.remove(temporary)
            throw error
        }
        try fileSystem.syncDirectory(directory)
        lastStartLSN = startLSN
        frameCache = written.frames
        frameCache.snapshotPath = path

        let report = SnapshotReport(
            startLSN: startLSN, users: users.count, tasks: users.reduce(0) { $0 + $1.tasks.count },
            copiedUsers: written.copiedUsers, copiedChunks: written.copiedChunks, bytes: try fileSystem.fileSize(path), duration: ContinuousClock.now - started,
            publishedAt: clock())
        lastReport = report
        logger.info(
            "published snapshot",
            metadata: [
                "file": "\(path)", "users": "\(report.users)", "tasks": "\(report.tasks)", "copied_users": "\(report.copiedUsers)",
                "copied_chunks": "\(report.copiedChunks)",
                "bytes": "\(report.bytes)", "duration": "\(report.duration)",
            ])
        if let reason = written.firstUnreadableReason {
            logger.warning(
                "the previous snapshot's frames of some users could not be read back intact; they were encoded again",
                metadata: ["users": "\(written.unreadableUsers)", "first": "\(reason)"])
        }
        try removeCoveredFiles()
        return report
    }

    /// Keeps the newest `retained` snapshots and the WAL segments the oldest of them needs.
    private func removeCoveredFiles() throws {
        let snapshots = try fileSystem.listDirectory(directory).compactMap { name in DataFileName.snapshotLSN(name).map { (name, $0) } }
            .sorted { $0.1 < $1.1 }
        let excess = max(0, snapshots.count - retained)
        for (name, _) in snapshots.prefix(excess) { try fileSystem.remove("\(directory)/\(name)") }
        guard snapshots.count >= retained, let oldestKept = snapshots.dropFirst(excess).first?.1 else { return }
        let segments = try WALReader(directory: directory, fileSystem: fileSystem).segmentPaths()
        // Segment i holds LSNs up to the next one's first LSN - 1; never the newest one.
        for index in segments.indices.dropLast() where segments[index + 1].firstLSN <= oldestKept + 1 {
            try fileSystem.remove(segments[index].path)
            logger.debug("deleted a WAL segment that snapshots cover", metadata: ["segment": "\(segments[index].path)"])
        }
        try fileSystem.syncDirectory(directory)
    }
}

import Logging

/// Rebuilds every actor's state from a data directory: the newest valid snapshot (an older one
/// if the newest is damaged), then the WAL after it. Cuts a torn tail with a warning; stops at
/// corruption with an error that names the file and offset.
struct Recovery {
    struct Result {
        var accounts: AccountsState
        var users: [UserID: UserState]
        /// The LSN of the last event in the log or the snapshot.
        var lastLSN: LSN
        /// The newest segment, open for appending at its valid end.
        var segment: any AppendableFile
        var snapshotStartLSN: LSN?
        /// Where the loaded snapshot's large users have frames of their own, for the next
        /// snapshot to copy.
        var snapshotFrames: SnapshotFrameCache
        var replayedRecords: Int
        /// Valid frames cut off the log after a torn write (see `WALDamage.framesAfter`).
        var cutFrames: Int
    }

    let directory: String
    let fileSystem: any FileSystem
    let logger: Logger

    func run() throws -> Result {
        let loaded = try newestValidSnapshot()
        let snapshot = loaded?.contents
        var accounts = snapshot?.accounts ?? AccountsState()
        var snapshotUsers: [UserID: UserState] = [:]
        snapshotUsers.reserveCapacity(snapshot?.users.count ?? 0)
        for state in snapshot?.users ?? [] { snapshotUsers[state.userID] = state }
        let userReplay = ParallelUserReplay(users: snapshotUsers)
        snapshotUsers = [:]

        let reader = WALReader(directory: directory, fileSystem: fileSystem)
        let totalBytes = try reader.segmentPaths().reduce(0) { $0 + (try fileSystem.fileSize($1.path)) }
        var progress = RecoveryProgress(totalBytes: totalBytes, logger: logger)
        var noAccountsUndo = UndoLog<AccountsUndoEntry>(recording: false)
        // On any error, the replay threads must still be stopped.
        defer { _ = userReplay.finish() }
        let report = try reader.scan(
            from: (snapshot?.startLSN ?? 0) + 1,
            visit: { lsn, event in
                // A state skips what its snapshot already holds.
                switch event {
                case .account(let event):
                    if lsn > accounts.lastAppliedLSN { accounts.apply(event, lsn: lsn, undo: &noAccountsUndo) }
                case .user(let userID, let event):
                    userReplay.apply(event, of: userID, lsn: lsn)
                }
                progress.recordReplayed()
            },
            progress: { progress.segmentRead(bytes: $0) })

        let users = userReplay.finish()
        var segments = report.segments
        if let damage = report.damage {
            guard damage.kind == .tornTail else { throw damage.error }
            var metadata: Logger.Metadata = ["file": "\(damage.file)", "offset": "\(damage.offset)", "reason": "\(damage.reason)"]
            if damage.framesAfter > 0 {
                // Valid frames go with the cut: they may hold writes answered under `everysec`
                // or `never`, so the whole segment is kept aside first, as `wal repair` keeps it.
                metadata["backup"] = "\(try fileSystem.copyToBackup(damage.file))"
            }
            logger.warning(
                damage.framesAfter > 0
                    ? "cutting the write-ahead log at a hole that frames written after it outlived (a power cut while they were unsynced)"
                    : "cutting off a torn write at the end of the write-ahead log (a crash during a write)",
                metadata: metadata)
        }
        if let newest = segments.last, newest.validLength < newest.size {
            // Appends resume right after the last valid frame: cut off the torn write, or the
            // zeros the writer had reserved (it reserves again as it goes).
            try fileSystem.truncate(newest.path, to: newest.validLength)
            segments[segments.count - 1].size = newest.validLength
        }
        let lastLSN = max(report.lastLSN, snapshot?.highestLSN ?? 0)
        progress.finish(lastLSN: lastLSN)
        return Result(
            accounts: accounts, users: users, lastLSN: lastLSN, segment: try openNewestSegment(segments, lastLSN: lastLSN, walLastLSN: report.lastLSN),
            snapshotStartLSN: snapshot?.startLSN, snapshotFrames: loaded?.frames ?? SnapshotFrameCache(), replayedRecords: progress.records,
            cutFrames: report.damage?.framesAfter ?? 0)
    }

    private func newestValidSnapshot() throws -> (contents: SnapshotContents, frames: SnapshotFrameCache)? {
        for name in try fileSystem.listDirectory(directory) where name.hasSuffix(".snap.tmp") {
            try fileSystem.remove("\(directory)/\(name)")  // an unpublished snapshot from a crash
        }
        let start = ContinuousClock.now
        let newest = try SnapshotFile.newestValid(in: directory, fileSystem: fileSystem) { path, error in
            logger.error("skipping a damaged snapshot; recovery reads an older one, or the whole log if there is none", metadata: ["file": "\(path)", "error": "\(error)"])
        }
        guard let newest else { return nil }
        logger.info(
            "loaded snapshot",
            metadata: [
                "file": "\(newest.path)", "users": "\(newest.contents.users.count)",
                "tasks": "\(newest.contents.users.reduce(0) { $0 + $1.tasks.count })", "duration": "\(ContinuousClock.now - start)",
            ])
        return (newest.contents, newest.frames)
    }

    /// Appends go to the newest segment when it ends exactly at `lastLSN`; otherwise (no
    /// segment yet, or a snapshot ahead of the log) to a new segment at `lastLSN + 1`, so that
    /// no LSN is ever used twice.
    private func openNewestSegment(_ segments: [WALReader.Segment], lastLSN: LSN, walLastLSN: LSN) throws -> any AppendableFile {
        if let newest = segments.last {
            let endsAt = newest.size > 0 ? walLastLSN : newest.firstLSN - 1
            if endsAt == lastLSN { return try fileSystem.openForAppending(newest.path, create: false) }
        }
        let segment = try fileSystem.openForAppending("\(directory)/\(DataFileName.segment(firstLSN: lastLSN + 1))", create: true)
        try fileSystem.syncDirectory(directory)
        return segment
    }
}

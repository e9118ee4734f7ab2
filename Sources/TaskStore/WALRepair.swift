/// Cuts the WAL at its first bad frame, keeping a `.broken` copy of every file it changes or
/// sets aside, so nothing is lost for good. Run only while no server uses the directory.
/// Damage in a segment the newest valid snapshot wholly holds is not cut at: that segment and
/// the ones before it are set aside, and the log after it kept. A log that begins after where
/// recovery must start is refused, changing nothing.
public struct WALRepair {
    public struct Report: Sendable, Equatable {
        /// The damage repaired, in the order met; empty when the log was clean and nothing changed.
        public var damages: [WALDamage]
        /// Backups written (copies of the cut segment and later segments set aside).
        public var backups: [String]
        public var lastLSN: LSN
        /// Damaged snapshots passed over, as recovery does: why the repair read the log from
        /// an older snapshot (or from its start), and what an operator may want to look at.
        public var skippedSnapshots: [StorageError]

        /// What `taskd wal repair` prints.
        public var text: String {
            var lines =
                damages.isEmpty
                ? ["the write-ahead log is clean; nothing to repair (last LSN \(lastLSN))"]
                : damages.map { "repaired \($0)" } + ["the log now ends at LSN \(lastLSN); backups: \(backups.joined(separator: ", "))"]
            lines += skippedSnapshots.map(WALInspection.passedOver)
            return lines.joined(separator: "\n")
        }
    }

    let directory: String
    let fileSystem: any FileSystem

    public init(directory: String, fileSystem: any FileSystem = POSIXFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    public func run() throws -> Report {
        let lock = try DataDirectoryLock(directory: directory)
        defer { lock.release() }
        let reader = WALReader(directory: directory, fileSystem: fileSystem)
        var skippedSnapshots: [StorageError] = []
        let needed = try reader.recoveryStart { _, error in skippedSnapshots.append(error) }
        var repaired = Report(damages: [], backups: [], lastLSN: 0, skippedSnapshots: skippedSnapshots)
        // Each pass sets at least one segment aside or cuts the log and stops, so this ends.
        for _ in 0...(try reader.segmentPaths().count) {
            let report = try reader.scan(needing: needed)
            repaired.lastLSN = report.lastLSN
            guard let damage = report.damage else { break }
            // Cutting there would set every segment aside and leave a log that starts no better.
            if case .missingRecords = damage.kind { throw damage.error }
            repaired.damages.append(damage)
            let segments = try reader.segmentPaths()
            if damage.isCoveredBySnapshot {
                // Not cut: what follows holds records the snapshot does not. The segments before
                // it go too, or the log would have a hole in it.
                for segment in segments where segment.path <= damage.file { repaired.backups.append(try setAside(segment.path)) }
                try fileSystem.syncDirectory(directory)
                continue
            }
            for segment in segments where segment.path >= damage.file {
                if segment.path == damage.file && damage.offset > 0 {
                    repaired.backups.append(try cut(segment.path, at: damage.offset))
                } else {
                    repaired.backups.append(try setAside(segment.path))
                }
            }
            try fileSystem.syncDirectory(directory)
            break
        }
        // Positions in the change feed after the cut will be handed out again, to other changes.
        if !repaired.damages.isEmpty { try HistoryID.renew(in: directory, fileSystem: fileSystem) }
        return repaired
    }

    /// Copies the whole file to its backup, then cuts it: the valid prefix stays in place
    /// under its own name.
    private func cut(_ path: String, at offset: Int) throws -> String {
        let backup = try fileSystem.copyToBackup(path)
        try fileSystem.truncate(path, to: offset)
        return backup
    }

    private func setAside(_ path: String) throws -> String {
        let backup = fileSystem.backupPath(for: path)
        try fileSystem.rename(path, to: backup)
        return backup
    }
}

extension FileSystem {
    /// Writes a synced copy of `path` to `<path>.broken` (`.broken.2` … when taken), syncs the
    /// directory so that its name is durable too, and returns its path: a caller that then cuts
    /// `path` must not have a power cut keep the cut and lose the copy. A copy that fails is
    /// removed, so a later attempt takes the same name rather than leaving a partial copy
    /// beside its own.
    func copyToBackup(_ path: String) throws(StorageError) -> String {
        let backup = backupPath(for: path)
        let bytes = try readFile(path)
        do {
            let copy = try openForAppending(backup, create: true)
            defer { copy.close() }
            try copy.append(bytes)
            try copy.sync()
        } catch {
            // The name was free, so whatever has it now is this attempt's partial copy.
            try? remove(backup)
            throw error
        }
        try syncDirectory(Self.parent(of: path))
        return backup
    }

    func backupPath(for path: String) -> String {
        var candidate = path + ".broken"
        var attempt = 1
        while fileExists(candidate) {
            attempt += 1
            candidate = path + ".broken.\(attempt)"
        }
        return candidate
    }
}

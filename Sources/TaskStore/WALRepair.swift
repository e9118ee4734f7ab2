/// Cuts the WAL at its first bad frame, keeping a `.broken` copy of every file it changes or
/// sets aside, so nothing is lost for good. Run only while no server uses the directory.
/// A log that begins after where recovery must start is refused, changing nothing.
public struct WALRepair {
    public struct Report: Sendable, Equatable {
        /// The damage repaired; nil when the log was clean and nothing changed.
        public var damage: WALDamage?
        /// Backups written (copies of the cut segment and later segments set aside).
        public var backups: [String]
        public var lastLSN: LSN
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
        let report = try reader.scan(needing: try reader.recoveryStart())
        guard let damage = report.damage else { return Report(damage: nil, backups: [], lastLSN: report.lastLSN) }
        // Cutting there would set every segment aside and leave a log that starts no better.
        if case .missingRecords = damage.kind { throw damage.error }
        var backups: [String] = []
        let segments = try reader.segmentPaths()
        for segment in segments where segment.path >= damage.file {
            let backup = try backupPath(for: segment.path)
            if segment.path == damage.file && damage.offset > 0 {
                // Copy, then cut: the valid prefix stays in place under its own name.
                let bytes = try fileSystem.readFile(segment.path)
                let copy = try fileSystem.openForAppending(backup, create: true)
                defer { copy.close() }
                try copy.append(bytes)
                try copy.sync()
                try fileSystem.truncate(segment.path, to: damage.offset)
            } else {
                try fileSystem.rename(segment.path, to: backup)
            }
            backups.append(backup)
        }
        try fileSystem.syncDirectory(directory)
        return Report(damage: damage, backups: backups, lastLSN: report.lastLSN)
    }

    private func backupPath(for path: String) throws -> String {
        var candidate = path + ".broken"
        var attempt = 1
        while fileSystem.fileExists(candidate) {
            attempt += 1
            candidate = path + ".broken.\(attempt)"
        }
        return candidate
    }
}

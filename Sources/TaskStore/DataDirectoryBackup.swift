import Foundation

/// `taskd backup`: a consistent copy of a data directory in one file, also while a server runs
/// on it. It takes no lock and stops nothing. It opens every file it needs before reading any
/// (an open file stays readable when a snapshot deletes it), keeps the active segment up to its
/// last whole frame, and checks the archive by recovering from it before reporting success.
/// Restoring gives at least every write acknowledged before the backup started.
public struct DataDirectoryBackup {
    public struct Report: Sendable {
        public var files: [String]
        public var bytes: Int
        /// The last LSN the copy holds.
        public var lastLSN: LSN
        public var duration: Duration
    }

    let directory: String

    public init(directory: String) { self.directory = directory }

    public func write(to archivePath: String) throws -> Report {
        let started = ContinuousClock.now
        let entries = try consistentCopy()
        let archive = BackupArchive.encode(entries)
        let temporary = archivePath + ".tmp"
        let files = POSIXFileSystem()
        try files.remove(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)  // it holds the signing key
        guard fd >= 0 else { throw StorageError.io(operation: "create", path: temporary, errno: errno) }
        let handle = POSIXAppendableFile(fd: fd, path: temporary, size: 0)
        try handle.append(archive)
        try handle.sync()
        handle.close()
        // Verify before reporting success: it reads back whole, and it recovers.
        let lastLSN = try Self.check(try BackupArchive.decode(try files.readFile(temporary), path: temporary), archivePath: archivePath)
        try files.rename(temporary, to: archivePath)
        try files.syncDirectory(URL(fileURLWithPath: archivePath).deletingLastPathComponent().path)
        return Report(files: entries.map(\.name), bytes: archive.count, lastLSN: lastLSN, duration: ContinuousClock.now - started)
    }

    /// The newest snapshot, the WAL segments recovery reads after it and the signing key, read
    /// from descriptors opened together, so snapshots and segment deletion racing the backup
    /// cannot tear it apart.
    private func consistentCopy() throws -> [BackupArchive.Entry] {
        // Records the last try found in no segment: missing in every try, they are gone for
        // good, not raced by a snapshot, and the error says so as a start would.
        var missing: StorageError?
        for _ in 0..<20 {
            missing = nil
            let names = try POSIXFileSystem().listDirectory(directory)
            let snapshot = names.compactMap { name in DataFileName.snapshotLSN(name).map { (name, $0) } }.max { $0.1 < $1.1 }
            let allSegments = names.compactMap { name in DataFileName.segmentLSN(name).map { (name, $0) } }.sorted { $0.1 < $1.1 }
            let segments = snapshot.map { Self.segments(allSegments, readAfter: $0.1) } ?? allSegments
            var wanted = segments.map(\.0)
            if let snapshot { wanted.insert(snapshot.0, at: 0) }
            if names.contains("jwt-secret") { wanted.append("jwt-secret") }
            var descriptors: [(String, Int32)] = []
            defer { for (_, fd) in descriptors { close(fd) } }
            for name in wanted {
                let fd = open("\(directory)/\(name)", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { break }
                descriptors.append((name, fd))
            }
            guard descriptors.count == wanted.count else { continue }  // a file went away while listing: again
            if let snapshot, let oldest = segments.first, oldest.1 > snapshot.1 + 1 {
                // Segments deleted after a newer snapshot was listed, or (if it stays so) deleted by hand.
                missing = .missingRecords(file: "\(directory)/\(oldest.0)", needed: snapshot.1 + 1, oldest: oldest.1)
                continue
            }
            let newestSegment = segments.last?.0
            return try descriptors.map { name, fd in
                var bytes = try Self.readAll(fd, path: "\(directory)/\(name)")
                if name == newestSegment { bytes = Self.wholeFrames(of: bytes) }
                return BackupArchive.Entry(name: name, bytes: bytes)
            }
        }
        throw missing ?? StorageError.io(operation: "copy a consistent set of files (snapshots kept replacing each other)", path: directory, errno: EAGAIN)
    }

    /// Of `segments` (name and first LSN, in order), those recovery from a snapshot of
    /// `snapshotLSN` reads: a segment followed by one that starts at or before the first LSN
    /// it replays holds nothing it needs. The data directory keeps those for its older
    /// snapshot; a backup has only the newest, so they would be bytes nobody reads, and
    /// damage in them would fail a backup that restores whole.
    static func segments(_ segments: [(String, LSN)], readAfter snapshotLSN: LSN) -> [(String, LSN)] {
        segments.indices.filter { $0 == segments.count - 1 || segments[$0 + 1].1 > snapshotLSN + 1 }.map { segments[$0] }
    }

    /// The active segment up to its last whole frame: the rest is being written right now.
    private static func wholeFrames(of bytes: [UInt8]) -> [UInt8] {
        var end = 0
        bytes.withUnsafeBytes { buffer in
            while case .frame(_, let range) = FrameScanner.step(in: buffer, at: end) { end = range.upperBound }
        }
        return Array(bytes[..<end])
    }

    private static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StorageError.io(operation: "stat", path: path, errno: errno) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw StorageError.io(operation: "read", path: path, errno: errno) }
            if count == 0 { break }
            filled += count
        }
        return Array(bytes[..<filled])
    }

    /// Lays the files out in a scratch directory and recovers from them; the last LSN.
    static func check(_ entries: [BackupArchive.Entry], archivePath: String) throws -> LSN {
        let scratch = NSTemporaryDirectory() + "taskd-backup-check-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try DataDirectoryRestore.layOut(entries, in: scratch, durable: false)
        let report = try WALReader(directory: scratch, fileSystem: POSIXFileSystem()).scan()
        if let damage = report.damage { throw StorageError.corruption(file: archivePath, offset: 0, reason: "the copied log does not verify: \(damage)") }
        let snapshots = entries.filter { DataFileName.snapshotLSN($0.name) != nil }
        var last = report.lastLSN
        for snapshot in snapshots { last = max(last, try SnapshotFile.read("\(scratch)/\(snapshot.name)", fileSystem: POSIXFileSystem()).contents.highestLSN) }
        return last
    }
}

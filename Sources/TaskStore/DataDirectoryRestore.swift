import Foundation

/// `taskd restore`: checks a backup archive whole, then lays it out as a data directory that
/// `taskd serve` starts from. Refuses a directory that has anything in it.
public struct DataDirectoryRestore {
    public struct Report: Sendable {
        public var files: [String]
        public var lastLSN: LSN
    }

    let archivePath: String
    let directory: String

    public init(archivePath: String, directory: String) {
        self.archivePath = archivePath
        self.directory = directory
    }

    public func run() throws -> Report {
        let files = POSIXFileSystem()
        if files.fileExists(directory), !(try files.listDirectory(directory)).isEmpty {
            throw StorageError.io(operation: "restore into (the directory is not empty; restore only into an empty or new one)", path: directory, errno: ENOTEMPTY)
        }
        let entries = try BackupArchive.decode(try files.readFile(archivePath), path: archivePath)
        let lastLSN = try DataDirectoryBackup.check(entries, archivePath: archivePath)
        try Self.layOut(entries, in: directory, durable: true)
        // The backup's history went on after it was taken: its change-feed positions will be
        // handed out again, so cursors given out since must be refused.
        try HistoryID.renew(in: directory, fileSystem: files)
        return Report(files: entries.map(\.name), lastLSN: lastLSN)
    }

    static func layOut(_ entries: [BackupArchive.Entry], in directory: String, durable: Bool) throws {
        let files = POSIXFileSystem()
        try files.createDirectory(directory)
        for entry in entries {
            let path = "\(directory)/\(entry.name)"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, entry.name == "jwt-secret" ? 0o600 : 0o644)
            guard fd >= 0 else { throw StorageError.io(operation: "create", path: path, errno: errno) }
            let file = POSIXAppendableFile(fd: fd, path: path, size: 0)
            defer { file.close() }
            try file.append(entry.bytes)
            if durable { try file.sync() }
        }
        if durable { try files.syncDirectory(directory) }
    }
}

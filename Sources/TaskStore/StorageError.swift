import Foundation

/// A failure of the disk or of what is on it. Messages name the file (and offset) to look at.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The WAL failed earlier and takes no more writes until a restart; `cause` says why.
    case walFailed(cause: String)
    case corruption(file: String, offset: Int, reason: String)
    /// Recovery needs the log from LSN `needed`, but its oldest segment, `file`, starts at
    /// `oldest`, and no valid snapshot holds what lies between.
    case missingRecords(file: String, needed: LSN, oldest: LSN)
    /// Written by a newer taskd than this one.
    case unsupportedFormat(file: String, found: Int, supported: Int)
    case dataDirectoryLocked(path: String)
    case closed

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .walFailed(let cause):
            "the write-ahead log failed and accepts no writes until taskd restarts: \(cause)"
        case .corruption(let file, let offset, let reason):
            // Only a WAL segment is what `wal repair` mends; a damaged snapshot is skipped by
            // recovery, and a backup archive is made again.
            if DataFileName.segmentLSN(DataFileName.name(of: file)) != nil {
                "corrupt write-ahead log: \(file) at byte offset \(offset): \(reason); run `taskd wal repair --data-dir <dir>` to keep a backup and cut the log there"
            } else {
                "\(file) is damaged at byte offset \(offset): \(reason)"
            }
        case .missingRecords(let file, let needed, let oldest):
            "the write-ahead log must hold LSN \(needed) on, but its oldest segment, \(file), starts at LSN \(oldest): records \(needed) to \(oldest - 1) "
                + "are in no segment and in no valid snapshot (a segment deleted by hand, or the snapshot that held them damaged?); "
                + "`taskd wal repair` cannot bring them back: restore the data directory from a backup with `taskd restore`"
        case .unsupportedFormat(let file, let found, let supported):
            "\(file) has format version \(found), but this taskd reads up to version \(supported); run a newer taskd"
        case .dataDirectoryLocked(let path):
            "the data directory \(path) is in use by another taskd process (its LOCK file is held)"
        case .closed:
            "the store is closed"
        }
    }
}

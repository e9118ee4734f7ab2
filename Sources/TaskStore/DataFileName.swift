import Foundation

/// Names of the files in a data directory, which carry the LSN they start at.
enum DataFileName {
    static func segment(firstLSN: LSN) -> String { String(format: "wal-%020llu.log", firstLSN) }
    static func snapshot(startLSN: LSN) -> String { String(format: "snapshot-%020llu.snap", startLSN) }

    static func segmentLSN(_ name: String) -> LSN? { lsn(in: name, prefix: "wal-", suffix: ".log") }
    static func snapshotLSN(_ name: String) -> LSN? { lsn(in: name, prefix: "snapshot-", suffix: ".snap") }

    /// The name of the file at `path`: its last component.
    static func name(of path: String) -> String { String(path.split(separator: "/").last ?? "") }

    private static func lsn(in name: String, prefix: String, suffix: String) -> LSN? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count == prefix.count + 20 + suffix.count else { return nil }
        return LSN(name.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

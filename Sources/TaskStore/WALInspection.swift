import Foundation

/// What `taskd wal verify` and `taskd wal dump` report. Reads only; needs no lock, so it also
/// works beside a running server (whose newest frame may then show as a torn tail).
public struct WALInspection {
    public struct Verification: Sendable {
        /// 0 clean, 1 torn tail only, 2 corruption before the tail.
        public var exitCode: Int32
        public var text: String
    }

    let directory: String
    let fileSystem: any FileSystem

    public init(directory: String, fileSystem: any FileSystem = POSIXFileSystem()) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    public func verify() throws -> Verification {
        let reader = WALReader(directory: directory, fileSystem: fileSystem)
        var skipped: [StorageError] = []
        let report = try reader.scan(needing: try reader.recoveryStart { _, error in skipped.append(error) })
        var verification = verdict(on: report)
        // The exit code is the log's; a damaged snapshot only makes recovery read more of it.
        for error in skipped { verification.text += "\n" + Self.passedOver(error) }
        return verification
    }

    /// The line `verify` and `repair` give each damaged snapshot recovery passes over.
    static func passedOver(_ snapshotError: StorageError) -> String { "passed over a damaged snapshot, as recovery does: \(snapshotError)" }

    private func verdict(on report: WALReader.Report) -> Verification {
        let summary = "\(report.segments.count) segment(s), \(report.recordCount) record(s), last LSN \(report.lastLSN)"
        guard let damage = report.damage else { return Verification(exitCode: 0, text: "clean: \(summary)") }
        switch damage.kind {
        case .tornTail:
            return Verification(exitCode: 1, text: "torn tail: \(damage.file) at byte offset \(damage.offset): \(damage.reason); valid before it: \(summary). Recovery cuts it off.")
        case .corruption where damage.isCoveredBySnapshot:
            return Verification(
                exitCode: 2,
                text: "corruption: \(damage.file) at byte offset \(damage.offset): \(damage.reason); valid before it: \(summary). "
                    + "The newest valid snapshot holds every record of this segment, so the server starts without reading it; "
                    + "`taskd wal repair --data-dir \(directory)` sets it aside with the segments before it.")
        case .corruption:
            return Verification(exitCode: 2, text: "corruption: \(damage.file) at byte offset \(damage.offset): \(damage.reason); valid before it: \(summary). Run `taskd wal repair --data-dir \(directory)`.")
        case .missingRecords:
            return Verification(exitCode: 2, text: "missing records: \(damage.error)")
        }
    }

    /// Calls `line` with one JSON object per record; returns the damage the scan stopped at.
    public func dump(_ line: (String) -> Void) throws -> WALDamage? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let report = try WALReader(directory: directory, fileSystem: fileSystem).scan { lsn, event in
            let data = try encoder.encode(DumpedRecord(lsn: lsn, event: event))
            line(String(decoding: data, as: UTF8.self))
        }
        return report.damage
    }
}

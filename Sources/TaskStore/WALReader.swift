import Foundation

/// Reads the WAL's segments in LSN order, checking every frame, and reports how far the log is
/// valid. Used by recovery and by `taskd wal verify | dump | repair`.
struct WALReader {
    struct Segment: Equatable {
        var path: String
        var firstLSN: LSN
        var size: Int
        /// Bytes from the start that hold valid frames. Up to `size`, the rest is zeros (space
        /// the writer reserved) or damage.
        var validLength: Int
    }

    struct Report {
        /// Every segment, in LSN order; those before the start LSN are listed with `validLength` = `size`
        /// without being read.
        var segments: [Segment] = []
        var lastLSN: LSN = 0
        var recordCount = 0
        var damage: WALDamage?
    }

    let directory: String
    let fileSystem: any FileSystem

    func segmentPaths() throws(StorageError) -> [(path: String, firstLSN: LSN)] {
        try fileSystem.listDirectory(directory).compactMap { name in
            DataFileName.segmentLSN(name).map { ("\(directory)/\(name)", $0) }
        }.sorted { $0.firstLSN < $1.firstLSN }
    }

    /// The first LSN recovery replays: the one after the newest valid snapshot's, or 1 when
    /// there is none. Reads the snapshots whole, as recovery does. Call it before `scan`: a
    /// running server's snapshotter publishes a snapshot before it deletes what that covers.
    func recoveryStart(skipped: (_ path: String, _ error: StorageError) -> Void = { _, _ in }) throws(StorageError) -> LSN {
        (try SnapshotFile.newestValid(in: directory, fileSystem: fileSystem, skipped: skipped)?.contents.startLSN ?? 0) + 1
    }

    /// Reads every segment that may hold LSNs from `start` on (default: the oldest segment's
    /// first), calling `visit` for each record at or after it. Stops at the first damage and
    /// reports it; throws only for I/O errors, frames of a newer format, or what `visit` throws.
    /// `needed` (default `start`) is the first LSN recovery replays: a log whose oldest segment
    /// begins after it is missing records, and damage in a segment wholly before it is marked
    /// as covered by the snapshot.
    func scan(
        from start: LSN? = nil, needing needed: LSN? = nil, visit: (LSN, WALEvent) throws -> Void = { _, _ in },
        progress: (_ bytesRead: Int) -> Void = { _ in }
    ) throws -> Report {
        let paths = try segmentPaths()
        let startLSN = start ?? paths.first?.firstLSN ?? 1
        let neededLSN = needed ?? startLSN
        var report = Report()
        let inflater = Inflater()
        for (index, segment) in paths.enumerated() {
            let isNewest = index == paths.count - 1
            let nextFirstLSN = isNewest ? nil : paths[index + 1].firstLSN
            if let nextFirstLSN, nextFirstLSN <= startLSN {
                // Wholly before the start: recovery need not read it. (Only a run of the oldest
                // can be: the segments are in LSN order.)
                let size = try fileSystem.fileSize(segment.path)
                report.segments.append(Segment(path: segment.path, firstLSN: segment.firstLSN, size: size, validLength: size))
                continue
            }
            let isCovered = nextFirstLSN.map { $0 <= neededLSN } ?? false
            let expectedFirstLSN = report.lastLSN == 0 ? nil : report.lastLSN + 1
            if let expectedFirstLSN, segment.firstLSN != expectedFirstLSN {
                report.damage = WALDamage(
                    kind: .corruption, file: segment.path, offset: 0,
                    reason: "segment starts at LSN \(segment.firstLSN), but the previous one ended at \(report.lastLSN)", isCoveredBySnapshot: isCovered)
                return report
            }
            if expectedFirstLSN == nil, segment.firstLSN > neededLSN {
                report.damage = WALDamage(
                    kind: .missingRecords(needed: neededLSN, oldest: segment.firstLSN), file: segment.path, offset: 0,
                    reason: "the log must hold LSN \(neededLSN) on, but its oldest segment starts at \(segment.firstLSN)")
                return report
            }
            let bytes = try fileSystem.readFile(segment.path)
            var info = Segment(path: segment.path, firstLSN: segment.firstLSN, size: bytes.count, validLength: 0)
            let damage = try bytes.withUnsafeBytes { buffer in
                try scanSegment(buffer, info: &info, isNewest: isNewest, from: startLSN, report: &report, inflater: inflater, visit: visit)
            }
            report.segments.append(info)
            progress(bytes.count)
            if var damage {
                damage.isCoveredBySnapshot = isCovered
                report.damage = damage
                return report
            }
        }
        return report
    }

    private func scanSegment(
        _ bytes: UnsafeRawBufferPointer, info: inout Segment, isNewest: Bool, from startLSN: LSN,
        report: inout Report, inflater: Inflater, visit: (LSN, WALEvent) throws -> Void
    ) throws -> WALDamage? {
        var offset = 0
        var expectedLSN = info.firstLSN
        // A bad frame with nothing valid after it is a torn write, and so is one whose every
        // later frame was written while it was not yet synced: a power cut may keep them and
        // lose it, as a disk writes its cache back in any order. Anything else was on disk.
        func damage(_ reason: String) -> WALDamage {
            let corruption = WALDamage(kind: .corruption, file: info.path, offset: offset, reason: reason)
            guard isNewest else { return corruption }
            let later = FrameScanner.validFrames(in: bytes, after: offset)
            guard later.allSatisfy({ $0.wasWritten(beforeSyncing: expectedLSN) }) else { return corruption }
            let records = later.reduce(0) { $0 + Int($1.recordCount) }
            let cut = later.isEmpty ? "" : "; the \(later.count) frames after it (\(records) records) were written before it was synced, and are cut with it"
            return WALDamage(kind: .tornTail, file: info.path, offset: offset, reason: reason + cut, framesAfter: later.count)
        }
        var payload: [UInt8] = []
        var events: [WALEvent] = []
        func accept(_ header: FrameHeader, endingAt end: Int) {
            expectedLSN += LSN(header.recordCount)
            report.lastLSN = expectedLSN - 1
            report.recordCount += Int(header.recordCount)
            offset = end
            info.validLength = end
        }
        while true {
            switch FrameScanner.step(in: bytes, at: offset) {
            case .end:
                return nil
            case .unsupportedVersion(let version):
                throw StorageError.unsupportedFormat(file: info.path, found: Int(version), supported: Int(FrameHeader.formatVersion))
            case .damaged(let reason):
                if FrameScanner.isZeroFilled(bytes, from: offset) { return nil }
                return damage(reason)
            case .frame(let header, let payloadRange):
                guard header.firstLSN == expectedLSN else {
                    return damage("frame starts at LSN \(header.firstLSN), expected \(expectedLSN)")
                }
                if header.firstLSN + LSN(header.recordCount) <= startLSN {
                    // Wholly before the start (a snapshot holds it): checksummed, not decoded.
                    accept(header, endingAt: payloadRange.upperBound)
                    continue
                }
                guard FrameScanner.payload(of: header, UnsafeRawBufferPointer(rebasing: bytes[payloadRange]), inflater: inflater, into: &payload) else {
                    return damage("payload does not inflate to its recorded length")
                }
                // Decoded whole before any is visited: a frame is applied all or nothing.
                events.removeAll(keepingCapacity: true)
                let decodeError: DecodeError? = payload.withUnsafeBytes { buffer in
                    do throws(DecodeError) {
                        try FrameScanner.forEachRecord(in: buffer, count: header.recordCount) { reader throws(DecodeError) in
                            events.append(try RecordCodec.decode(from: &reader))
                        }
                        return nil
                    } catch { return error }
                }
                if let decodeError { return damage("undecodable record: \(decodeError)") }
                for (index, event) in events.enumerated() {
                    let lsn = header.firstLSN + LSN(index)
                    if lsn >= startLSN { try visit(lsn, event) }
                }
                accept(header, endingAt: payloadRange.upperBound)
            }
        }
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct DataDirectoryBackupTests {
    /// Where a backup of `fixture` goes, and a directory not yet made to restore it into.
    private static func backupPaths(of fixture: StoreFixture) -> (archive: String, restored: TemporaryDirectory) {
        (fixture.directory.path + ".backup", TemporaryDirectory(path: TemporaryDirectory.unusedPath("-restored")))
    }

    private static func remove(_ fixture: StoreFixture, _ archive: String, _ restored: TemporaryDirectory) {
        fixture.directory.remove()
        restored.remove()
        try? FileManager.default.removeItem(atPath: archive)
    }

    /// A fixture whose segments hold a few dozen tasks each.
    private static func smallSegments() -> StoreFixture {
        var fixture = StoreFixture()
        fixture.segmentSize = 4096
        return fixture
    }

    /// 320 tasks of one user, with a snapshot after each task numbered in `snapshotAfter`; the
    /// user and the last LSN.
    private static func write320Tasks(_ fixture: StoreFixture, snapshotAfter: Set<Int>) async throws -> (user: UserID, lastLSN: LSN) {
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<320 {
            _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)")))
            if snapshotAfter.contains(index) { try await store.snapshotNow() }
        }
        let lastLSN = store.wal.acknowledgement.lsn
        await store.close()
        return (user.userID, lastLSN)
    }

    /// The data directory keeps the segments after its older snapshot, for recovery to fall back
    /// on; a backup holds only the newest snapshot, and so only the segments recovery reads
    /// after it. Damage in one it leaves out (which the server starts without reading) no longer
    /// fails the backup, and the restored directory has every task.
    @Test func aBackupLeavesOutSegmentsTheNewestSnapshotCoversDamagedOrNot() async throws {
        let fixture = Self.smallSegments()
        let (archive, restored) = Self.backupPaths(of: fixture)
        defer { Self.remove(fixture, archive, restored) }
        let (user, lastLSN) = try await Self.write320Tasks(fixture, snapshotAfter: [199, 299])

        let newestSnapshot = try #require(fixture.snapshotNames().max())
        let snapshotLSN = try #require(DataFileName.snapshotLSN(newestSnapshot))
        let segments = fixture.segmentNames().sorted()
        // Followed by a segment that starts at or before the first LSN replayed after it.
        let covered = segments.indices.dropLast().filter { DataFileName.segmentLSN(segments[$0 + 1])! <= snapshotLSN + 1 }.map { segments[$0] }
        #expect(covered.count >= 2, "segments: \(segments), newest snapshot at \(snapshotLSN)")
        let damaged = fixture.directory.file(covered[0])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: damaged))

        let secret = Data((0..<32).map { UInt8($0) })
        #expect(FileManager.default.createFile(atPath: fixture.directory.file("jwt-secret"), contents: secret, attributes: [.posixPermissions: 0o600]))
        let report = try DataDirectoryBackup(directory: fixture.directory.path).write(to: archive)
        #expect(report.files.first == newestSnapshot)
        #expect(Set(report.files).isDisjoint(with: covered))
        #expect(Set(report.files).isSuperset(of: Set(segments).subtracting(covered)))
        #expect(report.lastLSN == lastLSN, "the log's last, past the snapshot's")

        _ = try DataDirectoryRestore(archivePath: archive, directory: restored.path).run()
        let restoredSecret = restored.file("jwt-secret")
        #expect(FileManager.default.contents(atPath: restoredSecret) == secret)
        #expect((try FileManager.default.attributesOfItem(atPath: restoredSecret)[.posixPermissions] as? Int) == 0o600, "the signing key stays readable by its owner alone")
        var reopened = fixture
        reopened.directory = restored
        let recovered = try reopened.open()
        #expect(try await recovered.acknowledged(await recovered.user(user).read { $0.tasks.count }) == 320)
        await recovered.close()
    }

    /// Segments deleted by hand leave records in no segment and no snapshot. A backup names
    /// them as a start does, not as snapshots that kept replacing each other, and writes nothing.
    @Test func recordsInNoSegmentAreNamedAndNothingIsWritten() async throws {
        let fixture = Self.smallSegments()
        let (archive, restored) = Self.backupPaths(of: fixture)
        defer { Self.remove(fixture, archive, restored) }
        _ = try await Self.write320Tasks(fixture, snapshotAfter: [199])
        let snapshot = try #require(fixture.snapshotNames().max())
        let snapshotLSN = try #require(DataFileName.snapshotLSN(snapshot))
        let segments = fixture.segmentNames().map { ($0, DataFileName.segmentLSN($0)!) }.sorted { $0.1 < $1.1 }
        let holder = try #require(segments.last { $0.1 <= snapshotLSN + 1 })
        let oldestLeft = try #require(segments.first { $0.1 > holder.1 })
        for (name, lsn) in segments where lsn <= holder.1 { try FileManager.default.removeItem(atPath: fixture.directory.file(name)) }

        let expected = StorageError.missingRecords(file: fixture.directory.file(oldestLeft.0), needed: snapshotLSN + 1, oldest: oldestLeft.1)
        #expect(throws: expected) { try DataDirectoryBackup(directory: fixture.directory.path).write(to: archive) }
        #expect(throws: expected) { try fixture.open() }
        #expect(!FileManager.default.fileExists(atPath: archive) && !FileManager.default.fileExists(atPath: archive + ".tmp"))
    }

    /// A segment is left out exactly when the next one starts at or before the first LSN
    /// replayed after the snapshot; the newest is always kept.
    @Test func theSegmentsABackupKeepsAreThoseRecoveryReadsAfterTheSnapshot() {
        let segments = [("a", LSN(1)), ("b", LSN(5)), ("c", LSN(9))]
        func kept(after snapshotLSN: LSN) -> [String] { DataDirectoryBackup.segments(segments, readAfter: snapshotLSN).map(\.0) }
        #expect(kept(after: 3) == ["a", "b", "c"], "LSN 4 is in a")
        #expect(kept(after: 4) == ["b", "c"], "LSN 5 is where b starts")
        #expect(kept(after: 8) == ["c"])
        #expect(kept(after: 20) == ["c"], "the newest, though the snapshot holds all of it")
    }

    /// A directory whose server died mid-write: the newest segment ends in half a frame. The
    /// backup copies its whole frames (the torn one is what recovery would cut), verifies, and
    /// restores every acknowledged task; its report names the last LSN, also when that is the
    /// snapshot's.
    @Test func aTornTailIsLeftOutAndTheReportNamesTheLastLSN() async throws {
        let fixture = StoreFixture()
        let (archive, restored) = Self.backupPaths(of: fixture)
        defer { Self.remove(fixture, archive, restored) }
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<30 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)"))) }
        try await store.snapshotNow()
        let lastLSN = store.wal.acknowledgement.lsn
        await store.close()
        let snapshotOnly = try DataDirectoryBackup(directory: fixture.directory.path).write(to: archive)
        #expect(snapshotOnly.lastLSN == lastLSN)
        try FileManager.default.removeItem(atPath: archive)

        let segment = fixture.directory.file(try #require(fixture.segmentNames().max()))
        let last = try #require(try FrameMap(file: segment).frames.last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        let torn = bytes[last.offset..<(last.offset + (last.end - last.offset) / 2)]
        bytes.replaceSubrange(last.end..<min(bytes.count, last.end + torn.count), with: torn)
        try bytes.write(to: URL(fileURLWithPath: segment))
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 1, "a torn tail")

        let report = try DataDirectoryBackup(directory: fixture.directory.path).write(to: archive)
        #expect(report.lastLSN == lastLSN)
        _ = try DataDirectoryRestore(archivePath: archive, directory: restored.path).run()
        #expect(try WALInspection(directory: restored.path).verify().exitCode == 0)
        var reopened = fixture
        reopened.directory = restored
        let recovered = try reopened.open()
        #expect(try await recovered.acknowledged(await recovered.user(user.userID).read { $0.tasks.count }) == 30)
        await recovered.close()
    }
}

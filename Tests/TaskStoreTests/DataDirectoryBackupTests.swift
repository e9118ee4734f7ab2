import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct DataDirectoryBackupTests {
    /// The data directory keeps the segments after its older snapshot, for recovery to fall back
    /// on; a backup holds only the newest snapshot, and so only the segments recovery reads
    /// after it. Damage in one it leaves out (which the server starts without reading) no longer
    /// fails the backup, and the restored directory has every task.
    @Test func aBackupLeavesOutSegmentsTheNewestSnapshotCoversDamagedOrNot() async throws {
        var fixture = StoreFixture()
        fixture.segmentSize = 4096
        let archive = fixture.directory.path + ".backup"
        let restored = TemporaryDirectory(path: TemporaryDirectory.unusedPath("-restored"))
        defer {
            fixture.directory.remove()
            restored.remove()
            try? FileManager.default.removeItem(atPath: archive)
        }
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<320 {
            _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)")))
            if index == 199 || index == 299 { try await store.snapshotNow() }
        }
        await store.close()

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

        _ = try DataDirectoryRestore(archivePath: archive, directory: restored.path).run()
        let restoredSecret = restored.file("jwt-secret")
        #expect(FileManager.default.contents(atPath: restoredSecret) == secret)
        #expect((try FileManager.default.attributesOfItem(atPath: restoredSecret)[.posixPermissions] as? Int) == 0o600, "the signing key stays readable by its owner alone")
        var reopened = fixture
        reopened.directory = restored
        let recovered = try reopened.open()
        #expect(try await recovered.acknowledged(await recovered.user(user.userID).read { $0.tasks.count }) == 320)
        await recovered.close()
    }
}

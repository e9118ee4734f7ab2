import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Under `--fsync always` a writer is answered only once its frame is on disk: at the moment of
/// every acknowledgement, the synced part of the segment already holds the whole frame.
@Suite struct DurabilityTests {
    /// Runs concurrent writers; returns the acknowledged LSNs that were not yet synced when acknowledged.
    private func acknowledgedBeforeSynced(fsync: FsyncPolicy) async throws -> (violations: Int, acknowledged: Int, fixture: StoreFixture) {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        fixture.fsync = fsync
        let store = try fixture.open()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let observations = try await withThrowingTaskGroup(of: [(LSN, Int)].self) { group in
            for writer in 0..<64 {
                group.addTask {
                    let user = store.user(UserID())
                    var seen: [(LSN, Int)] = []
                    for index in 0..<10 {
                        let committed = try await user.createTask(TaskDraft(title: "writer \(writer) task \(index)"))
                        try await store.wal.waitUntilAcknowledged(committed.lsn)
                        seen.append((committed.lsn, fileSystem.syncedLength(of: segment)))
                    }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await store.close()
        let frames = try FrameMap(file: segment).frames
        let violations = observations.filter { lsn, synced in
            let frame = frames.first { $0.firstLSN <= lsn && lsn <= $0.lastLSN }!
            return frame.end > synced
        }.count
        return (violations, observations.count, fixture)
    }

    @Test func underAlwaysEveryAcknowledgedFrameWasAlreadySynced() async throws {
        let (violations, acknowledged, fixture) = try await acknowledgedBeforeSynced(fsync: .always)
        defer { fixture.directory.remove() }
        #expect(acknowledged == 640)
        #expect(violations == 0)
        // And a power cut right after loses none of it.
        (fixture.fileSystem as! FaultInjectingFileSystem).simulatePowerLoss()
        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let store = try reopened.open()
        #expect(store.recoveredRecords == 640)
        await store.close()
    }

    /// The control: the same check catches acknowledgements that run ahead of fsync.
    @Test func underNeverTheCheckSeesAcknowledgementsAheadOfFsync() async throws {
        let (violations, _, fixture) = try await acknowledgedBeforeSynced(fsync: .never)
        defer { fixture.directory.remove() }
        #expect(violations > 0)
    }

    @Test func groupCommitServesManyWritersWithOneFsync() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let syncsBefore = fileSystem.syncCount
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<256 {
                group.addTask { _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "w\(writer)"))) }
            }
            try await group.waitForAll()
        }
        let fsyncs = fileSystem.syncCount - syncsBefore
        #expect(fsyncs < 128, "256 writers took \(fsyncs) fsyncs")
        await store.close()
    }
}

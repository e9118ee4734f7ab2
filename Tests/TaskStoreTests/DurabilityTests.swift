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

    /// Under `always` a run can die between writing a frame and syncing it (a kill -9 while the
    /// fsync runs; here the fsync fails): the write was never acknowledged, but the kernel holds
    /// the frame, so the next start replays it and serves it. That start must put it on disk
    /// before answering anything, or a power cut afterwards would take back a task that clients
    /// have already been shown.
    @Test func aStartSyncsAFrameTheLastRunWroteButNeverSynced() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let dying = try fixture.open()
        fileSystem.inject(.sync, errno: EIO)
        await #expect(throws: StorageError.self) {
            _ = try await dying.acknowledged(await dying.user(UserID()).createTask(TaskDraft(title: "written, never synced")))
        }
        await dying.close()
        #expect(fileSystem.syncedLength(of: segment) < fileSystem.writtenLength(of: segment), "the frame is only in the page cache")

        // Dropped without `close`, as a process that dies: power is lost after it answered.
        try await {
            let store = try fixture.open()
            #expect(await store.taskCount() == 1, "the next start replays the frame and serves its task")
        }()
        fileSystem.simulatePowerLoss()
        let store = try fixture.open()
        #expect(await store.taskCount() == 1, "a task served before the power cut is still there after it")
        await store.close()
    }

    /// A data directory taskd makes, and each parent it makes for it, is entered durably in its
    /// parent: until the parent is fsynced, a power cut can take a new directory away, and with
    /// it every file in it, synced or not.
    @Test func aDataDirectoryTheStoreMadeSurvivesAPowerCut() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        let parent = fixture.directory
        defer { parent.remove() }
        var nested = fixture
        nested.directory = TemporaryDirectory(path: parent.file("new/deeper/data"))
        // Dropped without `close`, as a process that loses power.
        try await {
            let store = try nested.open()
            _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "acknowledged")))
        }()
        fileSystem.simulatePowerLoss()
        let store = try nested.open()
        #expect(await store.taskCount() == 1)
        await store.close()
    }

    /// A file put in place with `replaceDurably` (the history id, the unsynced-run marker, the
    /// signing key) is there after a power cut, new or replacing an old one, with nothing else
    /// synced after it: its rename is durable once the directory is synced, not before.
    @Test func aFileReplacedDurablySurvivesAPowerCut() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let fileSystem = FaultInjectingFileSystem()
        try fileSystem.replaceDurably("kept", in: directory.path, with: Array("first\n".utf8))
        fileSystem.simulatePowerLoss()
        #expect(try fileSystem.readFile(directory.file("kept")) == Array("first\n".utf8))
        try fileSystem.replaceDurably("kept", in: directory.path, with: Array("second\n".utf8))
        fileSystem.simulatePowerLoss()
        #expect(try fileSystem.readFile(directory.file("kept")) == Array("second\n".utf8))
        #expect(!fileSystem.fileExists(directory.file("kept.tmp")))
    }

    @Test(arguments: [
        ("data", "."), ("./data", "."), ("/srv", "/"), ("/srv/taskd", "/srv"), ("/srv/taskd/", "/srv"), ("/", "/"), ("a/b//", "a"),
    ])
    func theParentThatIsSyncedForANewDirectory(path: String, parent: String) {
        #expect(POSIXFileSystem.parent(of: path) == parent)
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

    /// Closing writes and syncs every event queued before it, also when they are more than the
    /// writer takes in one batch: the writer stops only once the queue is empty.
    @Test func closeWritesEveryQueuedEventAlsoPastOneBatch() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        fileSystem.holdSyncs()
        // The writer takes the first write alone and waits in its fsync; the rest queue behind it.
        _ = try await user.createTask(TaskDraft(title: "first"))
        while store.wal.busyFor == nil { try await Task.sleep(for: .milliseconds(5)) }
        let queued = store.wal.configuration.batchLimit + 10
        for index in 0..<queued { _ = try await user.createTask(TaskDraft(title: "t\(index)")) }
        let (closeStarted, started) = AsyncStream.makeStream(of: Void.self)
        let closing = Task {
            started.finish()
            await store.wal.close()
        }
        for await _ in closeStarted {}
        try await Task.sleep(for: .milliseconds(50))  // for `close` to mark the log stopping
        fileSystem.releaseSyncs()
        await closing.value
        await store.close()

        let reopened = try fixture.open()
        let count = try await reopened.acknowledged(await reopened.user(user.userID).read { $0.tasks.count })
        #expect(count == queued + 1)
        await reopened.close()
    }
}

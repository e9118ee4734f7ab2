import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// `everysec` and `never` answer after the write; `everysec` still fsyncs within about a
/// second, `never` leaves it to the OS (and to close).
@Suite struct FsyncPolicyTests {
    @Test func everysecAnswersBeforeFsyncAndSyncsWithinASecond() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .everysec)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let syncsBefore = fileSystem.syncCount
        // The writer fsyncs right after the write when the last fsync is a second old, which a
        // busy test run can make it (all tests share two cores): a held fsync keeps the check
        // below from racing it.
        fileSystem.holdSyncs()
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "a")))
        #expect(fileSystem.syncedLength(of: segment) < fileSystem.writtenLength(of: segment), "answered before the fsync")
        fileSystem.releaseSyncs()
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while fileSystem.syncCount == syncsBefore && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(fileSystem.syncCount > syncsBefore, "fsynced within the second")
        #expect(fileSystem.syncedLength(of: segment) == fileSystem.writtenLength(of: segment))
        await store.close()
    }

    @Test func neverLeavesFsyncToCloseAndSnapshots() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .never)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        for index in 0..<20 { _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "t\(index)"))) }
        try await Task.sleep(for: .milliseconds(1200))
        #expect(fileSystem.syncedLength(of: segment) == 0)
        // A snapshot is published only once the WAL is durable up to everything it holds.
        try await store.snapshotNow()
        #expect(fileSystem.syncedLength(of: segment) == fileSystem.writtenLength(of: segment))
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "last")))
        await store.close()
        #expect(fileSystem.syncedLength(of: segment) == fileSystem.writtenLength(of: segment), "close makes everything durable")
    }

    /// A read that sees a write is answered only once that write is durable: no client sees a
    /// write that a crash could still take back.
    @Test func aReadThatSeesAnUnsyncedWriteWaitsForItsFsync() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "first")))
        fileSystem.holdSyncs()
        let syncsBefore = fileSystem.syncCount
        let write = try await user.createTask(TaskDraft(title: "second"))  // appended and applied, not yet durable
        let read = await user.read { $0.tasks.count }
        #expect(read.value == 2 && read.lsn == write.lsn)
        #expect(store.wal.acknowledgedLSN < read.lsn, "the read must wait")
        fileSystem.releaseSyncs()
        let count = try await store.acknowledged(read)
        #expect(count == 2)
        #expect(fileSystem.syncCount > syncsBefore, "the read was answered only after the fsync")
        await store.close()
    }

    /// A read of one task waits only for the commit that last changed it (a rename of its
    /// category included), so reads of other tasks are not held behind writes in flight.
    @Test func aReadOfOneTaskWaitsOnlyForThatTasksLatestChange() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        let quiet = try await store.acknowledged(await user.createTask(TaskDraft(title: "quiet", categoryName: "Home"))).view.task
        let busy = try await store.acknowledged(await user.createTask(TaskDraft(title: "busy"))).view.task
        fileSystem.holdSyncs()
        var patch = TaskPatch()
        patch.title = .set("busy, renamed")
        let write = try await user.updateTask(busy.id, patch)  // appended and applied, not yet durable

        let readQuiet = await user.readTask(quiet.id)
        // Required: awaiting it otherwise waits for the fsync held below, and the test hangs.
        try #require(readQuiet.lsn <= store.wal.acknowledgedLSN, "nothing to wait for")
        let readBusy = await user.readTask(busy.id)
        #expect(readBusy.lsn == write.lsn && readBusy.value?.task.title == "busy, renamed")
        let readMissing = await user.readTask(TaskID())
        #expect(readMissing.value == nil && readMissing.lsn == write.lsn, "not there: perhaps an unsynced delete")

        let syncsBefore = fileSystem.syncCount
        _ = try await store.acknowledged(readQuiet)
        #expect(fileSystem.syncCount == syncsBefore, "answered without waiting for the fsync under way")
        fileSystem.releaseSyncs()
        _ = try await store.acknowledged(readBusy)
        #expect(fileSystem.syncCount > syncsBefore, "answered only after its write's fsync")

        let home = try #require(await user.read { $0.category(named: "Home") }.value)
        fileSystem.holdSyncs()
        let rename = try await user.renameCategory(home.id, to: "House")
        let renamedView = await user.readTask(quiet.id)
        #expect(renamedView.lsn == rename.lsn && renamedView.value?.categoryName == "House", "the task shows the new name: wait for it")
        #expect(await user.readTask(busy.id).lsn <= write.lsn)
        fileSystem.releaseSyncs()
        await store.close()
    }

    /// An fsync slower than the threshold is a warning naming the segment and how long it took,
    /// seconds included.
    @Test func aSlowFsyncIsAWarningWithItsDuration() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        var configuration = fixture.configuration
        configuration.wal.slowFsyncThreshold = .seconds(1)
        let (logger, log) = RecordingLogHandler.logger()
        let store = try UnlockedStoreOpening.open { try TaskStore(configuration: configuration, logger: logger) }
        let user = store.user(UserID())
        fileSystem.holdSyncs()
        defer { fileSystem.releaseSyncs() }  // also when an expectation throws: close waits for the WAL
        let write = try await user.createTask(TaskDraft(title: "slow"))
        try await Task.sleep(for: .milliseconds(1100))
        fileSystem.releaseSyncs()
        _ = try await store.acknowledged(write)
        let warnings = log.all.filter { $0.message == "slow fsync" }
        #expect(warnings.count == 1 && warnings.first?.level == .warning)
        #expect(warnings.first?.metadata["segment"] == fixture.directory.file(DataFileName.segment(firstLSN: 1)))
        #expect((warnings.first?.metadata["milliseconds"]).flatMap { Int($0) }.map { $0 >= 1100 } == true, "\(warnings)")
        await store.close()
    }

    /// A change that changes nothing writes nothing, but its answer shows the state: it waits
    /// for the latest write, as a read does.
    @Test func aChangeThatChangesNothingWaitsForTheWriteItShows() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "a", categoryName: "Home"))).view.task
        let home = try #require(await user.read { $0.category(named: "Home") }.value)
        fileSystem.holdSyncs()
        defer { fileSystem.releaseSyncs() }  // also when an expectation throws: close waits for the WAL
        var patch = TaskPatch()
        patch.title = .set("b")
        let write = try await user.updateTask(task.id, patch)  // appended and applied, not yet durable
        let unchanged = try await user.updateTask(task.id, patch)
        #expect(unchanged.value.task.version == write.value.task.version, "nothing written")
        #expect(unchanged.lsn == write.lsn && store.wal.acknowledgedLSN < unchanged.lsn, "the repeat must wait")
        let sameName = try await user.renameCategory(home.id, to: "Home")
        #expect(sameName.lsn == write.lsn, "a rename to its own name must wait too")
        fileSystem.releaseSyncs()
        await store.close()
    }

    /// A create repeated with its idempotency key while the first is still waiting for its
    /// fsync is answered only after that fsync: the repeat says the task exists, and a crash
    /// before the fsync would take it back.
    @Test func aRepeatedCreateWaitsForTheFirstOnesFsync() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .always)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        fileSystem.holdSyncs()
        defer { fileSystem.releaseSyncs() }  // also when an expectation throws: close waits for the WAL
        let first = try await user.createTask(TaskDraft(title: "once"), idempotencyKey: "k")  // appended, not yet durable
        let repeated = try await user.createTask(TaskDraft(title: "once"), idempotencyKey: "k")
        #expect(repeated.value.isReplay && repeated.value.view == first.value.view)
        #expect(repeated.lsn >= first.lsn && store.wal.acknowledgedLSN < repeated.lsn, "the repeat must wait")
        let syncsBefore = fileSystem.syncCount
        fileSystem.releaseSyncs()
        _ = try await store.acknowledged(repeated)
        #expect(fileSystem.syncCount > syncsBefore, "answered only after the first create's fsync")
        await store.close()
    }
}

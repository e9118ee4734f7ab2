import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A run that answers writes before syncing them (`everysec`, `never`) and then dies: on the
/// same boot the kernel kept its writes, and the next start makes them durable; after a machine
/// restart they may be gone, and the next start gives the directory a new history, so `/sync`
/// cursors from before get 410 instead of skipping the changes that reuse their positions.
@Suite struct UnsyncedRunMarkerTests {
    private let segment = DataFileName.segment(firstLSN: 1)

    /// Opens a store under `policy`, acknowledges `count` tasks, and drops the store without
    /// `close`, as a killed process would: nothing is synced at the end. (Its WAL thread is left
    /// waiting for work that never comes; the lock goes with the store.) Returns the history id.
    private func runThatDies(_ fixture: StoreFixture, policy: FsyncPolicy, tasks count: Int) async throws -> String {
        var fixture = fixture
        fixture.fsync = policy
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<count { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)"))) }
        return store.historyID
    }

    private func marker(_ fixture: StoreFixture) -> String? {
        try? String(contentsOfFile: fixture.directory.file(UnsyncedRunMarker.fileName), encoding: .utf8)
    }

    @Test(arguments: [FsyncPolicy.everysec, .never])
    func aCleanStopRemovesTheMarkerAndKeepsTheHistory(policy: FsyncPolicy) async throws {
        var fixture = StoreFixture()
        fixture.fsync = policy
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let history = store.historyID
        #expect(marker(fixture) == "boot boot-1\n", "there while the run answers before syncing")
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "kept")))
        await store.close()
        #expect(marker(fixture) == nil)

        fixture.bootID = "boot-2"
        store = try fixture.open()
        #expect(store.historyID == history, "a clean stop synced everything: a restart of the machine loses nothing")
        await store.close()
    }

    /// A clean stop that cannot remove its marker leaves it naming this boot: the next start
    /// takes the run for one that died, syncs, and keeps the history, which loses nothing.
    @Test func aMarkerACleanStopCouldNotRemoveCostsOnlyASync() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .everysec)
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let history = store.historyID
        fileSystem.inject(.remove, errno: EIO)
        await store.close()
        #expect(marker(fixture) == "boot boot-1\n")
        store = try fixture.open()
        #expect(store.historyID == history)
        await store.close()
        #expect(marker(fixture) == nil)
    }

    /// A clean stop makes the marker's removal durable: brought back by a power cut, it would
    /// make a start on the next boot renew the history for nothing.
    @Test func aCleanStopsRemovalOfTheMarkerSurvivesAPowerCut() async throws {
        var (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .everysec)
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let history = store.historyID
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "kept")))
        await store.close()
        fileSystem.simulatePowerLoss()
        #expect(marker(fixture) == nil)
        fixture.bootID = "boot-2"
        store = try fixture.open()
        #expect(store.historyID == history)
        await store.close()
    }

    @Test func underAlwaysThereIsNoMarker() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        #expect(marker(fixture) == nil)
        await store.close()
        #expect(marker(fixture) == nil)
    }

    @Test func aRunThatDiedOnThisBootHasItsWritesSyncedByTheNextStart() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let history = try await runThatDies(fixture, policy: .never, tasks: 5)
        let path = fixture.directory.file(segment)
        #expect(fileSystem.syncedLength(of: path) < fileSystem.writtenLength(of: path), "acknowledged, not yet synced")

        // Under `always` now: the start syncs what the dead run left, then needs no marker.
        let store = try fixture.open()
        #expect(fileSystem.syncedLength(of: path) == fileSystem.writtenLength(of: path))
        #expect(store.historyID == history, "nothing was lost: cursors stay good")
        #expect(marker(fixture) == nil)
        await store.close()

        // So a power cut now keeps every write the dead run acknowledged.
        fileSystem.simulatePowerLoss()
        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let recovered = try reopened.open()
        #expect(recovered.recoveredRecords >= 5)
        await recovered.close()
    }

    @Test func aRunThatDiedBeforeTheMachineRestartedGivesANewHistory() async throws {
        var (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let history = try await runThatDies(fixture, policy: .everysec, tasks: 5)
        fileSystem.simulatePowerLoss()

        fixture.bootID = "boot-2"
        fixture.fsync = .everysec
        let store = try fixture.open()
        #expect(store.historyID != history)
        #expect(marker(fixture) == "boot boot-2\n")
        await store.close()
        #expect(marker(fixture) == nil)
    }

    /// A failed fsync may have dropped pages the kernel had acknowledged writes in; a boot the
    /// store cannot tell, and a marker it cannot read, are taken for a restart too.
    @Test func aFailedLogAnUnknownBootOrAnUnreadableMarkerGiveANewHistory() async throws {
        var (fixture, fileSystem) = StoreFixture.faultInjecting(fsync: .everysec)
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let history = store.historyID
        let user = store.user(UserID())
        // The log's next fsync, whether its once-a-second one or the one asked for below.
        fileSystem.inject(.sync, errno: EIO)
        let committed = try await user.createTask(TaskDraft(title: "written, then its fsync failed"))
        _ = try await store.acknowledged(committed)
        await #expect(throws: StorageError.self) { try await store.wal.sync(through: committed.lsn) }
        await store.close()
        #expect(marker(fixture) == "boot unknown\n")

        store = try fixture.open()
        let afterFailure = store.historyID
        #expect(afterFailure != history)
        await store.close()

        fixture.bootID = nil
        _ = try await runThatDies(fixture, policy: .everysec, tasks: 1)
        store = try fixture.open()
        let afterUnknownBoot = store.historyID
        #expect(afterUnknownBoot != afterFailure)
        await store.close()

        fixture.bootID = "boot-1"
        try Data("boot".utf8).write(to: URL(fileURLWithPath: fixture.directory.file(UnsyncedRunMarker.fileName)))
        store = try fixture.open()
        #expect(store.historyID != afterUnknownBoot)
        await store.close()
    }
}

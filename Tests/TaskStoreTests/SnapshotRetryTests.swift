import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A snapshot that failed is tried again after a delay that doubles with each failure in a
/// row, not at the next 100 ms tick: a full disk or an exhausted descriptor table fails the
/// same way at once, and each try copies every user's state and logs an error.
@Suite struct SnapshotRetryTests {
    @Test func theDelayDoublesFromTheFirstUpToTheLongest() {
        let backoff = RetryBackoff(first: .seconds(1), longest: .seconds(60))
        #expect((1...8).map { backoff.delay(afterFailures: $0) } == [1, 2, 4, 8, 16, 32, 60, 60].map { .seconds($0) })
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(60))
        #expect(RetryBackoff(first: .seconds(5), longest: .seconds(1)).delay(afterFailures: 1) == .seconds(5), "never shorter than the first")
    }

    /// A snapshot that fails, in writing its file, syncing it or making it, leaves nothing
    /// behind: each failed try left its file until the next start.
    @Test(arguments: [FaultInjectingFileSystem.Operation.write, .sync, .create])
    func aFailedSnapshotLeavesNoFileBehind(failing operation: FaultInjectingFileSystem.Operation) async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<3 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)"))) }
        // The log is idle: the next write, fsync or file made is the snapshot's.
        fileSystem.inject(operation, errno: ENOSPC)
        await #expect(throws: StorageError.self) { try await store.snapshotNow() }
        #expect(!fixture.directory.names().contains { $0.hasPrefix("snapshot-") })
        #expect(try await store.snapshotNow()?.startLSN == 3)
        #expect(fixture.directory.names().filter { $0.hasPrefix("snapshot-") } == [DataFileName.snapshot(startLSN: 3)])
        await store.close()
    }

    @Test func failedSnapshotsAreTriedAgainAfterTheDelayAndThenPublished() async throws {
        var (fixture, fileSystem) = StoreFixture.faultInjecting()
        fixture.snapshotEvery = 10
        defer { fixture.directory.remove() }
        fixture.snapshotRetry = RetryBackoff(first: .milliseconds(200), longest: .milliseconds(400))
        let (logger, log) = RecordingLogHandler.logger()
        let store = try fixture.open(logger: logger)
        // The next three files created (snapshots; the WAL starts no segment here) fail.
        for _ in 0..<3 { fileSystem.inject(.create, errno: EMFILE) }
        let userID = UserID()
        // From before the writes: the first snapshot, and so its first failure, may come while
        // they go on (after the tenth), and a busy machine makes them take 100 ms or more.
        let started = ContinuousClock.now
        for index in 0..<20 { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)"))) }

        let deadline = ContinuousClock.now + .seconds(20)
        while fixture.snapshotNames().isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let published = ContinuousClock.now - started
        #expect(fixture.snapshotNames().count == 1)

        // A snapshot published starts the count again: the next failure waits the first delay.
        fileSystem.inject(.create, errno: EMFILE)
        for index in 20..<30 { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)"))) }
        while fixture.snapshotNames().count < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        await store.close()

        #expect(fixture.snapshotNames().count == 2)
        let failures = log.all.filter { $0.message.hasPrefix("snapshot failed") }
        #expect(failures.map { $0.metadata["failures_in_a_row"] } == ["1", "2", "3", "1"])
        #expect(failures.map { $0.metadata["retry_in"] } == ["0.2 seconds", "0.4 seconds", "0.4 seconds", "0.2 seconds"])
        // Tried at once, the three failures and the snapshot would take a few 100 ms ticks.
        #expect(published >= .milliseconds(950), "published after \(published), with 1 s of delays")
    }
}

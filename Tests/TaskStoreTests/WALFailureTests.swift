import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A failed write or fsync fails the WAL for good: every waiter fails, nothing more is
/// acknowledged, fsync is never retried on the file, and reads go on showing exactly what was
/// acknowledged, which is what a restart recovers.
@Suite struct WALFailureTests {
    @Test(arguments: [
        (FaultInjectingFileSystem.Operation.sync, EIO), (.sync, ENOSPC), (.write, ENOSPC), (.write, EIO),
    ])
    func aFailedWriteOrFsyncFailsEveryWaiterAndAcknowledgesNothing(operation: FaultInjectingFileSystem.Operation, code: Int32) async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let users = (0..<8).map { _ in UserID() }
        for userID in users {
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "kept")))
        }
        let acknowledgedBefore = store.wal.acknowledgedLSN
        let attemptsBefore = fileSystem.syncAttempts

        fileSystem.inject(operation, errno: code)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    do {
                        _ = try await store.acknowledged(await store.user(users[index % users.count]).createTask(TaskDraft(title: "lost \(index)")))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { !$0 }, "no write after the failure is acknowledged")
        #expect(store.wal.acknowledgedLSN == acknowledgedBefore)
        #expect(store.wal.failure != nil)

        // Later writes fail at once, and reads still work, showing only acknowledged tasks.
        await #expect(throws: StorageError.self) { try await store.user(users[0]).createTask(TaskDraft(title: "refused")) }
        for userID in users {
            let titles = try await store.acknowledged(await store.user(userID).read { $0.tasks.values.map(\.title) })
            #expect(titles == ["kept"])
        }
        // fsync is never retried once the log has failed (a failed fsync may have dropped
        // pages): the one failed attempt, or none when the write failed, and none at close.
        let attemptsAfterFailure = attemptsBefore + (operation == .sync ? 1 : 0)
        #expect(fileSystem.syncAttempts == attemptsAfterFailure)
        await store.close()
        #expect(fileSystem.syncAttempts == attemptsAfterFailure)

        // A crash now keeps only what was synced, and that is exactly what was acknowledged.
        fileSystem.simulatePowerLoss()
        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let recovered = try reopened.open()
        for userID in users {
            #expect(try await recovered.acknowledged(await recovered.user(userID).read { $0.tasks.values.map(\.title) }) == ["kept"])
        }
        await recovered.close()
    }

    @Test func rollingBackRestoresCategoriesCountsAndTheChangeFeed() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "a", categoryName: "Work"))).task
        let before = try await store.acknowledged(await user.read { $0 })

        fileSystem.inject(.sync, errno: EIO)
        // A patch that moves the task into a new category, then a category delete, in flight together.
        var patch = TaskPatch()
        patch.categoryName = .set("Home")
        patch.status = .set(.done)
        async let moved = store.acknowledged(await user.updateTask(task.id, patch))
        async let deleted = store.acknowledged(await user.deleteCategory(before.categories.values.first!.id))
        _ = try? await moved
        _ = try? await deleted

        // A read of one task, first after the failure, shows it as acknowledged.
        let one = try await store.acknowledged(await user.readTask(task.id))
        #expect(one == before.view(of: before.tasks[task.id]!))
        let after = try await store.acknowledged(await user.read { $0 })
        #expect(after == before)
        await store.close()
    }

    /// The accounts roll back as a user's state does: a registration, a login's token family
    /// and a rotation that the WAL never acknowledged are gone, as a restart would have them.
    @Test func rollingBackRestoresAccountsAndTokenFamilies() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let accounts = store.accounts
        let kept = try await store.acknowledged(await accounts.register(email: "kept@example.com", passwordHash: "h", fullName: nil))
        let issued = TokenDigest(words: (1, 2, 3, 4))
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: kept.id, digest: issued, expiresAt: Timestamp(milliseconds: 4_000_000_000_000)))
        let before = try await store.acknowledged(await accounts.read { $0 })

        fileSystem.inject(.sync, errno: EIO)
        async let registered = store.acknowledged(await accounts.register(email: "lost@example.com", passwordHash: "h", fullName: nil))
        async let rotated = store.acknowledged(
            await accounts.rotateRefreshToken(presented: issued, next: TokenDigest(words: (5, 6, 7, 8)), expiresAt: Timestamp(milliseconds: 4_000_000_000_001)))
        async let started = store.acknowledged(
            await accounts.startRefreshFamily(for: kept.id, digest: TokenDigest(words: (9, 9, 9, 9)), expiresAt: Timestamp(milliseconds: 4_000_000_000_002)))
        var acknowledged = 0
        do { _ = try await registered; acknowledged += 1 } catch {}
        do { _ = try await rotated; acknowledged += 1 } catch {}
        do { _ = try await started; acknowledged += 1 } catch {}
        #expect(acknowledged == 0)

        let after = try await store.acknowledged(await accounts.read { $0 })
        #expect(after == before)
        #expect(after.user(withEmail: "lost@example.com") == nil)
        await store.close()
    }

    /// What an account command finds when it is the first to run after the log failed.
    enum FirstAccountCommand: CaseIterable, Sendable {
        case read, registerAgain, revoke
    }

    /// Whichever account command comes first after a failure finds only what was acknowledged,
    /// as the rollback test's later reads do: a read does not find a lost registration, the
    /// same email registered again fails on storage (not as taken: the account never existed),
    /// and a token of a lost family is unknown, not a family to revoke.
    @Test(arguments: FirstAccountCommand.allCases)
    func theFirstAccountCommandAfterAFailureFindsOnlyWhatWasAcknowledged(_ command: FirstAccountCommand) async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let accounts = store.accounts
        let kept = try await store.acknowledged(await accounts.register(email: "kept@example.com", passwordHash: "h", fullName: nil))
        fileSystem.inject(.sync, errno: EIO)
        // One lost command only: any account command after it would take it back first.
        let lostDigest = TokenDigest(words: (9, 9, 9, 9))
        await #expect(throws: StorageError.self) {
            if command == .revoke {
                _ = try await store.acknowledged(
                    await accounts.startRefreshFamily(for: kept.id, digest: lostDigest, expiresAt: Timestamp(milliseconds: 4_000_000_000_000)))
            } else {
                _ = try await store.acknowledged(await accounts.register(email: "lost@example.com", passwordHash: "h", fullName: nil))
            }
        }

        switch command {
        case .read:
            #expect(await accounts.read { $0.user(withEmail: "lost@example.com") }.value == nil)
        case .registerAgain:
            await #expect(throws: StorageError.self) { _ = try await accounts.register(email: "lost@example.com", passwordHash: "h", fullName: nil) }
        case .revoke:
            #expect(try await accounts.revokeRefreshToken(presented: lostDigest).value == false)
        }
        await store.close()
    }

    /// Once the log has failed, the snapshotter tries no snapshot: none could be published (a
    /// snapshot waits for the log to be durable up to its LSN), and each try would copy every
    /// user, write a file and log an error, again at each retry, for as long as the process runs.
    @Test func aFailedLogStopsTheSnapshots() async throws {
        var (fixture, fileSystem) = StoreFixture.faultInjecting()
        fixture.snapshotEvery = 1
        defer { fixture.directory.remove() }
        fixture.snapshotRetry = RetryBackoff(first: .milliseconds(50), longest: .milliseconds(50))
        let (logger, log) = RecordingLogHandler.logger()
        let store = try fixture.open(logger: logger)
        fileSystem.inject(.sync, errno: EIO)
        await #expect(throws: StorageError.self) { try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "lost"))) }
        #expect(store.wal.failure != nil)
        try await Task.sleep(for: .milliseconds(600))
        await store.close()
        // One may have begun between the write's LSN and its failed fsync (a 100 ms tick can
        // fall there); retried at each 100 ms tick once 50 ms have passed, they would be about six.
        #expect(log.all.filter { $0.message.hasPrefix("snapshot failed") }.count <= 1)
        #expect(fixture.snapshotNames().isEmpty)
    }

    /// Creating the next segment can fail for a while and pass (no file descriptor free while
    /// clients hold them all): the log writes on in the current segment, past its size, and
    /// starts the next once it can; a file a failed create left behind is removed, so the log
    /// reads back whole.
    @Test func aSegmentThatCannotBeCreatedYetLeavesTheLogWritingInTheCurrentOne() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture(segmentSize: 2000)
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let (logger, log) = RecordingLogHandler.logger()
        let store = try fixture.open(logger: logger)
        let userID = UserID()
        for _ in 0..<3 { fileSystem.inject(.create, errno: EMFILE) }
        for index in 0..<60 {
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)")))
        }
        #expect(store.wal.failure == nil)
        await store.close()

        let first = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let firstFrames = try FrameMap(file: first).frames
        #expect(try POSIXFileSystem().fileSize(first) > 2000, "the first segment took the frames of the three failed attempts")
        #expect(fixture.segmentNames().count >= 3, "later segments were started")
        for attempt in firstFrames.suffix(3) {
            #expect(!fixture.directory.names().contains(DataFileName.segment(firstLSN: attempt.firstLSN)), "no empty segment left behind")
        }
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
        let warnings = log.all.filter { $0.level == .warning }
        #expect(warnings.map(\.message) == ["cannot start the next WAL segment; writing on in the current one, and trying again with each frame"])
        #expect(warnings.first?.metadata["error"]?.contains("Too many open files") == true)
        let notices = log.all.filter { $0.message == "started the next WAL segment after failed attempts" }
        #expect(notices.map { $0.metadata["failed_attempts"] } == ["3"], "once: the segments started after it had no failed attempts")

        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let recovered = try reopened.open()
        #expect(try await recovered.acknowledged(await recovered.user(userID).read { $0.tasks.count }) == 60)
        await recovered.close()
    }

    /// If the file a failed create left cannot be removed either, the log cannot go on in the
    /// current segment (the file would sit in the middle of the log): it fails, and the file,
    /// empty and named after the next LSN, is the log's clean end at the restart.
    @Test func aFileLeftByAFailedCreateThatCannotBeRemovedFailsTheLog() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture(segmentSize: 2000)
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        fileSystem.inject(.create, errno: EMFILE)
        fileSystem.inject(.remove, errno: EIO)
        var acknowledged = 0
        for index in 0..<60 {
            do {
                _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)")))
                acknowledged += 1
            } catch {
                #expect("\(error)".contains("unlink"), "\(error)")
                break
            }
        }
        #expect(store.wal.failure != nil)
        #expect(acknowledged > 0 && acknowledged < 60)
        await store.close()
        #expect(fixture.segmentNames().sorted().last == DataFileName.segment(firstLSN: LSN(acknowledged + 1)))

        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let recovered = try reopened.open()
        #expect(try await recovered.acknowledged(await recovered.user(user.userID).read { $0.tasks.count }) == acknowledged)
        await recovered.close()
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }
}

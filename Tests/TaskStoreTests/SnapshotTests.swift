import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct SnapshotTests {
    @Test func aDamagedNewestSnapshotFallsBackToTheOlderOneAndTheWAL() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 10, in: store)
        try await workload.run(commands: 300, streams: 4, seed: 21)
        try await store.snapshotNow()
        try await workload.run(commands: 300, streams: 4, seed: 22)
        try await store.snapshotNow()
        try await workload.run(commands: 100, streams: 4, seed: 23)
        let live = try await workload.states()
        await store.close()

        let snapshots = fixture.snapshotNames()
        #expect(snapshots.count == 2)
        let newest = fixture.directory.file(snapshots.last!)
        let size = try POSIXFileSystem().fileSize(newest)
        #expect(truncate(newest, off_t(size / 2)) == 0)

        let reopened = try fixture.open()
        #expect(try await RandomWorkload(store: reopened, userIDs: workload.userIDs).states().firstDifference(from: live) == nil)
        await reopened.close()
    }

    @Test func aSnapshotRoundTripsEveryKindOfState() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 5, in: store)
        try await workload.run(commands: 400, streams: 2, seed: 5)
        // Names that Swift's `lowercased()` folds otherwise than code point by code point (a
        // final sigma, a dotted capital I): the name index read back must be the one built live.
        for name in ["ΣΑΣ", "İstanbul"] { _ = try await store.acknowledged(await store.user(workload.userIDs[0]).createCategory(named: name)) }
        let live = try await workload.states()
        let path = fixture.directory.file("check.snap")
        let contents = SnapshotContents(startLSN: store.wal.lastAssignedLSN, accounts: live.accounts, users: Array(live.users.values))
        _ = try SnapshotFile.write(contents, to: path, fileSystem: POSIXFileSystem())
        let read = try SnapshotFile.read(path, fileSystem: POSIXFileSystem()).contents
        #expect(read.startLSN == contents.startLSN)
        #expect(read.accounts == live.accounts)
        #expect(Dictionary(uniqueKeysWithValues: read.users.map { ($0.userID, $0) }) == live.users)
        #expect(live.users.values.contains { !$0.tombstones.isEmpty && !$0.idempotencyRecords.isEmpty })
        await store.close()
    }

    /// The file header is outside every frame's checksum; its start LSN is checked against the
    /// one in the file's name. A bit flipped there once made recovery skip the WAL records
    /// after the snapshot up to the flipped value: acknowledged writes gone without a word.
    @Test func aSnapshotWhoseHeaderStartLSNDiffersFromItsNameIsPassedOver() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let user = store.user(UserID())
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "before")))
        let report = try #require(try await store.snapshotNow())
        for index in 0..<4 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "after \(index)"))) }
        await store.close()
        let path = fixture.directory.file(DataFileName.snapshot(startLSN: report.startLSN))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 8)
        try handle.write(contentsOf: withUnsafeBytes(of: (report.startLSN ^ 4).littleEndian) { Data($0) })
        try handle.close()

        let expected = StorageError.corruption(
            file: path, offset: 8, reason: "the header's start LSN \(report.startLSN ^ 4) is not the \(report.startLSN) in the file's name")
        #expect(throws: expected) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 0, "the log recovery reads instead is whole")
        #expect(verification.text.hasSuffix("\npassed over a damaged snapshot, as recovery does: \(expected)"), "\(verification.text)")
        let (logger, log) = RecordingLogHandler.logger()
        store = try fixture.open(logger: logger)
        #expect(await store.taskCount() == 5, "recovered from the WAL, every acknowledged write with it")
        await store.close()
        let skipped = try #require(log.all.first { $0.level == .error })
        #expect(skipped.message == "skipping a damaged snapshot; recovery reads an older one, or the whole log if there is none")
        #expect(skipped.metadata["file"] == path && skipped.metadata["error"] == "\(expected)")
    }

    @Test func aSnapshotOfANewerFormatIsRefusedNamingBothVersions() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "x")))
        let report = try #require(try await store.snapshotNow())
        await store.close()
        let path = fixture.directory.file(DataFileName.snapshot(startLSN: report.startLSN))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 4)
        try handle.write(contentsOf: Data([9, 0]))
        try handle.close()
        #expect(throws: StorageError.unsupportedFormat(file: path, found: 9, supported: 1)) { try fixture.open() }
    }

    /// The snapshotter deletes the segments that the oldest kept snapshot covers, and no more:
    /// if the newest is damaged, recovery reads the older one and every record after it. With
    /// a segment for every frame, one starts at each LSN, right after the older snapshot too.
    @Test func theLogKeepsEveryRecordTheOlderSnapshotNeeds() async throws {
        var fixture = StoreFixture()
        fixture.segmentSize = 1
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        func create(_ count: Int) async throws {
            for _ in 0..<count { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "t"))) }
        }
        try await create(3)
        #expect(try await store.snapshotNow()?.startLSN == 3)
        try await create(3)
        #expect(try await store.snapshotNow()?.startLSN == 6)
        try await create(1)
        await store.close()
        #expect(fixture.segmentNames().first == DataFileName.segment(firstLSN: 4), "LSN 4 on: what the snapshot at 3 needs")

        let newest = fixture.directory.file(DataFileName.snapshot(startLSN: 6))
        #expect(truncate(newest, off_t(try POSIXFileSystem().fileSize(newest) / 2)) == 0)
        let reopened = try fixture.open()
        #expect(try await reopened.acknowledged(await reopened.user(user.userID).read { $0.tasks.count }) == 7)
        await reopened.close()
    }

    /// With one snapshot, the log keeps every record from LSN 1: that snapshot may be the one
    /// damaged, and recovery then has only the log to read.
    @Test func aLoneSnapshotLeavesTheWholeLog() async throws {
        var fixture = StoreFixture()
        fixture.segmentSize = 1
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        for _ in 0..<4 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "t"))) }
        #expect(try await store.snapshotNow()?.startLSN == 4)
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "after")))
        await store.close()
        #expect(fixture.segmentNames().first == DataFileName.segment(firstLSN: 1))

        let snapshot = fixture.directory.file(DataFileName.snapshot(startLSN: 4))
        #expect(truncate(snapshot, off_t(try POSIXFileSystem().fileSize(snapshot) / 2)) == 0)
        let reopened = try fixture.open()
        #expect(try await reopened.acknowledged(await reopened.user(user.userID).read { $0.tasks.count }) == 5)
        await reopened.close()
    }

    /// Keeping no snapshot would make each one deleted as soon as it is written: a store
    /// configured to keep none keeps its newest, and starts from it.
    @Test func aStoreToldToKeepNoSnapshotKeepsItsNewest() async throws {
        var fixture = StoreFixture()
        fixture.snapshotsRetained = 0
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "t")))
        _ = try await store.snapshotNow()
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "u")))
        #expect(try await store.snapshotNow()?.startLSN == 2)
        await store.close()
        #expect(fixture.snapshotNames() == [DataFileName.snapshot(startLSN: 2)])
    }

    /// The snapshotter reads its start LSN before it copies the actors, so a state in the
    /// snapshot can hold events after it. Recovery replays the log from the start LSN on, and
    /// each state skips what it holds, its own last event included.
    @Test func statesThatHoldEventsAfterTheSnapshotsStartSkipExactlyThose() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let expiry = fixture.clock.now().adding(seconds: 86_400)
        let registered = try await store.acknowledged(await store.accounts.register(email: "a@example.com", passwordHash: "h", fullName: nil))  // 1
        let user = store.user(registered.id)
        _ = try await store.acknowledged(await store.accounts.startRefreshFamily(for: registered.id, digest: .repeating(1), expiresAt: expiry))  // 2
        _ = try await store.acknowledged(await store.accounts.rotateRefreshToken(presented: .repeating(1), next: .repeating(2), expiresAt: expiry))  // 3
        let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "a"))).task  // 4
        var patch = TaskPatch()
        patch.title = .set("b")
        _ = try await store.acknowledged(await user.updateTask(task.id, patch))  // 5
        _ = try await store.acknowledged(await store.accounts.rotateRefreshToken(presented: .repeating(2), next: .repeating(3), expiresAt: expiry))  // 6
        patch.title = .set("c")
        _ = try await store.acknowledged(await user.updateTask(task.id, patch))  // 7
        let live = (
            accounts: try await store.acknowledged(await store.accounts.read { $0 }), user: try await store.acknowledged(await user.read { $0 })
        )
        await store.close()

        // The states as of LSN 5 (the accounts' last event is 3, the user's 5), under a snapshot that starts at 2.
        var accounts = AccountsState()
        var state = UserState(userID: registered.id)
        var accountsUndo = UndoLog<AccountsUndoEntry>(recording: false)
        var userUndo = UndoLog<UserUndoEntry>(recording: false)
        _ = try WALReader(directory: fixture.directory.path, fileSystem: POSIXFileSystem()).scan { lsn, event in
            guard lsn <= 5 else { return }
            switch event {
            case .account(let event): accounts.apply(event, lsn: lsn, undo: &accountsUndo)
            case .user(_, let event): state.apply(event, lsn: lsn, undo: &userUndo)
            }
        }
        #expect(accounts.lastAppliedLSN == 3 && state.lastAppliedLSN == 5)
        _ = try SnapshotFile.write(
            SnapshotContents(startLSN: 2, accounts: accounts, users: [state]), to: fixture.directory.file(DataFileName.snapshot(startLSN: 2)),
            fileSystem: POSIXFileSystem())

        let reopened = try fixture.open()
        #expect(try await reopened.acknowledged(await reopened.accounts.read { $0 }) == live.accounts)
        #expect(try await reopened.acknowledged(await reopened.user(registered.id).read { $0 }) == live.user)
        await reopened.close()
    }
}

@Suite struct FormatVersionTests {
    /// A frame written by a newer taskd (valid checksum, format version 2) stops the start with
    /// a message naming both versions, rather than being taken for damage.
    @Test func aWALFrameOfANewerFormatIsRefusedNamingBothVersions() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "x")))
        await store.close()
        let path = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        try FrameRewriter.rewrite(path, frameAt: 0) { header, _ in header.formatVersion = 2 }
        #expect(throws: StorageError.unsupportedFormat(file: path, found: 2, supported: 1)) { try fixture.open() }
        #expect(StorageError.unsupportedFormat(file: path, found: 2, supported: 1).description.contains("reads up to version 1"))
    }
}

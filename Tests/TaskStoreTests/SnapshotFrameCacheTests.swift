import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A snapshot copies the frames of a large user that has not changed since the last one, and
/// encodes every other user again.
@Suite struct SnapshotFrameCacheTests {
    /// Two large users (frames of their own) and a small one (shared frames), each with tasks.
    private static func populated(_ store: TaskStore) async throws -> RandomWorkload {
        let workload = try await RandomWorkload.registering(users: 3, in: store)
        for (index, id) in workload.userIDs.enumerated() {
            let count = index < 2 ? SnapshotFrameCache.minimumTasks : 3
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<count {
                    group.addTask {
                        _ = try await store.acknowledged(await store.user(id).createTask(TaskDraft(title: "task \(number) of user \(index)")))
                    }
                }
                try await group.waitForAll()
            }
        }
        return workload
    }

    private static func contents(_ states: StoreStates, order: [UserID], startLSN: LSN) -> SnapshotContents {
        SnapshotContents(startLSN: startLSN, accounts: states.accounts, users: order.map { states.users[$0]! })
    }

    /// Opens the store again and expects recovery (snapshot, then WAL) to give back `live`.
    private static func expectRecovery(_ fixture: StoreFixture, of userIDs: [UserID], toGive live: StoreStates) async throws {
        let reopened = try fixture.open()
        #expect(try await RandomWorkload(store: reopened, userIDs: userIDs).states().firstDifference(from: live) == nil)
        await reopened.close()
    }

    private static func readStates(_ path: String) throws -> StoreStates {
        let read = try SnapshotFile.read(path, fileSystem: POSIXFileSystem()).contents
        var users: [UserID: UserState] = [:]
        for user in read.users { #expect(users.updateValue(user, forKey: user.userID) == nil, "user \(user.userID) is in \(path) twice") }
        return StoreStates(accounts: read.accounts, users: users)
    }

    /// For users of one chunk, whose frames are copied only whole.
    private static func anyContents(_ frame: Int) -> SnapshotFile.FrameContents { SnapshotFile.FrameContents(tasks: 0, records: 0) }

    @Test func aLargeUserThatDidNotChangeIsCopiedAndOneThatDidIsEncodedAgain() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await Self.populated(store)
        let (large, changed, small) = (workload.userIDs[0], workload.userIDs[1], workload.userIDs[2])

        // The small user first, so its records are pending when the first large user starts.
        let firstPath = fixture.directory.file("first.snap")
        let firstStates = try await workload.states()
        let first = try SnapshotFile.write(
            Self.contents(firstStates, order: [small, large, changed], startLSN: store.wal.lastAssignedLSN), to: firstPath,
            fileSystem: POSIXFileSystem())
        #expect(first.copiedUsers == 0)
        #expect(first.frames.userCount == 2)
        #expect(try Self.readStates(firstPath).firstDifference(from: firstStates) == nil)

        let someTask = try #require(firstStates.users[changed]?.tasks.values.first)
        var patch = TaskPatch()
        patch.title = .set("renamed after the first snapshot")
        _ = try await store.acknowledged(await store.user(changed).updateTask(someTask.id, patch))
        _ = try await store.acknowledged(await store.user(small).createTask(TaskDraft(title: "small change")))
        let live = try await workload.states()

        // Another order: copied frames are numbered for where they land.
        let secondPath = fixture.directory.file("second.snap")
        let second = try SnapshotFile.write(
            Self.contents(live, order: [changed, small, large], startLSN: store.wal.lastAssignedLSN), to: secondPath,
            fileSystem: POSIXFileSystem(), reusing: first.frames)
        #expect(second.copiedUsers == 1)
        let secondRead = try Self.readStates(secondPath)
        #expect(secondRead.firstDifference(from: live) == nil)
        #expect(secondRead.users[changed]?.tasks[someTask.id]?.title == "renamed after the first snapshot")

        let thirdPath = fixture.directory.file("third.snap")
        let third = try SnapshotFile.write(
            Self.contents(live, order: [large, changed, small], startLSN: store.wal.lastAssignedLSN), to: thirdPath,
            fileSystem: POSIXFileSystem(), reusing: second.frames)
        #expect(third.copiedUsers == 2)
        #expect(try Self.readStates(thirdPath).firstDifference(from: live) == nil)
        await store.close()
    }

    @Test func theStoreCopiesIdleUsersAndRecoversWhatChangedBetweenSnapshots() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await Self.populated(store)
        let first = try #require(try await store.snapshotNow())
        #expect(first.copiedUsers == 0)

        _ = try await store.acknowledged(await store.user(workload.userIDs[1]).createTask(TaskDraft(title: "after the first snapshot")))
        let second = try #require(try await store.snapshotNow())
        #expect(second.copiedUsers == 1)
        #expect(second.tasks == 2 * SnapshotFrameCache.minimumTasks + 4)
        let live = try await workload.states()
        await store.close()

        // Recovery starts from the second snapshot; the WAL after it holds nothing.
        try await Self.expectRecovery(fixture, of: workload.userIDs, toGive: live)
    }

    /// After a restart the loaded snapshot's frames are there to copy, for users the WAL
    /// replayed nothing for; a user changed after that snapshot is encoded again.
    @Test func afterARestartTheLoadedSnapshotsFramesAreCopied() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await Self.populated(store)
        _ = try #require(try await store.snapshotNow())
        _ = try await store.acknowledged(await store.user(workload.userIDs[1]).createTask(TaskDraft(title: "after the snapshot")))
        await store.close()

        let reopened = try fixture.open()
        _ = try await reopened.acknowledged(await reopened.user(workload.userIDs[2]).createTask(TaskDraft(title: "after the restart")))
        let next = try #require(try await reopened.snapshotNow())
        #expect(next.copiedUsers == 1)
        let live = try await RandomWorkload(store: reopened, userIDs: workload.userIDs).states()
        await reopened.close()

        try await Self.expectRecovery(fixture, of: workload.userIDs, toGive: live)
    }

    /// In a snapshot written before users had frames of their own (or any other), a user owns
    /// its frames only if its header opens one and the next header, or the end, opens the next.
    private static func user(tasks: Int) -> UserState {
        var state = UserState(userID: UserID())
        var undo = UndoLog<UserUndoEntry>(recording: false)
        for index in 0..<tasks {
            for event in state.createTask(TaskDraft(title: "t\(index)"), idempotencyKey: nil, decided: DecidedValues(now: Timestamp(milliseconds: 1))) {
                state.apply(event, lsn: state.lastAppliedLSN + 1, undo: &undo)
            }
        }
        return state
    }

    @Test func aReadSnapshotGivesFramesOnlyForUsersThatFillThemAlone() throws {
        let large = SnapshotFrameCache.minimumTasks
        // Frames 0-1: user 0 (opens frame 0); frame 2 opens with user 1, whose records run on
        // into frame 3, where user 2 starts mid-frame; user 3 opens frame 4 and ends at the end frame (6).
        let users = [Self.user(tasks: large), Self.user(tasks: large), Self.user(tasks: large), Self.user(tasks: large)]
        let starts: [(block: Int, opensFrame: Bool)] = [(0, true), (2, true), (3, false), (4, true)]
        let cache = SnapshotFile.framesOfTheirOwn(users: users, starts: starts, endBlock: 6, snapshotPath: "s", frame: { ($0 * 10)..<($0 * 10 + 10) }, contents: Self.anyContents)
        #expect(cache.userCount == 2)
        #expect(cache.frames(of: users[0]) == 0..<20)
        #expect(cache.frames(of: users[1]) == nil, "its last frame holds the start of user 2")
        #expect(cache.frames(of: users[2]) == nil, "its header is not the first record of its frame")
        #expect(cache.frames(of: users[3]) == 40..<60)
        #expect(SnapshotFile.framesOfTheirOwn(users: [Self.user(tasks: large - 1)], starts: [(0, true)], endBlock: 1, snapshotPath: "s", frame: { _ in 0..<1 }, contents: Self.anyContents).userCount == 0)
    }

    /// A chunk's frame is copied only where the frames are one a chunk: the first holds the
    /// header and exactly the first 512 tasks, each between holds 512 tasks and nothing else.
    /// Frames cut another way (by another build, say) would give a chunk's frame other tasks.
    @Test func chunkFramesAreFoundOnlyWhereTheFramesAreOneAChunk() {
        let user = Self.user(tasks: 2 * TaskRecords.chunkCapacity + 6)
        let full = TaskRecords.chunkCapacity
        func cache(_ contents: [SnapshotFile.FrameContents]) -> SnapshotFrameCache {
            SnapshotFile.framesOfTheirOwn(
                users: [user], starts: [(0, true)], endBlock: 3, snapshotPath: "s", frame: { ($0 * 10)..<($0 * 10 + 10) }, contents: { contents[$0] })
        }
        let aligned = [SnapshotFile.FrameContents(tasks: full, records: full + 1), .init(tasks: full, records: full), .init(tasks: 6, records: 6)]
        #expect(cache(aligned).frame(ofChunk: 1, of: user) == 10..<20)
        #expect(cache(aligned).frames(of: user) == 0..<30)
        let shifted = [SnapshotFile.FrameContents(tasks: full - 1, records: full), .init(tasks: full, records: full), .init(tasks: 7, records: 7)]
        #expect(cache(shifted).frame(ofChunk: 1, of: user) == nil, "the first frame ends a task early")
        let mixed = [SnapshotFile.FrameContents(tasks: full, records: full + 1), .init(tasks: full, records: full + 1), .init(tasks: 6, records: 6)]
        #expect(cache(mixed).frame(ofChunk: 1, of: user) == nil, "the middle frame holds a record that is not a task")
        #expect(cache(mixed).frames(of: user) == 0..<30, "the user's frames as a whole are still its own")
    }

    /// Frames are read back from the previous snapshot and checked before they are copied: if
    /// that file was damaged, is gone or was cut short, its users are encoded again and nothing
    /// bad spreads.
    @Test func framesThatCannotBeReadBackIntactAreEncodedAgain() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (logger, log) = RecordingLogHandler.logger()
        let store = try TaskStore(configuration: fixture.configuration, logger: logger)
        func warnings() -> [String] {
            log.all.filter { $0.level == .warning && $0.message.contains("could not be read back intact") }.map { $0.metadata["first"] ?? "" }
        }
        let workload = try await Self.populated(store)
        let first = try #require(try await store.snapshotNow())
        let firstPath = fixture.directory.file(DataFileName.snapshot(startLSN: first.startLSN))
        // One flipped byte in the payload of every frame but the end frame.
        var bytes = try POSIXFileSystem().readFile(firstPath)
        for frame in try FrameMap(file: firstPath, headerSize: SnapshotFile.headerSize).frames.dropLast() { bytes[frame.offset + FrameHeader.size] ^= 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: firstPath))

        _ = try await store.acknowledged(await store.user(workload.userIDs[2]).createTask(TaskDraft(title: "after the first snapshot")))
        let second = try #require(try await store.snapshotNow())
        #expect(second.copiedUsers == 0, "the damaged frames were not copied")
        #expect(warnings().count == 1 && warnings()[0].hasPrefix("\(firstPath) at byte offset ") && warnings()[0].hasSuffix("checksum mismatch"))
        let secondPath = fixture.directory.file(DataFileName.snapshot(startLSN: second.startLSN))
        #expect(try SnapshotFile.read(secondPath, fileSystem: POSIXFileSystem()).contents.users.count == 3)

        try POSIXFileSystem().remove(secondPath)
        _ = try await store.acknowledged(await store.user(workload.userIDs[2]).createTask(TaskDraft(title: "after the second")))
        #expect(try #require(try await store.snapshotNow()).copiedUsers == 0, "the frames' file is gone")
        #expect(warnings().count == 2 && warnings()[1].contains(secondPath) && warnings()[1].contains("No such file"))

        let third = try #require(await store.lastSnapshot)
        let thirdPath = fixture.directory.file(DataFileName.snapshot(startLSN: third.startLSN))
        try POSIXFileSystem().truncate(thirdPath, to: SnapshotFile.headerSize)
        _ = try await store.acknowledged(await store.user(workload.userIDs[2]).createTask(TaskDraft(title: "after the third")))
        #expect(try #require(try await store.snapshotNow()).copiedUsers == 0, "the frames' file was cut short")
        #expect(warnings().count == 3 && warnings()[2].hasPrefix("\(thirdPath) holds 0 of the ") && warnings()[2].hasSuffix("shorter than when it was written"))
        let live = try await workload.states()
        await store.close()

        try await Self.expectRecovery(fixture, of: workload.userIDs, toGive: live)
    }

    /// A snapshot that fails leaves the cache of the last published one, which stays right.
    @Test func aFailedSnapshotLeavesTheLastPublishedFramesToCopy() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await Self.populated(store)
        _ = try #require(try await store.snapshotNow())

        _ = try await store.acknowledged(await store.user(workload.userIDs[1]).createTask(TaskDraft(title: "before the failed snapshot")))
        fileSystem.inject(.sync, errno: EIO)
        await #expect(throws: StorageError.self) { try await store.snapshotNow() }

        let after = try #require(try await store.snapshotNow())
        #expect(after.copiedUsers == 1)
        let live = try await workload.states()
        await store.close()
        try await Self.expectRecovery(fixture, of: workload.userIDs, toGive: live)
    }
}

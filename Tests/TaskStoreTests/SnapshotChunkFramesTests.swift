import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Of a large user that changed, a snapshot copies the frames of the chunks of 512 tasks that
/// did not change (their stamps, the LSN of the last event that changed them, have not moved),
/// and encodes the others again; whatever it copies, the snapshot reads back as the state.
@Suite struct SnapshotChunkFramesTests {
    private static let chunk = TaskRecords.chunkCapacity

    /// A user state changed only through events, as an actor changes it: each command's
    /// events are applied under the next LSNs.
    private struct LiveUser {
        var state = UserState(userID: UserID())
        private var now: Int64 = 1_000

        mutating func apply(_ events: [UserEvent]) {
            var undo = UndoLog<UserUndoEntry>(recording: false)
            for event in events { state.apply(event, lsn: state.lastAppliedLSN + 1, undo: &undo) }
        }

        private mutating func decided() -> DecidedValues {
            now += 1
            return DecidedValues(now: Timestamp(milliseconds: now))
        }

        mutating func create(_ count: Int, category: String? = nil) {
            for number in 0..<count {
                let decided = decided()
                apply(state.createTask(TaskDraft(title: "task \(state.tasks.count) #\(number)", categoryName: category), idempotencyKey: nil, decided: decided))
            }
        }

        mutating func update(at position: Int, title: String) throws {
            var patch = TaskPatch()
            patch.title = .set(title)
            let decided = decided()
            apply(try state.updateTask(state.tasks.values[position].id, patch, ifVersion: nil, decided: decided))
        }

        mutating func delete(at position: Int) throws {
            let decided = decided()
            apply(try state.deleteTask(state.tasks.values[position].id, ifVersion: nil, decided: decided))
        }
    }

    /// Snapshot files in a directory of their own, each checked as it is written.
    private struct Snapshots {
        let directory = TemporaryDirectory()
        private var written = 0

        /// Writes a snapshot of `user` (after a small user sharing frames, so its frames are
        /// numbered from elsewhere than 0), reusing `previous`, and expects it to read back as `user`.
        mutating func write(_ user: UserState, reusing previous: SnapshotFrameCache = SnapshotFrameCache()) throws -> (
            written: SnapshotFile.Written, read: (contents: SnapshotContents, frames: SnapshotFrameCache)
        ) {
            written += 1
            var small = LiveUser()
            small.create(3)
            let path = directory.file("\(written).snap")
            var result = try SnapshotFile.write(
                SnapshotContents(startLSN: user.lastAppliedLSN, accounts: AccountsState(), users: [small.state, user]), to: path,
                fileSystem: POSIXFileSystem(), reusing: previous)
            result.frames.snapshotPath = path
            let read = try SnapshotFile.read(path, fileSystem: POSIXFileSystem())
            #expect(read.contents.users.count == 2)
            #expect(read.contents.users.last == user, "snapshot \(written) does not read back as the state it was written from")
            return (result, read)
        }
    }

    @Test func onlyTheChunksThatChangedAreEncodedAgain() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(4 * Self.chunk + 52)  // five chunks: 0 with the header, 1 - 3 of their own, 4 with the rest
        let first = try snapshots.write(user.state)
        #expect(first.written.copiedChunks == 0 && first.written.copiedUsers == 0)
        #expect(first.written.frames.chunkFrames(of: user.state).compactMap { $0 }.count == 3)

        try user.update(at: 2 * Self.chunk + 7, title: "changed in chunk 2")
        user.create(1)  // into chunk 4
        let second = try snapshots.write(user.state, reusing: first.written.frames)
        #expect(second.written.copiedChunks == 2, "chunks 1 and 3")

        // The last task moves into the deleted one's place: chunks 1 and 4 change.
        try user.delete(at: Self.chunk + 100)
        let third = try snapshots.write(user.state, reusing: second.written.frames)
        #expect(third.written.copiedChunks == 2, "chunk 2 (encoded again last time) and 3")

        let fourth = try snapshots.write(user.state, reusing: third.written.frames)
        #expect(fourth.written.copiedUsers == 1, "nothing changed: the user is copied whole")
        let fifth = try snapshots.write(user.state, reusing: fourth.written.frames)
        #expect(fifth.written.copiedUsers == 1, "and its chunks' frames moved with it")
        try user.update(at: 3 * Self.chunk, title: "changed in chunk 3")
        let sixth = try snapshots.write(user.state, reusing: fifth.written.frames)
        #expect(sixth.written.copiedChunks == 2, "chunks 1 and 2, found where the copied user put them")
    }

    /// Users of one chunk to four, at the edges: one chunk is a frame alone; of two, the last
    /// chunk shares the header's frame with nothing but its own with what follows the tasks;
    /// from three, chunks between have frames of their own. Each reads back whole, written
    /// anew and with its unchanged chunks copied.
    @Test(arguments: [64, 511, 512, 513, 1024, 1025, 1536, 1537, 2048])
    func aUserOfAnyNumberOfChunksReadsBackWhole(tasks: Int) throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(tasks)
        let first = try snapshots.write(user.state)
        try user.update(at: tasks - 1, title: "changed in the last chunk")
        _ = try snapshots.write(user.state, reusing: first.written.frames)
    }

    /// The frames a read snapshot gives are those of the state it loads (stamped with that
    /// state's LSN), so a restart copies them as the process before it would have.
    @Test func aReadSnapshotGivesTheFramesOfItsChunks() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(3 * Self.chunk + 1)
        let first = try snapshots.write(user.state)
        var loaded = LiveUser()
        loaded.state = try #require(first.read.contents.users.last)
        #expect(first.read.frames.chunkFrames(of: loaded.state) == first.written.frames.chunkFrames(of: user.state).map { frame in
            frame.map { SnapshotFrameCache.ChunkFrame(stamp: loaded.state.lastAppliedLSN, bytes: $0.bytes) }
        })

        try loaded.update(at: 5, title: "changed after the restart")
        let second = try snapshots.write(loaded.state, reusing: first.read.frames)
        #expect(second.written.copiedChunks == 2)
    }

    /// Random creates, updates and deletes over a user of several chunks, a snapshot after
    /// each round reusing the one before, and now and then a restart from what was read back.
    @Test func randomChangesAlwaysReadBackAsTheState() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var random = SeededGenerator(seed: 20_261_127)
        var user = LiveUser()
        user.create(3 * Self.chunk + 300, category: "work")
        var previous = try snapshots.write(user.state).written.frames
        var copied = 0
        for round in 0..<16 {
            for _ in 0..<Int.random(in: 0..<6, using: &random) {
                switch Int.random(in: 0..<4, using: &random) {
                case 0: user.create(Int.random(in: 1..<600, using: &random))
                case 1: try user.delete(at: Int.random(in: 0..<user.state.tasks.count, using: &random))
                default: try user.update(at: Int.random(in: 0..<user.state.tasks.count, using: &random), title: "round \(round)")
                }
            }
            let next = try snapshots.write(user.state, reusing: previous)
            copied += next.written.copiedChunks
            if round % 5 == 4 {
                user.state = try #require(next.read.contents.users.last)
                previous = next.read.frames
            } else {
                previous = next.written.frames
            }
        }
        #expect(copied > 0)
    }

    /// A rollback's change names no event: the chunks it touched are encoded again.
    @Test func aChunkARollbackChangedIsNotCopied() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(3 * Self.chunk)
        let first = try snapshots.write(user.state)
        user.create(1)  // acknowledged: the user is not as the first snapshot has it
        let acknowledged = user.state.lastAppliedLSN
        var undo = UndoLog<UserUndoEntry>(recording: true)
        var patch = TaskPatch()
        patch.title = .set("never acknowledged")
        let decided = DecidedValues(now: Timestamp(milliseconds: 99_999))
        for event in try user.state.updateTask(user.state.tasks.values[Self.chunk + 1].id, patch, ifVersion: nil, decided: decided) {
            user.state.apply(event, lsn: user.state.lastAppliedLSN + 1, undo: &undo)
        }
        user.state.rollBack(undo.takeEntries(after: acknowledged))
        #expect(user.state.lastAppliedLSN == acknowledged)
        #expect(user.state.tasks.values.stamp(ofChunk: 1) == TaskRecords.unstamped)
        #expect(first.written.frames.frame(ofChunk: 1, of: user.state) == nil)
        let second = try snapshots.write(user.state, reusing: first.written.frames)
        #expect(second.written.copiedChunks == 0)
        #expect(second.written.frames.chunkFrames(of: user.state)[1] == nil, "nor kept to copy next time")
    }

    /// Frames that cannot be read back intact are encoded again, and the reason is told.
    @Test func damagedChunkFramesAreEncodedAgain() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(4 * Self.chunk + 1)
        let first = try snapshots.write(user.state)
        let damaged = try #require(first.written.frames.chunkFrames(of: user.state)[2])
        let path = try #require(first.written.frames.snapshotPath)
        var bytes = try POSIXFileSystem().readFile(path)
        bytes[damaged.bytes.lowerBound + FrameHeader.size] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        user.create(1)
        let second = try snapshots.write(user.state, reusing: first.written.frames)
        #expect(second.written.copiedChunks == 0, "chunks 1 - 3 are one read, and it failed")
        #expect(second.written.unreadableUsers == 1)
        #expect(second.written.firstUnreadableReason?.hasSuffix("checksum mismatch") == true)
    }

    /// A chunk's recorded frames that turn out to be more than one frame (a cache that does not
    /// describe its file) are encoded again, not copied, and the reason says what was found.
    @Test func aChunkWhoseRecordedBytesHoldSeveralFramesIsEncodedAgain() throws {
        var snapshots = Snapshots()
        defer { snapshots.directory.remove() }
        var user = LiveUser()
        user.create(4 * Self.chunk + 1)  // chunks 1, 2 and 3 have frames of their own
        let first = try snapshots.write(user.state)
        var frames = first.written.frames.chunkFrames(of: user.state)
        let (one, two) = (try #require(frames[1]), try #require(frames[2]))
        frames[1] = SnapshotFrameCache.ChunkFrame(stamp: one.stamp, bytes: one.bytes.lowerBound..<two.bytes.upperBound)
        frames[2] = nil
        var misleading = SnapshotFrameCache(snapshotPath: first.written.frames.snapshotPath)
        misleading.store(try #require(first.written.frames.frames(of: user.state)), chunks: frames, of: user.state)

        user.create(1)
        let second = try snapshots.write(user.state, reusing: misleading)
        #expect(second.written.copiedChunks == 1, "chunk 3 only")
        #expect(second.written.unreadableUsers == 1)
        #expect(second.written.firstUnreadableReason?.contains("holds 2 frames at offsets \(one.bytes.lowerBound)..<\(two.bytes.upperBound)") == true)
    }

    /// Through the store: its snapshots copy unchanged chunks, and so does the first one after
    /// a restart, from the snapshot recovery loaded; recovery gives back the live state.
    @Test func theStoreCopiesUnchangedChunksAcrossARestart() async throws {
        var fixture = StoreFixture()
        fixture.fsync = .never
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 1, in: store)
        let userID = workload.userIDs[0]
        func create(_ count: Int, in store: TaskStore) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<count {
                    group.addTask { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(number)"))) }
                }
                try await group.waitForAll()
            }
        }
        try await create(3 * Self.chunk + 64, in: store)  // chunks 1 and 2 have frames of their own
        #expect(try #require(try await store.snapshotNow()).copiedChunks == 0)
        try await create(1, in: store)
        #expect(try #require(try await store.snapshotNow()).copiedChunks == 2)
        try await create(1, in: store)
        await store.close()

        let reopened = try fixture.open()
        try await create(1, in: reopened)
        let afterRestart = try #require(try await reopened.snapshotNow())
        #expect(afterRestart.copiedChunks == 2, "the loaded snapshot's chunks, which the WAL's two creates left alone")
        let live = try await RandomWorkload(store: reopened, userIDs: workload.userIDs).states()
        await reopened.close()

        let recovered = try fixture.open()
        #expect(try await RandomWorkload(store: recovered, userIDs: workload.userIDs).states().firstDifference(from: live) == nil)
        await recovered.close()
    }
}

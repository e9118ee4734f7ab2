import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A crash mid-write leaves part of the last frame on disk. Wherever the cut falls, recovery
/// must give exactly the state before that frame, and go on appending after it.
@Suite struct TornTailTests {
    @Test func aLastFrameTornAtEveryByteRecoversToThePrefixBeforeIt() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 3, in: store)
        try await workload.run(commands: 40, streams: 1, seed: 7)
        let before = try await workload.states()
        // The last frame: one more task, in a frame of its own.
        _ = try await store.acknowledged(await store.user(workload.userIDs[0]).createTask(TaskDraft(title: "The last one", categoryName: "Torn")))
        await store.close()

        let segment = fixture.directory.file(try #require(fixture.segmentNames().last))
        let last = try #require(try FrameMap(file: segment).frames.last)
        #expect(last.recordCount == 2, "the category and the task, in one frame")
        var cuts = 0
        for cut in last.offset..<last.end {
            let copy = fixture.directory.copy()
            defer { copy.remove() }
            #expect(truncate(copy.file(URL(fileURLWithPath: segment).lastPathComponent), off_t(cut)) == 0)
            var reopened = fixture
            reopened.directory = copy
            let recovered = try reopened.open()
            let states = try await RandomWorkload(store: recovered, userIDs: workload.userIDs).states()
            #expect(states.firstDifference(from: before) == nil, "cut at byte \(cut)")
            await recovered.close()
            cuts += 1
        }
        #expect(cuts == last.end - last.offset)
    }

    /// Under `never` (and `everysec`) frames follow each other before any fsync, and a power cut
    /// can keep a later one and lose one before it: a disk writes its cache back in any order.
    /// Each frame says how many records before it were not yet synced when it was written, so
    /// such a hole is a torn write (every frame after it was written while it was in the page
    /// cache), and recovery cuts the log there instead of refusing to start. Under `always`
    /// each frame was synced before the next was written: the same hole is corruption.
    @Test(arguments: [(FsyncPolicy.never, true), (.always, false)])
    func aHoleIsATornWriteOnlyWhenEveryFrameAfterItWasWrittenBeforeItWasSynced(policy: FsyncPolicy, torn: Bool) async throws {
        let (fixture, userID, history, segment, frames) = try await fiveFramesWithTheThirdLost(under: policy)
        defer { fixture.directory.remove() }
        var store: TaskStore
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == (torn ? 1 : 2))
        #expect(verification.text.contains("the 2 frames after it (2 records) were written before it was synced") == torn, "\(verification.text)")
        guard torn else {
            #expect(throws: StorageError.corruption(file: segment, offset: frames[2].offset, reason: "no frame magic")) { try fixture.open() }
            return
        }
        let damaged = try Data(contentsOf: URL(fileURLWithPath: segment))
        store = try fixture.open()
        #expect(await store.taskCount() == 2, "the log is cut at the hole: the frames after it go with it")
        #expect(try POSIXFileSystem().fileSize(segment) == frames[2].offset)
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment + ".broken")) == damaged, "the segment as it was, frames after the hole and all, is kept aside")
        #expect(store.historyID != history, "the change-feed positions of the frames cut will be handed out again: cursors from before get 410")
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after the cut")))
        await store.close()
        store = try fixture.open()
        #expect(await store.taskCount() == 3)
        await store.close()
    }

    /// When the copy of the segment cannot be made (no room for a new file) or fails half
    /// written (the disk fills), the start fails naming it and cuts nothing: the frames after
    /// the hole are still there for the next start, or for `wal repair`. A half-written copy is
    /// removed, so the next start keeps its copy at `<name>.broken`, not `.broken.2` beside it.
    @Test(arguments: [(FaultInjectingFileSystem.Operation.create, "open"), (.write, "write")])
    func aStartThatCannotKeepTheSegmentAsideCutsNothing(failing operation: FaultInjectingFileSystem.Operation, named: String) async throws {
        var (fixture, _, _, segment, frames) = try await fiveFramesWithTheThirdLost(under: .never)
        defer { fixture.directory.remove() }
        let damaged = try Data(contentsOf: URL(fileURLWithPath: segment))
        let fileSystem = FaultInjectingFileSystem()
        fileSystem.inject(operation, errno: ENOSPC)
        fixture.fileSystem = fileSystem
        #expect(throws: StorageError.io(operation: named, path: segment + ".broken", errno: ENOSPC)) { try fixture.open() }
        #expect(!FileManager.default.fileExists(atPath: segment + ".broken"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment)) == damaged)

        let store = try fixture.open()
        #expect(await store.taskCount() == 2)
        #expect(try POSIXFileSystem().fileSize(segment) == frames[2].offset)
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment + ".broken")) == damaged)
        #expect(!FileManager.default.fileExists(atPath: segment + ".broken.2"))
        await store.close()
    }

    /// The copy a start keeps before it cuts valid frames is in the directory for good before
    /// the cut, as `wal repair`'s is: a power cut the moment the cut is done leaves both.
    @Test func aPowerCutTheMomentAStartCutsKeepsTheCopy() async throws {
        var (fixture, _, _, segment, frames) = try await fiveFramesWithTheThirdLost(under: .never)
        defer { fixture.directory.remove() }
        let damaged = try Data(contentsOf: URL(fileURLWithPath: segment))
        let fileSystem = FaultInjectingFileSystem()
        fixture.fileSystem = fileSystem
        fileSystem.cutPowerAfterTruncating()
        #expect(throws: StorageError.self) { try fixture.open() }
        fileSystem.simulatePowerLoss()
        #expect(try POSIXFileSystem().fileSize(segment) == frames[2].offset, "the cut was made")
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment + ".broken")) == damaged)
    }

    /// Five tasks of one user under `policy`, a frame each, then the third frame's bytes zeroed:
    /// they never reached the disk, and the two after it did.
    private func fiveFramesWithTheThirdLost(
        under policy: FsyncPolicy
    ) async throws -> (StoreFixture, UserID, history: String, segment: String, frames: [FrameMap.Frame]) {
        var fixture = StoreFixture()
        fixture.fsync = policy
        let store = try fixture.open()
        let history = store.historyID
        let userID = UserID()
        for index in 0..<5 { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)"))) }
        await store.close()
        let segment = fixture.directory.file(try #require(fixture.segmentNames().last))
        let frames = try FrameMap(file: segment).frames
        try #require(frames.count == 5)
        #expect(frames.map(\.header.unsyncedRecordsBefore) == (policy == .never ? [0, 1, 2, 3, 4] : [0, 0, 0, 0, 0]))
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: UInt64(frames[2].offset))
        try handle.write(contentsOf: Data(count: frames[2].end - frames[2].offset))
        try handle.close()
        return (fixture, userID, history, segment, frames)
    }

    @Test func afterCuttingATornTailNewWritesAppendAndSurvive() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let userID = UserID()
        for index in 0..<5 {
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)")))
        }
        await store.close()
        let segment = fixture.directory.file(try #require(fixture.segmentNames().last))
        let last = try #require(try FrameMap(file: segment).frames.last)
        // Half the last frame, then zeros, as a file system may leave after a crash.
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        try handle.truncate(atOffset: UInt64(last.offset + (last.end - last.offset) / 2))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0, count: 4096))
        try handle.close()

        store = try fixture.open()
        #expect(try await store.acknowledged(await store.user(userID).read { $0.tasks.count }) == 4)
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after the repair")))
        await store.close()

        store = try fixture.open()
        let titles = try await store.acknowledged(await store.user(userID).read { Set($0.tasks.values.map(\.title)) })
        #expect(titles == ["task 0", "task 1", "task 2", "task 3", "after the repair"])
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
        await store.close()
    }
}

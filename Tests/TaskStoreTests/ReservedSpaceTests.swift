import Foundation
import Logging
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// The WAL writes zeros ahead of its last frame so that fdatasync need not also write the
/// file's length. Zeros after the last frame are a clean end; anything else stays as it was:
/// a torn frame is a torn tail, and zeros with a valid frame after them are corruption.
@Suite struct ReservedSpaceTests {
    private let files = POSIXFileSystem()

    private func titles(_ store: TaskStore, _ userID: UserID) async throws -> Set<String> {
        try await store.acknowledged(await store.user(userID).read { Set($0.tasks.values.map(\.title)) })
    }

    private func createThreeTasks(_ store: TaskStore, _ userID: UserID) async throws {
        for index in 0..<3 { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)"))) }
    }

    /// Three tasks written, then the data directory copied while the store still runs: what a
    /// kill -9 leaves. Returns the copy, the user and where the three frames end.
    private func crashedAfterThreeTasks() async throws -> (crashed: StoreFixture, userID: UserID, framesEnd: Int) {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let crashed = StoreFixture()
        let store = try fixture.open()
        let userID = UserID()
        try await createThreeTasks(store, userID)
        let framesEnd = Int(store.wal.statistics.bytesWritten)
        for name in fixture.segmentNames() {
            try FileManager.default.copyItem(atPath: fixture.directory.file(name), toPath: crashed.directory.file(name))
        }
        await store.close()
        return (crashed, userID, framesEnd)
    }

    /// Every start offset and every position of one non-zero byte, in a buffer that does not
    /// start on an 8-byte boundary: the word-at-a-time check agrees with a byte-by-byte one.
    @Test func theZeroCheckSeesEveryByteWhateverTheAlignment() {
        var storage = [UInt8](repeating: 0, count: 80)
        storage.withUnsafeMutableBytes { whole in
            for shift in 0..<8 {
                let length = 67
                let view = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(whole)[shift..<(shift + length)])
                #expect(FrameScanner.isZeroFilled(view, from: 0))
                for position in 0..<length {
                    whole[shift + position] = 1
                    for offset in 0...length where FrameScanner.isZeroFilled(view, from: offset) != (position < offset) {
                        Issue.record("shift \(shift), non-zero byte at \(position), checked from \(offset)")
                    }
                    whole[shift + position] = 0
                }
            }
        }
        #expect(FrameScanner.isZeroFilled(UnsafeRawBufferPointer(start: nil, count: 0), from: 0))
    }

    @Test func whileOpenASegmentHasZerosAheadOfItsFramesAndAtRestOnlyItsFrames() async throws {
        let fixture = StoreFixture(segmentSize: 2000)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let userID = UserID()
        for index in 0..<60 { _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)"))) }
        let open = fixture.segmentNames().sorted()
        #expect(open.count >= 3)
        for name in open.dropLast() {
            let path = fixture.directory.file(name)
            #expect(try files.fileSize(path) == (try FrameMap(file: path)).frames.last?.end, "a finished segment is cut to its frames")
        }
        let newest = fixture.directory.file(try #require(open.last))
        #expect(try files.fileSize(newest) == 2000, "zeros up to the segment size")
        #expect(try FrameMap(file: newest).frames.last!.end < 2000)
        await store.close()
        #expect(try files.fileSize(newest) == (try FrameMap(file: newest)).frames.last?.end, "close cuts the zeros off")
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }

    @Test func zerosAfterTheLastFrameAreACleanEndAndAppendsResumeAfterTheFrames() async throws {
        let (crashed, userID, framesEnd) = try await crashedAfterThreeTasks()
        defer { crashed.directory.remove() }

        let segment = crashed.directory.file(DataFileName.segment(firstLSN: 1))
        #expect(try files.fileSize(segment) == 1 << 20, "the copy has the zeros reserved ahead of the frames")
        let verification = try WALInspection(directory: crashed.directory.path).verify()
        #expect(verification.exitCode == 0 && verification.text == "clean: 1 segment(s), 3 record(s), last LSN 3")

        let (logger, log) = RecordingLogHandler.logger()
        let reopened = try crashed.open(logger: logger)
        #expect(reopened.recoveredRecords == 3)
        #expect(log.all.allSatisfy { $0.level < .warning }, "zeros are no torn write: \(log.all.map(\.message))")
        #expect(try files.fileSize(segment) == framesEnd, "recovery cuts the zeros so that appends follow the frames")
        _ = try await reopened.acknowledged(await reopened.user(userID).createTask(TaskDraft(title: "after the crash")))
        await reopened.close()

        let frames = try FrameMap(file: segment).frames
        #expect(frames.map(\.firstLSN) == [1, 2, 3, 4])
        #expect(frames.last?.end == (try files.fileSize(segment)))
        let again = try crashed.open()
        #expect(try await titles(again, userID) == ["task 0", "task 1", "task 2", "after the crash"])
        await again.close()
    }

    @Test func aWriteLostInAPowerCutLeavesZerosAndACleanLog() async throws {
        let fileSystem = FaultInjectingFileSystem()
        let fixture = StoreFixture(fileSystem: fileSystem)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let userID = UserID()
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "kept")))
        fileSystem.inject(.sync, errno: EIO)
        await #expect(throws: StorageError.self) {
            try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "never acknowledged")))
        }
        await store.close()
        fileSystem.simulatePowerLoss()

        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let frames = try FrameMap(file: segment).frames
        #expect(frames.count == 1)
        #expect(try files.fileSize(segment) > frames[0].end, "where the lost frame was, the synced zeros are back")
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
        var reopened = fixture
        reopened.fileSystem = POSIXFileSystem()
        let (logger, log) = RecordingLogHandler.logger()
        let recovered = try reopened.open(logger: logger)
        #expect(log.all.allSatisfy { $0.level < .warning })
        #expect(try await titles(recovered, userID) == ["kept"])
        await recovered.close()
    }

    @Test func aTornFrameBeforeTheZerosIsATornTail() async throws {
        let (crashed, userID, framesEnd) = try await crashedAfterThreeTasks()
        defer { crashed.directory.remove() }
        // The start of a fourth frame made it to disk, the rest did not: zeros follow.
        let segment = crashed.directory.file(DataFileName.segment(firstLSN: 1))
        let firstFrame = try FrameMap(file: segment).frames[0]
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: 0)
        let partial = try #require(try handle.read(upToCount: firstFrame.end - 4))
        try handle.seek(toOffset: UInt64(framesEnd))
        try handle.write(contentsOf: partial)
        try handle.close()

        let verification = try WALInspection(directory: crashed.directory.path).verify()
        #expect(verification.exitCode == 1)
        #expect(verification.text.hasPrefix("torn tail: \(segment) at byte offset \(framesEnd):"))
        let (logger, log) = RecordingLogHandler.logger()
        let reopened = try crashed.open(logger: logger)
        let warning = try #require(log.all.first { $0.level == .warning })
        #expect(warning.metadata["offset"] == "\(framesEnd)")
        #expect(try await titles(reopened, userID) == ["task 0", "task 1", "task 2"])
        await reopened.close()
    }

    @Test func zerosWithAValidFrameAfterThemAreCorruption() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        for index in 0..<3 { _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "task \(index)"))) }
        await store.close()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let frames = try FrameMap(file: segment).frames
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: UInt64(frames[1].offset))
        try handle.write(contentsOf: Data(count: frames[1].end - frames[1].offset))
        try handle.close()

        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text.hasPrefix("corruption: \(segment) at byte offset \(frames[1].offset):"))
        #expect(throws: StorageError.self) { try fixture.open() }
    }

    @Test func zerosThatCannotBeCutOffAtCloseAreAWarningAndReadAsTheEnd() async throws {
        let fileSystem = FaultInjectingFileSystem()
        let fixture = StoreFixture(fileSystem: fileSystem)
        defer { fixture.directory.remove() }
        let (logger, log) = RecordingLogHandler.logger()
        let store = try fixture.open(logger: logger)
        let userID = UserID()
        try await createThreeTasks(store, userID)
        fileSystem.inject(.truncate, errno: EIO)
        await store.close()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let warning = try #require(log.all.first { $0.level == .warning })
        #expect(warning.message.contains("could not cut the reserved zeros"))
        #expect(warning.metadata["segment"] == segment && warning.metadata["error"]?.contains("Input/output error") == true)
        #expect(try files.fileSize(segment) == 1 << 20, "the zeros stay")
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)

        let reopened = try fixture.open()
        #expect(try await titles(reopened, userID) == ["task 0", "task 1", "task 2"])
        await reopened.close()
    }

    @Test func zerosThatCannotBeWrittenAreAWarningAndWritesGoOn() async throws {
        let fileSystem = FaultInjectingFileSystem()
        let fixture = StoreFixture(fileSystem: fileSystem)
        defer { fixture.directory.remove() }
        fileSystem.inject(.reserve, errno: ENOSPC)
        let (logger, log) = RecordingLogHandler.logger()
        let store = try fixture.open(logger: logger)
        let userID = UserID()
        try await createThreeTasks(store, userID)
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        #expect(try files.fileSize(segment) == fileSystem.writtenLength(of: segment), "appended without zeros ahead")
        let warnings = log.all.filter { $0.level == .warning }
        #expect(warnings.count == 1, "one warning, not one per frame: \(warnings.map(\.message))")
        #expect(warnings.first?.metadata["segment"] == segment)
        #expect(warnings.first?.metadata["error"]?.contains("No space left on device") == true)
        await store.close()

        let reopened = try fixture.open()
        #expect(try await titles(reopened, userID) == ["task 0", "task 1", "task 2"])
        await reopened.close()
    }

    /// A failed reservation holds only for its segment (the disk may have room again): the
    /// next segment writes its zeros ahead.
    @Test func theNextSegmentWritesItsZerosAgainAfterAFailedReservation() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture(fileSystem: fileSystem)
        fixture.segmentSize = 400
        defer { fixture.directory.remove() }
        fileSystem.inject(.reserve, errno: ENOSPC)
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<20 where fixture.segmentNames().count < 2 {
            _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)")))
        }
        let first = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        #expect(try files.fileSize(first) == fileSystem.writtenLength(of: first), "no zeros where the reservation failed")
        let second = try #require(fixture.segmentNames().dropFirst().first.map(fixture.directory.file))
        #expect(try files.fileSize(second) == fixture.segmentSize, "zeros ahead up to the segment size")
        #expect(fileSystem.writtenLength(of: second) < fixture.segmentSize)
        await store.close()
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Frames whose checksums hold but whose contents do not read back, as a writer's bug would
/// leave them: corruption like any other, named by file and offset, never a trap.
@Suite struct ChecksummedDamageTests {
    /// A store with tasks, a deleted task (a tombstone) and a snapshot; the snapshot's path.
    private func snapshotted(_ fixture: StoreFixture) async throws -> String {
        let store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<3 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(index)"))) }
        let doomed = try await store.acknowledged(await user.createTask(TaskDraft(title: "doomed"))).task.id
        _ = try await store.acknowledged(await user.deleteTask(doomed))
        let report = try #require(try await store.snapshotNow())
        await store.close()
        return fixture.directory.file(DataFileName.snapshot(startLSN: report.startLSN))
    }

    /// A snapshot as `snapshotted` makes it, with its first frame rewritten by `change`; its
    /// path and that frame's offset.
    private func firstSnapshotFrameRewritten(
        _ fixture: StoreFixture, _ change: (inout FrameHeader, inout [UInt8]) throws -> Void
    ) async throws -> (path: String, offset: Int) {
        let path = try await snapshotted(fixture)
        let first = try #require(try snapshotFrames(path).first)
        try FrameRewriter.rewrite(path, frameAt: first.offset, change)
        return (path, first.offset)
    }

    private func snapshotFrames(_ path: String) throws -> [FrameMap.Frame] {
        try FrameMap(file: path, headerSize: SnapshotFile.headerSize).frames
    }

    /// The offsets of the records of `type` in the snapshot's frames, each with its frame.
    private func snapshotRecords(ofType type: UInt8, in path: String) throws -> [(frame: FrameMap.Frame, offset: Int)] {
        let bytes = try POSIXFileSystem().readFile(path)
        var found: [(FrameMap.Frame, Int)] = []
        for frame in try snapshotFrames(path) {
            var payload: [UInt8] = []
            let stored = bytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[frame.offset + FrameHeader.size..<frame.end]) }
            #expect(FrameScanner.payload(of: frame.header, stored, inflater: Inflater(), into: &payload))
            for offset in try FrameRewriter.recordOffsets(in: payload, count: frame.header.recordCount) where payload[offset] == type {
                found.append((frame, offset))
            }
        }
        return found
    }

    /// A log of three frames of one task each, every one synced before the next was written
    /// (so damage in the middle one is corruption, not a torn write), with the middle frame
    /// rewritten by `change`; the segment and that frame's offset.
    private func middleFrameRewritten(
        _ fixture: StoreFixture, _ change: (inout FrameHeader, inout [UInt8]) throws -> Void
    ) async throws -> (segment: String, offset: Int) {
        let store = try fixture.open()
        for index in 0..<3 { _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "task \(index)"))) }
        await store.close()
        let segment = fixture.directory.file(try #require(fixture.segmentNames().last))
        let middle = try FrameMap(file: segment).frames[1].offset
        try FrameRewriter.rewrite(segment, frameAt: middle, change)
        return (segment, middle)
    }

    @Test func aWALFrameLongerThanItsRecordedLengthStopsTheStartAtItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (segment, offset) = try await middleFrameRewritten(fixture) { header, _ in header.uncompressedLength += 1 }

        let expected = StorageError.corruption(file: segment, offset: offset, reason: "payload does not inflate to its recorded length")
        #expect(throws: expected) { try fixture.open() }
    }

    /// The payload's own length is in range; the length it claims to inflate to is not, and the
    /// message names that one.
    @Test func aWALFrameClaimingToInflatePastTheLimitStopsTheStartAtItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let claimed = UInt32(FrameHeader.maximumPayloadLength + 1)
        let (segment, offset) = try await middleFrameRewritten(fixture) { header, _ in header.uncompressedLength = claimed }

        let expected = StorageError.corruption(file: segment, offset: offset, reason: "uncompressed length \(claimed) is out of range")
        #expect(throws: expected) { try fixture.open() }
    }

    @Test func aWALRecordLongerThanItsEventStopsTheStartAtItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var recordEnd = 0
        let (segment, offset) = try await middleFrameRewritten(fixture) { header, payload in
            let length = Int(payload[0])
            try #require(header.recordCount == 1 && length < 0x7F, "one record, with a one-byte length prefix")
            payload[0] += 1
            recordEnd = 1 + length
            payload.insert(0, at: recordEnd)
            header.uncompressedLength += 1
        }

        let reason = "undecodable record: 1 unread byte at the end of a record at byte \(recordEnd)"
        #expect(throws: StorageError.corruption(file: segment, offset: offset, reason: reason)) { try fixture.open() }
    }

    /// A record of a version this build does not know, or of an event type it does not know, is
    /// not read as if it were its own; the message names the byte (the payload starts with the
    /// record's one-byte length, then its version, then its type).
    @Test(arguments: [
        (1, RecordCodec.version + 1, "unknown record version \(RecordCodec.version + 1) at byte 1"),
        (2, 0xEE, "unknown event type at byte 2"),
    ])
    func aWALRecordOfAnUnknownVersionOrTypeStopsTheStartAtItsOffset(byte: Int, value: UInt8, reason: String) async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (segment, offset) = try await middleFrameRewritten(fixture) { header, payload in
            try #require(header.recordCount == 1 && payload[0] < 0x80 && payload[1] == RecordCodec.version, "one record, with a one-byte length prefix")
            payload[byte] = value
        }

        let expected = StorageError.corruption(file: segment, offset: offset, reason: "undecodable record: \(reason)")
        #expect(throws: expected) { try fixture.open() }
    }

    @Test(arguments: [(1, "1 byte"), (2, "2 bytes")])
    func aWALFrameWithBytesAfterItsLastRecordStopsTheStartAtItsOffset(extra: Int, counted: String) async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var recordsEnd = 0
        let (segment, offset) = try await middleFrameRewritten(fixture) { header, payload in
            recordsEnd = payload.count
            payload += [UInt8](repeating: 0, count: extra)
            header.uncompressedLength += UInt32(extra)
        }

        let reason = "undecodable record: \(counted) after the last record at byte \(recordsEnd)"
        #expect(throws: StorageError.corruption(file: segment, offset: offset, reason: reason)) { try fixture.open() }
    }

    @Test func aSnapshotFrameLongerThanItsRecordedLengthIsCorruptionAtItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (path, offset) = try await firstSnapshotFrameRewritten(fixture) { header, _ in header.uncompressedLength -= 1 }

        let expected = StorageError.corruption(file: path, offset: offset, reason: "payload does not inflate to its recorded length")
        #expect(throws: expected) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
    }

    /// Cut at a frame boundary, a snapshot checksums to its last byte: only the missing end
    /// frame tells it from a whole one.
    @Test func aSnapshotCutBeforeItsEndFrameIsCorruptionWhereTheEndFrameWas() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let path = try await snapshotted(fixture)
        let end = try #require(try snapshotFrames(path).last)
        #expect(end.header.flags.contains(.endOfSnapshot))
        #expect(truncate(path, off_t(end.offset)) == 0)

        let expected = StorageError.corruption(file: path, offset: end.offset, reason: "the snapshot ends without its end frame")
        #expect(throws: expected) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
        #expect(try SnapshotFile.newestValid(in: fixture.directory.path, fileSystem: POSIXFileSystem()) == nil, "a start passes it over")
    }

    @Test func aSnapshotFrameOutOfOrderIsCorruptionAtItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (path, offset) = try await firstSnapshotFrameRewritten(fixture) { header, _ in header.firstLSN = 1 }

        let expected = StorageError.corruption(file: path, offset: offset, reason: "block 1 where 0 was expected")
        #expect(throws: expected) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
    }

    @Test func bytesAfterASnapshotsEndFrameAreCorruptionWhereTheyStart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let path = try await snapshotted(fixture)
        let end = try #require(try snapshotFrames(path).last).end
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x54]))
        try handle.close()

        let expected = StorageError.corruption(file: path, offset: end, reason: "bytes after the end frame")
        #expect(throws: expected) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
    }

    /// A user's frames copied into the next snapshot are checked first: an end frame where
    /// they were (the previous snapshot rewritten since) is not taken for one of them.
    @Test func anEndFrameIsNotCopiedAsAUsersFrame() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let path = try await snapshotted(fixture)
        let end = try #require(try snapshotFrames(path).last)
        #expect(end.header.flags.contains(.endOfSnapshot))

        let checked = SnapshotFile.checkedFrames(in: path, end.offset..<end.end, fileSystem: POSIXFileSystem(), numberedFrom: 0)
        guard case .failure(let unreadable) = checked else {
            Issue.record("the end frame was taken for a user's frame")
            return
        }
        #expect(unreadable.reason == "\(path) at byte offset \(end.offset): not one of a user's frames")
    }

    @Test func aSnapshotRecordOfAnUnknownTypeIsCorruptionNamingItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var typeOffset = 0
        let (path, offset) = try await firstSnapshotFrameRewritten(fixture) { header, payload in
            typeOffset = try FrameRewriter.recordOffsets(in: payload, count: header.recordCount)[0]
            payload[typeOffset] = 0xEE
        }

        let reason = "undecodable record: unknown snapshot record type at byte \(typeOffset)"
        #expect(throws: StorageError.corruption(file: path, offset: offset, reason: reason)) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
    }

    @Test func aSnapshotTombstoneOfAnUnknownKindIsCorruptionNamingItsOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let path = try await snapshotted(fixture)
        let tombstoneType: UInt8 = 19  // SnapshotCodec's RecordType.tombstone: part of the format
        let (frame, typeOffset) = try #require(try snapshotRecords(ofType: tombstoneType, in: path).first)
        try FrameRewriter.rewrite(path, frameAt: frame.offset) { _, payload in
            #expect(payload[typeOffset + 1] == Tombstone.Kind.task.rawValue)
            payload[typeOffset + 1] = 9
        }

        let reason = "undecodable record: unknown tombstone kind at byte \(typeOffset + 1)"
        #expect(throws: StorageError.corruption(file: path, offset: frame.offset, reason: reason)) { try SnapshotFile.read(path, fileSystem: POSIXFileSystem()) }
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct CompressionTests {
    /// With 256 concurrent writers, batches are large enough for deflate to pay: the WAL on disk
    /// (headers included) is at most a fifth of the same records as JSON (as `taskd wal dump` prints them).
    @Test func theWALOf256ConcurrentWritersIsAFifthOfItsJSON() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<256 {
                group.addTask {
                    var rng = SeededGenerator(seed: UInt64(writer))
                    let user = store.user(UserID())
                    for _ in 0..<8 {
                        let draft = TaskDraft(
                            title: RandomWorkload.titles.randomElement(using: &rng)!, description: RandomWorkload.descriptions.randomElement(using: &rng)!,
                            status: TaskStatus.allCases.randomElement(using: &rng)!, priority: TaskPriority.allCases.randomElement(using: &rng)!,
                            dueDate: Bool.random(using: &rng) ? Timestamp(milliseconds: 1_796_000_000_000 + Int64.random(in: 0..<9_999_999, using: &rng)) : nil,
                            categoryName: RandomWorkload.categoryNames.randomElement(using: &rng))
                        _ = try await store.acknowledged(await user.createTask(draft))
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()

        var jsonBytes = 0
        let encoder = JSONEncoder()
        _ = try WALReader(directory: fixture.directory.path, fileSystem: POSIXFileSystem()).scan { lsn, event in
            jsonBytes += try encoder.encode(DumpedRecord(lsn: lsn, event: event)).count
        }
        let walBytes = fixture.segmentNames().reduce(0) { $0 + (try! POSIXFileSystem().fileSize(fixture.directory.file($1))) }
        #expect(walBytes * 5 <= jsonBytes, "WAL \(walBytes) bytes vs JSON \(jsonBytes) bytes")
    }

    /// Deflate cannot shrink random bytes: such frames are stored raw, never larger than their records.
    @Test func aFrameIsNeverLargerThanItsRecordsUncompressed() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        var rng = SeededGenerator(seed: 99)
        let user = store.user(UserID())
        for length in [1, 10, 100, 1000, 5000] {
            let noise = String((0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 33...126, using: &rng))) })
            _ = try await store.acknowledged(await user.createTask(TaskDraft(title: String(noise.prefix(200)), description: noise)))
        }
        await store.close()
        let frames = try FrameMap(file: fixture.directory.file(try #require(fixture.segmentNames().first))).frames
        #expect(frames.count == 5)
        for frame in frames { #expect(frame.header.payloadLength <= frame.header.uncompressedLength) }
        #expect(frames.contains { !$0.header.flags.contains(.deflated) }, "some frame was stored raw")
    }
}

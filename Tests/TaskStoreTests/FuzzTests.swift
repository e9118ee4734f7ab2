import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Random and mutated bytes into everything that reads from disk: it may only return a valid
/// prefix or an error, never crash or hang. Seeded and bounded, so it is repeatable in `swift test`.
@Suite struct FuzzTests {
    /// A real segment and a real snapshot to mutate.
    private static func samples() async throws -> (segment: [UInt8], snapshot: [UInt8]) {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 4, in: store)
        try await workload.run(commands: 120, streams: 4, seed: 77)
        let report = try #require(try await store.snapshotNow())
        await store.close()
        let files = POSIXFileSystem()
        return (
            try files.readFile(fixture.directory.file(DataFileName.segment(firstLSN: 1))),
            try files.readFile(fixture.directory.file(DataFileName.snapshot(startLSN: report.startLSN)))
        )
    }

    private static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            guard !bytes.isEmpty else { break }
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            case 1: bytes.removeLast(Int.random(in: 0...min(64, bytes.count), using: &rng))
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: Int.random(in: 0...bytes.count, using: &rng))
            case 3:
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.replaceSubrange(start..<min(bytes.count, start + 512), with: repeatElement(0, count: min(bytes.count, start + 512) - start))
            case 4: bytes.append(contentsOf: repeatElement(0, count: Int.random(in: 1...4096, using: &rng)))  // reserved space
            default: bytes = Array(bytes[Int.random(in: 0..<bytes.count, using: &rng)...])
            }
        }
        return bytes
    }

    @Test func theWALReaderReturnsAValidPrefixOrAnErrorForAnyBytes() async throws {
        let (segment, _) = try await Self.samples()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(DataFileName.segment(firstLSN: 1))
        var rng = SeededGenerator(seed: 2026)
        var bytesTried = 0
        let deadline = ContinuousClock.now + .seconds(8)
        for iteration in 0..<3000 where ContinuousClock.now < deadline {
            let input = iteration % 4 == 0
                ? (0..<Int.random(in: 0...4096, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } : Self.mutate(segment, &rng)
            bytesTried += input.count
            _ = FileManager.default.createFile(atPath: path, contents: Data(input))
            do {
                let report = try WALReader(directory: directory.path, fileSystem: POSIXFileSystem()).scan()
                let valid = report.segments.first?.validLength ?? 0
                #expect(valid <= input.count)
                // Clean means every byte is a valid frame, or zeros after the last (reserved space).
                if report.damage == nil { #expect(input[valid...].allSatisfy { $0 == 0 }) }
            } catch is StorageError {
                // A newer format version: refused, which is fine.
            }
        }
        print("fuzzed the WAL reader with \(bytesTried) bytes")
        #expect(bytesTried > 100_000)
    }

    @Test func theSnapshotReaderRefusesDamageAndNeverCrashes() async throws {
        let (_, snapshot) = try await Self.samples()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // Under a snapshot's name, as recovery reads it (the name checks the header's start LSN).
        let startLSN = snapshot.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        let path = directory.file(DataFileName.snapshot(startLSN: startLSN))
        _ = FileManager.default.createFile(atPath: path, contents: Data(snapshot))
        let original = try SnapshotFile.read(path, fileSystem: POSIXFileSystem()).contents
        var rng = SeededGenerator(seed: 7)
        var bytesTried = 0
        var accepted = 0
        let deadline = ContinuousClock.now + .seconds(8)
        for _ in 0..<1500 where ContinuousClock.now < deadline {
            let input = Self.mutate(snapshot, &rng)
            bytesTried += input.count
            _ = FileManager.default.createFile(atPath: path, contents: Data(input))
            guard let read = try? SnapshotFile.read(path, fileSystem: POSIXFileSystem()).contents else { continue }
            // Only a change outside what the snapshot holds (its reserved bytes) may be read.
            accepted += 1
            #expect(read.startLSN == original.startLSN && read.accounts == original.accounts && read.users == original.users)
        }
        print("fuzzed the snapshot reader with \(bytesTried) bytes; \(accepted) mutations still read as the same snapshot")
        #expect(bytesTried > 100_000)
    }

    @Test func theRecordDecoderAndJSONDumpNeverCrashOnRandomBytes() {
        var rng = SeededGenerator(seed: 99)
        var writer = BinaryWriter()
        for event in SampleEvents.all { RecordCodec.encode(event, into: &writer) }
        var bytesTried = 0
        for _ in 0..<20_000 {
            let input = Self.mutate(writer.bytes, &rng)
            bytesTried += input.count
            input.withUnsafeBytes { buffer in
                var reader = BinaryReader(buffer)
                while !reader.isAtEnd {
                    guard (try? RecordCodec.decode(from: &reader)) != nil else { break }
                }
            }
        }
        print("fuzzed the record decoder with \(bytesTried) bytes")
        #expect(bytesTried > 1_000_000)
    }
}

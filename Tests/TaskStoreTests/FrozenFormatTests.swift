import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// The directory in `FrozenDataDirectory`, read by today's code: what taskd wrote once, it reads
/// ever after.
@Suite struct FrozenFormatTests {
    @Test func theFrozenLogReadsBackAsTheEventsThatWroteIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FrozenDataDirectory.write(to: directory)
        var read: [WALEvent] = []
        let report = try WALReader(directory: directory.path, fileSystem: POSIXFileSystem()).scan { lsn, event in
            #expect(lsn == LSN(read.count + 1))
            read.append(event)
        }
        #expect(report.damage == nil)
        #expect(read == FrozenDataDirectory.events)
    }

    /// A refresh token's digest is stored as four words made from its SHA-256 bytes little-endian,
    /// eight to a word: another mapping would read every stored family as holding other digests,
    /// and every refresh token issued before an upgrade would stop working.
    @Test func aTokenDigestsWordsAreItsBytesLittleEndian() {
        let digest = TokenDigest(bytes: (0..<32).map { UInt8($0) })
        #expect(digest.words.0 == 0x0706_0504_0302_0100 && digest.words.1 == 0x0F0E_0D0C_0B0A_0908)
        #expect(digest.words.2 == 0x1716_1514_1312_1110 && digest.words.3 == 0x1F1E_1D1C_1B1A_1918)
        // Digests differing in any one word are different.
        for word in 0..<4 {
            var bytes = (0..<32).map { UInt8($0) }
            bytes[word * 8 + 7] ^= 0x80
            #expect(TokenDigest(bytes: bytes) != digest, "word \(word)")
        }
    }

    /// Frames of both kinds are in it: one stored raw, one deflated.
    @Test func theFrozenLogHoldsRawAndDeflatedFrames() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FrozenDataDirectory.write(to: directory)
        let segment = try #require(directory.names().first { DataFileName.segmentLSN($0) != nil })
        let flags = try FrameMap(file: directory.file(segment)).frames.map(\.header.flags.rawValue)
        #expect(flags.contains(0) && flags.contains(1), "\(flags)")
    }

    @Test func theFrozenSnapshotReadsBackAsTheStateAtItsLSN() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FrozenDataDirectory.write(to: directory)
        let name = DataFileName.snapshot(startLSN: FrozenDataDirectory.snapshotLSN)
        let contents = try SnapshotFile.read(directory.file(name), fileSystem: POSIXFileSystem()).contents
        let expected = FrozenDataDirectory.states(through: FrozenDataDirectory.snapshotLSN)
        #expect(contents.startLSN == FrozenDataDirectory.snapshotLSN)
        #expect(contents.accounts == expected.accounts)
        let read = StoreStates(accounts: contents.accounts, users: Dictionary(uniqueKeysWithValues: contents.users.map { ($0.userID, $0) }))
        // The snapshot holds the states that have events: Cyd registers after it.
        var withEvents = expected
        withEvents.users[FrozenDataDirectory.cyd] = nil
        #expect(read.firstDifference(from: withEvents) == nil)
        // Every kind of record it can hold is in it.
        let ada = try #require(read.users[FrozenDataDirectory.ada])
        #expect(Set(ada.tombstones.map(\.kind)) == [.task, .category])
        #expect(!ada.idempotencyRecords.isEmpty && ada.prunedThroughSequence > 0)
        #expect(read.accounts.families.values.contains { !$0.retiredDigests.isEmpty })
    }

    /// A start reads the snapshot, then the log after it, and keeps the directory's history.
    @Test func theFrozenDirectoryOpensToTheStateOfAllItsEvents() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        try FrozenDataDirectory.write(to: fixture.directory)
        let store = try fixture.open()
        let states = try await RandomWorkload(store: store, userIDs: FrozenDataDirectory.userIDs).states()
        #expect(states.firstDifference(from: FrozenDataDirectory.states(through: LSN(FrozenDataDirectory.events.count))) == nil)
        #expect(store.historyID == FrozenDataDirectory.historyID)
        await store.close()
    }

    /// Without its snapshot, the log alone replays to the same state.
    @Test func theFrozenLogAloneOpensToTheSameState() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        try FrozenDataDirectory.write(to: fixture.directory, includingSnapshot: false)
        let store = try fixture.open()
        let states = try await RandomWorkload(store: store, userIDs: FrozenDataDirectory.userIDs).states()
        #expect(states.firstDifference(from: FrozenDataDirectory.states(through: LSN(FrozenDataDirectory.events.count))) == nil)
        await store.close()
    }
}

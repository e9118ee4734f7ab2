import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Damage with valid data after it is corruption: recovery refuses to start and names the file
/// and offset; `wal repair` keeps a backup and recovers the valid prefix.
@Suite struct CorruptionTests {
    /// Five frames of one task each; returns the user and the segment's path.
    private func writeFiveFrames(_ fixture: StoreFixture) async throws -> (UserID, String) {
        let store = try fixture.open()
        let userID = UserID()
        for index in 0..<5 {
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index)")))
        }
        await store.close()
        return (userID, fixture.directory.file(try #require(fixture.segmentNames().last)))
    }

    private func flipByte(in path: String, at offset: Int) throws {
        let byte = try POSIXFileSystem().readFile(path)[offset]
        try overwrite(path, at: offset, with: Data([byte ^ 0x40]))
    }

    private func overwrite(_ path: String, at offset: Int, with bytes: Data) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    /// The checksum covers the payload and every header field but itself, so damage to any of
    /// them is found where it is: the unsynced count, say, which nothing else checks, would
    /// otherwise decide whether later damage is a torn write or corruption.
    @Test(arguments: [
        (FrameHeader.size + 3, "payload"), (4, "format version"), (5, "flags"), (6, "unsynced count"), (16, "first LSN"), (24, "record count"),
        (28, "uncompressed length"),
    ])
    func aFlippedByteInAnOlderFrameIsCorruptionNamingFileAndOffset(at offsetInFrame: Int, part: String) async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        #expect(frames.count == 5)
        try flipByte(in: segment, at: frames[1].offset + offsetInFrame)

        #expect(throws: StorageError.corruption(file: segment, offset: frames[1].offset, reason: "checksum mismatch"), "\(part)") {
            try fixture.open()
        }
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text.contains(segment) && verification.text.contains("offset \(frames[1].offset)"))
    }

    /// A length past the largest frame is named as such, before any read past the file's end.
    @Test func aFrameLengthPastTheLimitIsNamed() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        let length = UInt32(FrameHeader.maximumPayloadLength + 1)
        try overwrite(segment, at: frames[1].offset + 8, with: withUnsafeBytes(of: length.littleEndian) { Data($0) })

        #expect(throws: StorageError.corruption(file: segment, offset: frames[1].offset, reason: "frame length \(length) is out of range")) {
            try fixture.open()
        }
    }

    @Test func repairKeepsABackupAndRecoversTheValidPrefixThenAcceptsWrites() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (userID, segment) = try await writeFiveFrames(fixture)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        let frames = try FrameMap(file: segment).frames
        try flipByte(in: segment, at: frames[2].offset + 20)  // the first LSN field of the third frame

        let report = try repair(fixture)
        #expect(report.damages.map(\.kind) == [.corruption])
        #expect(report.damages.first?.offset == frames[2].offset)
        #expect(report.lastLSN == frames[1].lastLSN)
        let backup = try Data(contentsOf: URL(fileURLWithPath: try #require(report.backups.first)))
        #expect(backup.count == original.count, "the backup holds the whole damaged file")

        var store = try fixture.open()
        #expect(try await store.acknowledged(await store.user(userID).read { Set($0.tasks.values.map(\.title)) }) == ["task 0", "task 1"])
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after repair")))
        await store.close()
        store = try fixture.open()
        #expect(try await store.acknowledged(await store.user(userID).read { Set($0.tasks.values.map(\.title)) }) == ["task 0", "task 1", "after repair"])
        await store.close()
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }

    /// The `.broken` copy is the only place the cut records are left: it is synced, with its
    /// directory entry, before the segment is cut, and so outlives a power cut the moment the
    /// cut is done. (Until 29 November the directory was synced only after the cut, and such a
    /// power cut kept the cut and lost the copy, and with it the frames after the damage.)
    @Test func theCopyARepairKeepsOutlivesAPowerCutTheMomentItCuts() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        try flipByte(in: segment, at: frames[2].offset + FrameHeader.size + 3)
        let damaged = try Data(contentsOf: URL(fileURLWithPath: segment))

        fileSystem.cutPowerAfterTruncating()
        #expect(throws: StorageError.self) { try repair(fixture, fileSystem: fileSystem) }
        fileSystem.simulatePowerLoss()
        #expect(try POSIXFileSystem().fileSize(segment) == frames[2].offset, "the cut was made")
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment + ".broken")) == damaged)
    }

    /// A later repair of the same segment keeps its copy at `.broken.2`, the first copy as it was.
    @Test func aSecondRepairKeepsItsCopyBesideTheFirst() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        try flipByte(in: segment, at: frames[3].offset + 20)
        #expect(try repair(fixture).backups == [segment + ".broken"])
        let firstCopy = try Data(contentsOf: URL(fileURLWithPath: segment + ".broken"))

        try flipByte(in: segment, at: frames[1].offset + 20)
        let second = try repair(fixture)
        #expect(second.backups == [segment + ".broken.2"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment + ".broken")) == firstCopy)
        #expect(try POSIXFileSystem().fileSize(segment + ".broken.2") == frames[3].offset)
        #expect(try POSIXFileSystem().fileSize(segment) == frames[1].offset)
    }

    @Test func damageAtTheEndOfAnOlderSegmentIsCorruptionNotATornTail() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let older = try await writeSegments(fixture)[0]
        let size = try POSIXFileSystem().fileSize(older)
        #expect(truncate(older, off_t(size - 1)) == 0)

        #expect(throws: StorageError.self) { try fixture.open() }
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 2)
    }

    /// Eight users' tasks in segments of 300 bytes: at least three segments. Returns the paths.
    private func writeSegments(_ fixture: StoreFixture) async throws -> [String] {
        let store = try fixture.open()
        for index in 0..<8 {
            _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "task \(index) with a longer title")))
        }
        await store.close()
        let segments = fixture.segmentNames().map { fixture.directory.file($0) }
        #expect(segments.count >= 3)
        return segments
    }

    /// `taskd wal repair` on the fixture's directory, which a crash test's child may hold
    /// locked for a moment (see `UnlockedStoreOpening`).
    private func repair(_ fixture: StoreFixture, fileSystem: any FileSystem = POSIXFileSystem()) throws -> WALRepair.Report {
        try UnlockedStoreOpening.retrying { try WALRepair(directory: fixture.directory.path, fileSystem: fileSystem).run() }
    }

    private func historyID(_ fixture: StoreFixture) throws -> String {
        try #require(HistoryID.parse(try POSIXFileSystem().readFile(fixture.directory.file(HistoryID.fileName))))
    }

    private func firstLSN(of segment: String) throws -> LSN {
        try #require(DataFileName.segmentLSN(URL(fileURLWithPath: segment).lastPathComponent))
    }

    @Test func aMissingMiddleSegmentIsCorruptionThatRepairCutsTheLogAt() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let segments = try await writeSegments(fixture)
        let history = try historyID(fixture)
        #expect(try repair(fixture).damages.isEmpty)
        #expect(try historyID(fixture) == history, "a repair that changes nothing keeps the history")
        let prefixLastLSN = try firstLSN(of: segments[1]) - 1
        try FileManager.default.removeItem(atPath: segments[1])

        let gap = "segment starts at LSN \(try firstLSN(of: segments[2])), but the previous one ended at \(prefixLastLSN)"
        #expect(throws: StorageError.corruption(file: segments[2], offset: 0, reason: gap)) { try fixture.open() }
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text.contains(segments[2]) && verification.text.contains("taskd wal repair"))

        let report = try repair(fixture)
        #expect(report.lastLSN == prefixLastLSN)
        #expect(report.backups == segments.dropFirst(2).map { $0 + ".broken" }, "every segment after the gap is set aside")
        #expect(try historyID(fixture) != history, "positions after the cut will be handed out again")
        let store = try fixture.open()
        #expect(store.wal.lastAssignedLSN == prefixLastLSN)
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "after the repair")))
        await store.close()
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }

    /// With no snapshot, recovery needs the log from LSN 1. A log whose oldest segment is gone
    /// cannot be mended by cutting it (nothing valid would be left), so the start, `verify` and
    /// `repair` all say so and send the operator to a backup, and `repair` changes nothing.
    @Test func aLogWhoseBeginningIsGoneStopsTheStartAndRepairLeavesItAlone() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let segments = try await writeSegments(fixture)
        try FileManager.default.removeItem(atPath: segments[0])
        let oldestFirstLSN = try firstLSN(of: segments[1])
        let missing = StorageError.missingRecords(file: segments[1], needed: 1, oldest: oldestFirstLSN)

        #expect(throws: missing) { try fixture.open() }
        #expect(missing.description.contains("restore the data directory from a backup with `taskd restore`"))
        #expect(missing.description.contains("`taskd wal repair` cannot bring them back"))
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text == "missing records: \(missing)")

        #expect(throws: missing) { try repair(fixture) }
        #expect(fixture.directory.names().filter { $0.contains(".broken") }.isEmpty)
        #expect(fixture.segmentNames().map { fixture.directory.file($0) } == Array(segments.dropFirst()))
    }

    /// One record gone is as missing as many: a log whose only segment begins at LSN 2, its
    /// first frame cut away, has lost LSN 1.
    @Test func aLogMissingOnlyItsFirstRecordStopsTheStart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        #expect(frames.first?.header.firstLSN == 1 && frames.first?.header.recordCount == 1)
        let rest = Data(try POSIXFileSystem().readFile(segment)[frames[1].offset...])
        let shortened = fixture.directory.file(DataFileName.segment(firstLSN: 2))
        try rest.write(to: URL(fileURLWithPath: shortened))
        try FileManager.default.removeItem(atPath: segment)

        #expect(throws: StorageError.missingRecords(file: shortened, needed: 1, oldest: 2)) { try fixture.open() }
    }

    /// The snapshotter deletes the segments its snapshots cover: `verify` needs the log only
    /// from where the newest valid snapshot leaves off, as recovery does, and finds nothing missing.
    @Test func verifyIsCleanAfterSnapshotsDeleteTheSegmentsTheyCover() async throws {
        let fixture = StoreFixture(segmentSize: 300, snapshotsRetained: 1)
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let userID = UserID()
        for index in 0..<8 {
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "task \(index) with a longer title")))
        }
        try await store.snapshotNow()
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after the snapshot")))
        await store.close()
        #expect(fixture.segmentNames().first != DataFileName.segment(firstLSN: 1), "the snapshot let the first segments go")
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 0, "\(verification.text)")
    }

    /// One user's 15 tasks in segments of 300 bytes, with two snapshots between them and three
    /// tasks after both; then a byte of the first frame flipped in the newest segment that only
    /// the older snapshot needs (the next segment starts at or before the newer one's start + 1).
    struct DamageBetweenSnapshots {
        var userID = UserID()
        var tasks = 15
        var segments: [String] = []
        var snapshots: [SnapshotReport] = []
        /// The damaged segment's index in `segments`, and its damaged frame's offset.
        var damaged = 0
        var frameOffset = 0
    }

    private func damageBetweenSnapshots(_ fixture: StoreFixture) async throws -> DamageBetweenSnapshots {
        var damage = DamageBetweenSnapshots()
        let store = try fixture.open()
        for (count, label) in [(6, "first"), (6, "second"), (3, "after both snapshots")] {
            if label != "first" { damage.snapshots.append(try #require(try await store.snapshotNow())) }
            for index in 0..<count {
                _ = try await store.acknowledged(await store.user(damage.userID).createTask(TaskDraft(title: "\(label) \(index) with a longer title")))
            }
        }
        await store.close()
        damage.segments = fixture.segmentNames().map { fixture.directory.file($0) }
        let firstLSNs = try damage.segments.map { try firstLSN(of: $0) }
        let newerStart = damage.snapshots[1].startLSN
        damage.damaged = try #require(firstLSNs.indices.last { $0 + 1 < firstLSNs.count && firstLSNs[$0 + 1] <= newerStart + 1 })
        #expect(firstLSNs[damage.damaged] > damage.snapshots[0].startLSN, "a segment that only the older snapshot needs")
        damage.frameOffset = try FrameMap(file: damage.segments[damage.damaged]).frames[0].offset
        try flipByte(in: damage.segments[damage.damaged], at: damage.frameOffset + FrameHeader.size + 3)
        return damage
    }

    private func taskCount(of userID: UserID, _ fixture: StoreFixture) async throws -> Int {
        let store = try fixture.open()
        let count = await store.user(userID).read { $0.tasks.count }.value
        await store.close()
        return count
    }

    /// Damage in a segment that only the older of two snapshots needs: recovery starts from the
    /// newer one and never reads it. `verify` still finds it, and `repair` sets that segment
    /// and the ones before it aside. Before, `repair` cut the log there and set aside every
    /// later segment: the acknowledged writes after the newer snapshot.
    @Test func damageInASegmentTheNewestSnapshotCoversIsSetAsideWithoutLosingLaterRecords() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let damage = try await damageBetweenSnapshots(fixture)
        let damaged = damage.segments[damage.damaged]

        #expect(try await taskCount(of: damage.userID, fixture) == damage.tasks, "recovery does not read the covered segment")
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text.contains("\(damaged) at byte offset \(damage.frameOffset)"))
        #expect(verification.text.contains("the server starts without reading it"))

        let report = try repair(fixture)
        #expect(report.damages.map(\.file) == [damaged])
        #expect(report.backups == damage.segments.prefix(damage.damaged + 1).map { $0 + ".broken" }, "the damaged segment and the ones before it")
        #expect(report.skippedSnapshots.isEmpty)
        #expect(report.text.hasSuffix("; backups: \(report.backups.joined(separator: ", "))"), "\(report.text)")
        #expect(try await taskCount(of: damage.userID, fixture) == damage.tasks, "no record after the snapshot is lost")
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }

    /// One repair mends the log whole: after setting aside a covered segment it looks again,
    /// and cuts the torn frame it then finds at the end.
    @Test func oneRepairSetsACoveredSegmentAsideAndCutsATornTailAfterIt() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let damage = try await damageBetweenSnapshots(fixture)
        let newest = try #require(damage.segments.last)
        let lastFrame = try #require(try FrameMap(file: newest).frames.last)
        try flipByte(in: newest, at: lastFrame.offset + FrameHeader.size + 3)

        let report = try repair(fixture)
        #expect(report.damages.map(\.file) == [damage.segments[damage.damaged], newest])
        #expect(try WALInspection(directory: fixture.directory.path).verify().exitCode == 0)
    }

    /// A third copy of one segment takes the next free name and leaves the older two as they
    /// were: taking a used name would have appended to an older copy, or renamed over it.
    @Test func eachCopyOfASegmentTakesANameOfItsOwn() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let segment = directory.file(DataFileName.segment(firstLSN: 1))
        for (name, text) in [("", "third"), (".broken", "first"), (".broken.2", "second")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: segment + name))
        }
        #expect(try POSIXFileSystem().copyToBackup(segment) == segment + ".broken.3")
        for (name, text) in [(".broken", "first"), (".broken.2", "second"), (".broken.3", "third")] {
            #expect(try String(contentsOfFile: segment + name, encoding: .utf8) == text, "\(name)")
        }
    }

    /// With the newer snapshot damaged, recovery falls back to the older one and needs the
    /// segments after it: damage there stops the start, and `verify` and `repair` find it,
    /// because they pick the snapshot as recovery does (the newest that reads back whole, not
    /// the newest by name). After the repair the server starts from the older snapshot.
    @Test func withTheNewestSnapshotDamagedVerifyAndRepairReadFromTheOlderOne() async throws {
        let fixture = StoreFixture(segmentSize: 300)
        defer { fixture.directory.remove() }
        let damage = try await damageBetweenSnapshots(fixture)
        let damaged = damage.segments[damage.damaged]
        let newest = fixture.directory.file(DataFileName.snapshot(startLSN: damage.snapshots[1].startLSN))
        #expect(truncate(newest, 40) == 0)

        #expect(throws: StorageError.corruption(file: damaged, offset: damage.frameOffset, reason: "checksum mismatch")) { try fixture.open() }
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 2)
        #expect(verification.text.contains("\npassed over a damaged snapshot, as recovery does: \(newest)"), "\(verification.text)")
        let report = try repair(fixture)
        #expect(report.damages.map(\.file) == [damaged])
        #expect(report.skippedSnapshots.count == 1)
        #expect(report.text.hasPrefix("repaired corruption in \(damaged) at byte offset \(damage.frameOffset)"), "\(report.text)")
        #expect(report.text.hasSuffix("\npassed over a damaged snapshot, as recovery does: \(report.skippedSnapshots[0])"), "\(report.text)")
        #expect(report.skippedSnapshots[0].description.contains(newest))
        // The snapshot is still there, and still damaged: a second repair finds the log clean
        // and says so, and why it read from the older snapshot.
        let again = try repair(fixture)
        #expect(again.damages.isEmpty && again.backups.isEmpty)
        #expect(again.text == "the write-ahead log is clean; nothing to repair (last LSN \(report.lastLSN))\npassed over a damaged snapshot, as recovery does: \(report.skippedSnapshots[0])")
        #expect(try await taskCount(of: damage.userID, fixture) >= 6, "the older snapshot's tasks at least")
    }

    @Test func verifyReportsATornTailWithExitCodeOne() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let size = try POSIXFileSystem().fileSize(segment)
        #expect(truncate(segment, off_t(size - 5)) == 0)
        let verification = try WALInspection(directory: fixture.directory.path).verify()
        #expect(verification.exitCode == 1)
        #expect(verification.text.hasPrefix("torn tail: \(segment)"))
    }

    /// A frame can pass its checksum and still not belong where it is (a writer's bug, or a
    /// frame of another log): its first LSN must follow the frame before, or the records
    /// would be replayed under other LSNs.
    @Test func aFrameWhoseLSNDoesNotFollowIsCorruptionThoughItsChecksumHolds() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (_, segment) = try await writeFiveFrames(fixture)
        let frames = try FrameMap(file: segment).frames
        try FrameRewriter.rewrite(segment, frameAt: frames[2].offset) { header, _ in header.firstLSN += 1 }

        #expect(throws: StorageError.corruption(file: segment, offset: frames[2].offset, reason: "frame starts at LSN 4, expected 3")) {
            try fixture.open()
        }
    }

    /// Five frames and a snapshot of them, then bit rot in the fourth that `wal repair` cuts the
    /// log at: it ends at LSN 3, below the snapshot's 5. The user the tasks belong to.
    private func repairedBelowTheSnapshot(_ fixture: StoreFixture, fileSystem: any FileSystem = POSIXFileSystem()) async throws -> UserID {
        let (userID, segment) = try await writeFiveFrames(fixture)
        let store = try fixture.open()
        #expect(try await store.snapshotNow()?.startLSN == 5)
        await store.close()
        let frames = try FrameMap(file: segment).frames
        try flipByte(in: segment, at: frames[3].offset + FrameHeader.size + 3)
        #expect(throws: StorageError.self) { try fixture.open() }
        #expect(try repair(fixture, fileSystem: fileSystem).lastLSN == 3)
        return userID
    }

    /// Bit rot in a frame that the newest snapshot holds: the start refuses, `wal repair` cuts
    /// the log there, and the log now ends before the snapshot. Writes after it must go into a
    /// new segment that starts after the snapshot: appended to the cut one, they would leave a
    /// gap in its LSNs, which the next start would take for corruption.
    @Test func writesAfterARepairThatCutTheLogBelowTheSnapshotSurviveTheNextStart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let userID = try await repairedBelowTheSnapshot(fixture)

        var store = try fixture.open()
        _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after repair")))
        await store.close()
        #expect(fixture.segmentNames().last == DataFileName.segment(firstLSN: 6))
        store = try fixture.open()
        #expect(try await store.acknowledged(await store.user(userID).read { $0.tasks.count }) == 6)
        await store.close()
    }

    /// The segment that start makes is in the directory for good before anything is written to
    /// it: nothing after it would sync the directory (the history id and the run marker are
    /// there already), and a power cut would take the segment and its acknowledged writes.
    @Test func theSegmentAStartMakesBeyondTheLogOutlivesAPowerCut() async throws {
        let (fixture, fileSystem) = StoreFixture.faultInjecting()
        defer { fixture.directory.remove() }
        let userID = try await repairedBelowTheSnapshot(fixture, fileSystem: fileSystem)
        // Dropped without `close`, as a process that loses power.
        try await {
            let store = try fixture.open()
            _ = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "after repair")))
        }()
        #expect(fixture.segmentNames().last == DataFileName.segment(firstLSN: 6))

        fileSystem.simulatePowerLoss()
        let reopened = try fixture.open()
        #expect(try await reopened.acknowledged(await reopened.user(userID).read { $0.tasks.count }) == 6)
        await reopened.close()
    }

    /// A snapshot a crash left half written (`.snap.tmp`) is removed at the next start.
    @Test func aStartRemovesASnapshotACrashLeftUnpublished() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        await (try fixture.open()).close()
        let leftover = fixture.directory.file(DataFileName.snapshot(startLSN: 7) + ".tmp")
        try Data("half a snapshot".utf8).write(to: URL(fileURLWithPath: leftover))
        let store = try fixture.open()
        #expect(!FileManager.default.fileExists(atPath: leftover))
        await store.close()
    }
}

@Suite struct WALDumpTests {
    @Test func dumpPrintsOneFlatJSONObjectPerRecordWithoutCredentials() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = try await store.acknowledged(await store.accounts.register(email: "a@example.com", passwordHash: "$2b$12$secrethash", fullName: nil))
        _ = try await store.acknowledged(await store.accounts.startRefreshFamily(for: user.id, digest: SampleEvents.digest, expiresAt: Timestamp(milliseconds: 9)))
        _ = try await store.acknowledged(await store.user(user.id).createTask(TaskDraft(title: "Write report", categoryName: "Work"), idempotencyKey: "k1"))
        await store.close()

        var lines: [String] = []
        let damage = try WALInspection(directory: fixture.directory.path).dump { lines.append($0) }
        #expect(damage == nil)
        #expect(lines.count == 4)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.map { $0["type"] as? String } == ["user_registered", "refresh_family_started", "category_created", "task_created"])
        #expect(objects.map { $0["lsn"] as? Int } == [1, 2, 3, 4])
        #expect(objects[3]["idempotency_key"] as? String == "k1")
        #expect(!lines.joined().contains("secrethash"))
        #expect(objects[0]["user_id"] == nil && (objects[0]["user"] as? [String: Any])?["id"] as? String == user.id.uuidString.lowercased())
    }

    /// Every kind of record in the API's words, so that an id or a time copied from an answer
    /// finds its records: snake_case keys at every level, lowercase ids, RFC 3339 times in UTC.
    @Test func everyKindOfRecordIsDumpedWithTheAPIsKeysIdsAndTimes() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let pruned = WALEvent.user(SampleEvents.user, .pruned(idempotencyKeysBefore: Timestamp(milliseconds: 1_795_000_000_000), tombstonesThrough: 5))
        // Raw events straight into the log: the dump reads records, it applies none.
        try await store.wal.waitUntilAcknowledged(try store.wal.append(SampleEvents.all + [pruned]))
        await store.close()

        var lines: [String] = []
        #expect(try WALInspection(directory: fixture.directory.path).dump { lines.append($0) } == nil)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["type"] as? String } == [
            "user_registered", "user_registered", "refresh_family_started", "refresh_token_rotated", "refresh_family_revoked",
            "task_created", "task_created", "task_updated", "task_deleted", "category_created", "category_renamed", "category_deleted", "pruned",
        ])
        func keys(_ value: Any) -> [String] {
            if let object = value as? [String: Any] { return object.keys + object.values.flatMap(keys) }
            return (value as? [Any])?.flatMap(keys) ?? []
        }
        let unlike = Set(objects.flatMap(keys)).filter { !$0.allSatisfy { $0.isLowercase || $0 == "_" } }
        #expect(unlike.isEmpty, "keys not in snake_case: \(unlike.sorted())")
        #expect(Set(objects.flatMap(keys)).isDisjoint(with: ["password_hash", "digest", "passwordHash"]))
        #expect(!lines.joined().contains("$2b$12$"))

        func id(_ value: UUID) -> String { value.uuidString.lowercased() }
        let task = try #require(objects[5]["task"] as? [String: Any])
        #expect(objects[5]["user_id"] as? String == id(SampleEvents.user))
        #expect(objects[5]["idempotency_key"] as? String == "key/1")
        #expect(lines[5].contains(#""idempotency_key":"key/1""#), "a slash as written, not as \\/: found by a search for the key")
        #expect(task["id"] as? String == id(SampleEvents.task.id))
        #expect(task["category_id"] as? String == id(SampleEvents.task.categoryID!))
        #expect(task["due_date"] as? String == "2026-11-30T00:53:20.123Z")
        #expect(task["created_at"] as? String == "2026-11-18T11:06:40.000Z")
        #expect(task["completed_at"] as? String == "2026-11-18T11:08:20.000Z")
        #expect(task["status"] as? String == "in_progress" && task["priority"] as? String == "high")
        #expect(task["version"] as? Int == 7 && task["change_sequence"] as? Int == 42)
        #expect(task["description"] as? String == "Ünïcødé and\nnewlines")
        let bare = try #require(objects[6]["task"] as? [String: Any])
        #expect(bare["created_at"] as? String == "1969-12-31T23:59:59.995Z")
        #expect(bare["due_date"] == nil && bare["category_id"] == nil && objects[6]["idempotency_key"] == nil)
        #expect(objects[2]["expires_at"] as? String == "1970-01-01T00:00:00.003Z")
        // Past year 9999 RFC 3339 has no text for it: the milliseconds, exactly.
        #expect((objects[3]["expires_at"] as? NSNumber)?.int64Value == Int64.max)
        #expect(objects[8]["at"] as? String == "1970-01-01T00:00:00.009Z")
        #expect((objects[9]["category"] as? [String: Any])?["created_at"] as? String == "1970-01-01T00:00:00.010Z")
        #expect(objects[10]["name"] as? String == "Ärger")
        #expect(objects[12]["idempotency_keys_before"] as? String == "2026-11-18T11:06:40.000Z")
        #expect(objects[12]["tombstones_through"] as? Int == 5)
    }
}

@Suite struct CorruptionMessageTests {
    /// `wal repair` mends WAL segments only: damage anywhere else (a snapshot, which recovery
    /// skips, or a backup archive) names the file and offset without sending anyone there.
    @Test func onlyADamagedSegmentPointsAtWALRepair() {
        let segment = StorageError.corruption(file: "/d/\(DataFileName.segment(firstLSN: 7))", offset: 96, reason: "checksum mismatch")
        #expect(segment.description.hasPrefix("corrupt write-ahead log: /d/wal-00000000000000000007.log at byte offset 96: checksum mismatch"))
        #expect(segment.description.contains("taskd wal repair"))
        let snapshot = StorageError.corruption(file: "/d/\(DataFileName.snapshot(startLSN: 7))", offset: 359, reason: "checksum mismatch")
        #expect(snapshot.description == "/d/snapshot-00000000000000000007.snap is damaged at byte offset 359: checksum mismatch")
        // A name that only looks like a segment's (not 20 digits) is no segment.
        let stray = StorageError.corruption(file: "/d/wal-7.log", offset: 0, reason: "checksum mismatch")
        #expect(stray.description == "/d/wal-7.log is damaged at byte offset 0: checksum mismatch")
    }

    /// The records missing are named as a range that ends just before the oldest segment's first.
    @Test func missingRecordsNameTheRangeNoSegmentHolds() {
        let missing = StorageError.missingRecords(file: "/d/wal-00000000000000000010.log", needed: 4, oldest: 10)
        #expect(missing.description.hasPrefix(
            "the write-ahead log must hold LSN 4 on, but its oldest segment, /d/wal-00000000000000000010.log, starts at LSN 10: records 4 to 9 are in no segment"))
    }

    /// Only the names the store writes, with their 20 digits, are segments and snapshots: a
    /// stray `wal-7.log` or a copy's `wal-….log.bak` is left alone by recovery.
    @Test func onlyNamesWithTwentyDigitsAreDataFiles() {
        #expect(DataFileName.segmentLSN(DataFileName.segment(firstLSN: 7)) == 7)
        #expect(DataFileName.snapshotLSN(DataFileName.snapshot(startLSN: 12)) == 12)
        for name in ["wal-7.log", "wal-000000000000000000007.log", "wal-00000000000000000007.log.bak", "snapshot-7.snap", "wal-0000000000000000000x.log"] {
            #expect(DataFileName.segmentLSN(name) == nil && DataFileName.snapshotLSN(name) == nil, "\(name)")
        }
    }
}

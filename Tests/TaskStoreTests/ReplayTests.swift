import Testing
import TaskStoreTestSupport
@testable import TaskStore

/// A random command sequence over many users, applied live, must give exactly the same state
/// after a restart, however the restart is made.
@Suite struct ReplayTests {
    @Test func restartFromTheWALAloneGivesTheLiveState() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 40, in: store)
        let acknowledged = try await workload.run(commands: 3000, streams: 16, seed: 1)
        let live = try await workload.states()
        await store.close()
        #expect(acknowledged > 2000)
        #expect(live.taskCount > 300)

        let reopened = try fixture.open()
        let recovered = try await RandomWorkload(store: reopened, userIDs: workload.userIDs).states()
        #expect(reopened.recoveredRecords >= acknowledged)
        #expect(recovered.firstDifference(from: live) == nil)
        await reopened.close()
    }

    @Test func restartFromSnapshotPlusWALGivesTheLiveState() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 40, in: store)
        try await workload.run(commands: 1500, streams: 8, seed: 2)
        let report = try #require(try await store.snapshotNow())
        try await workload.run(commands: 1500, streams: 8, seed: 3)
        let live = try await workload.states()
        let totalLSN = store.wal.lastAssignedLSN
        await store.close()

        let reopened = try fixture.open()
        let recovered = try await RandomWorkload(store: reopened, userIDs: workload.userIDs).states()
        // Only what came after the snapshot was replayed.
        #expect(reopened.recoveredRecords <= Int(totalLSN - report.startLSN))
        #expect(recovered.firstDifference(from: live) == nil)
        await reopened.close()
    }

    @Test func severalSnapshotCyclesAndRestartsKeepTheLiveState() async throws {
        var fixture = StoreFixture()
        fixture.snapshotEvery = 400
        fixture.segmentSize = 16 << 10
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let workload = try await RandomWorkload.registering(users: 30, in: store)
        var userIDs = workload.userIDs
        var snapshotsSeen = Set<String>()
        for round in 0..<4 {
            try await RandomWorkload(store: store, userIDs: userIDs).run(commands: 1200, streams: 8, seed: 10 + UInt64(round))
            // Let the background snapshotter catch up with what was written.
            for _ in 0..<100 where store.wal.lastAssignedLSN - ((await store.lastSnapshot)?.startLSN ?? 0) >= 400 {
                try await Task.sleep(for: .milliseconds(50))
            }
            snapshotsSeen.formUnion(fixture.snapshotNames())
            let live = try await RandomWorkload(store: store, userIDs: userIDs).states()
            await store.close()
            #expect(fixture.snapshotNames().count <= 2, "old snapshots are deleted")
            store = try fixture.open()
            let recovered = try await RandomWorkload(store: store, userIDs: userIDs).states()
            #expect(recovered.firstDifference(from: live) == nil, "round \(round)")
            userIDs = workload.userIDs
        }
        #expect(snapshotsSeen.count >= 4, "snapshots were taken in the background: \(snapshotsSeen)")
        // Segments that snapshots cover were deleted: the log did not keep everything.
        let firstSegment = try #require(fixture.segmentNames().first.flatMap(DataFileName.segmentLSN))
        #expect(firstSegment > 1)
        await store.close()
    }
}

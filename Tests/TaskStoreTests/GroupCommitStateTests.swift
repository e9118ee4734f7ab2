import Testing
import TaskStoreTestSupport
@testable import TaskStore

/// The group-commit bookkeeping, without threads or files.
@Suite struct GroupCommitStateTests {
    private let event = SampleEvents.all[0]

    @Test func underAlwaysWaitersAreReadyOnlyOnceSynced() throws {
        var state = GroupCommitState<String>(lastLSN: 10, acknowledgesAfterSync: true)
        #expect(try state.enqueue([event, event]) == 12)
        guard case .waiting = state.wait(for: 12, needsSync: false, "a") else { Issue.record("12 is not synced yet"); return }
        var batch: [WALEvent] = []
        #expect(state.takeBatch(limit: 100, into: &batch) == 11)
        #expect(batch.count == 2)
        #expect(state.recordWritten(through: 12).isEmpty, "written is not enough under always")
        #expect(state.recordSynced(through: 12) == ["a"])
        guard case .ready = state.wait(for: 12, needsSync: false, "b") else { Issue.record("12 is synced"); return }
    }

    @Test func underEverysecWaitersAreReadyOnceWrittenButSyncWaitersWaitForFsync() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: false)
        _ = try state.enqueue([event])
        _ = state.wait(for: 1, needsSync: false, "ack")
        _ = state.wait(for: 1, needsSync: true, "snapshot")
        #expect(!state.syncRequested, "nothing written to sync yet: the writer waits for events, not spins")
        var batch: [WALEvent] = []
        _ = state.takeBatch(limit: 10, into: &batch)
        #expect(state.recordWritten(through: 1) == ["ack"])
        #expect(state.syncRequested)
        #expect(state.recordSynced(through: 1) == ["snapshot"])
        #expect(!state.syncRequested)
    }

    @Test func batchesTakeAtMostTheLimitInLSNOrder() throws {
        let events = (0..<5).map { SampleEvents.all[$0 % SampleEvents.all.count] }
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: true)
        _ = try state.enqueue(events)
        var batch: [WALEvent] = []
        #expect(state.takeBatch(limit: 3, into: &batch) == 1)
        #expect(batch == Array(events[..<3]))
        batch.removeAll()
        #expect(state.takeBatch(limit: 3, into: &batch) == 4)
        #expect(batch == Array(events[3...]))
        #expect(!state.hasQueuedEvents)
    }

    /// Taking every queued event hands the writer the queue's array and gives the queue the
    /// writer's emptied one: after the first batches, enqueueing allocates nothing.
    @Test func takingEverythingSwapsTheArraysSoBothKeepTheirCapacity() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: true)
        var batch: [WALEvent] = []
        batch.reserveCapacity(64)
        let writersBuffer = batch.withUnsafeBufferPointer { $0.baseAddress }
        _ = try state.enqueue([event, event])
        #expect(state.takeBatch(limit: 100, into: &batch) == 1)
        #expect(batch.count == 2)
        _ = try state.enqueue([event])
        batch.removeAll(keepingCapacity: true)
        #expect(state.takeBatch(limit: 1, into: &batch) == 3, "exactly the limit is everything too")
        #expect(batch.withUnsafeBufferPointer { $0.baseAddress } == writersBuffer, "the queue filled the writer's old array")
    }

    /// What was acknowledged before a failure stays acknowledged: reads of it are still served.
    @Test func afterAFailureEveryWaiterIsReturnedAndNothingMoreIsAccepted() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: true)
        _ = try state.enqueue([event])
        var batch: [WALEvent] = []
        _ = state.takeBatch(limit: 10, into: &batch)
        _ = state.recordWritten(through: 1)
        _ = state.recordSynced(through: 1)
        _ = try state.enqueue([event, event])
        _ = state.wait(for: 2, needsSync: false, "a")
        _ = state.wait(for: 3, needsSync: false, "b")
        let failed = state.fail(.io(operation: "fdatasync", path: "wal", errno: 5))
        #expect(failed.sorted() == ["a", "b"])
        #expect(state.acknowledgedLSN == 1)
        #expect(throws: StorageError.self) { try state.enqueue([event]) }
        guard case .failed = state.wait(for: 3, needsSync: false, "c") else { Issue.record("must fail"); return }
        guard case .ready = state.wait(for: 1, needsSync: false, "d") else { Issue.record("1 was acknowledged"); return }
    }
}

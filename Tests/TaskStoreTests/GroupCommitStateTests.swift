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
        let batch = state.takeBatch(limit: 100)
        #expect(batch.firstLSN == 11 && batch.events.count == 2)
        #expect(state.recordWritten(through: 12).isEmpty, "written is not enough under always")
        #expect(state.recordSynced(through: 12) == ["a"])
        guard case .ready = state.wait(for: 12, needsSync: false, "b") else { Issue.record("12 is synced"); return }
    }

    @Test func underEverysecWaitersAreReadyOnceWrittenButSyncWaitersWaitForFsync() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: false)
        _ = try state.enqueue([event])
        _ = state.wait(for: 1, needsSync: false, "ack")
        _ = state.wait(for: 1, needsSync: true, "snapshot")
        _ = state.takeBatch(limit: 10)
        #expect(state.recordWritten(through: 1) == ["ack"])
        #expect(state.syncRequested)
        #expect(state.recordSynced(through: 1) == ["snapshot"])
        #expect(!state.syncRequested)
    }

    @Test func batchesTakeAtMostTheLimitInLSNOrder() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: true)
        _ = try state.enqueue(Array(repeating: event, count: 5))
        #expect(state.takeBatch(limit: 3).firstLSN == 1)
        let rest = state.takeBatch(limit: 3)
        #expect(rest.firstLSN == 4 && rest.events.count == 2)
        #expect(!state.hasQueuedEvents)
    }

    @Test func afterAFailureEveryWaiterIsReturnedAndNothingMoreIsAccepted() throws {
        var state = GroupCommitState<String>(lastLSN: 0, acknowledgesAfterSync: true)
        _ = try state.enqueue([event, event])
        _ = state.wait(for: 1, needsSync: false, "a")
        _ = state.wait(for: 2, needsSync: false, "b")
        let failed = state.fail(.io(operation: "fdatasync", path: "wal", errno: 5))
        #expect(failed.sorted() == ["a", "b"])
        #expect(state.acknowledgedLSN == 0)
        #expect(throws: StorageError.self) { try state.enqueue([event]) }
        guard case .failed = state.wait(for: 2, needsSync: false, "c") else { Issue.record("must fail"); return }
    }
}

/// The WAL's bookkeeping as a value type, tested without I/O: which LSNs are assigned, taken by
/// the writer, written and synced, and who waits for what. The WAL keeps it under its lock.
struct GroupCommitState<Waiter> {
    enum WaitDecision {
        case ready
        case failed(StorageError)
        case waiting
    }

    /// Under `always`, an LSN is acknowledged once synced; otherwise once written.
    let acknowledgesAfterSync: Bool
    private(set) var lastAssignedLSN: LSN
    private(set) var takenLSN: LSN
    private(set) var writtenLSN: LSN
    private(set) var syncedLSN: LSN
    private(set) var failure: StorageError?
    /// Events after `takenLSN`, in LSN order.
    private var queue: [WALEvent] = []
    private var waiters: [(lsn: LSN, needsSync: Bool, waiter: Waiter)] = []

    init(lastLSN: LSN, acknowledgesAfterSync: Bool) {
        self.acknowledgesAfterSync = acknowledgesAfterSync
        lastAssignedLSN = lastLSN
        takenLSN = lastLSN
        writtenLSN = lastLSN
        syncedLSN = lastLSN
    }

    var acknowledgedLSN: LSN { acknowledgesAfterSync ? syncedLSN : writtenLSN }
    var hasQueuedEvents: Bool { !queue.isEmpty }
    var isDirty: Bool { writtenLSN > syncedLSN }
    /// Someone waits for an fsync of what is already written.
    var syncRequested: Bool { waiters.contains { $0.needsSync && $0.lsn <= writtenLSN && $0.lsn > syncedLSN } }

    /// Gives the events the next LSNs; returns the last. Refused once the WAL has failed.
    mutating func enqueue(_ events: [WALEvent]) throws(StorageError) -> LSN {
        if let failure { throw StorageError.walFailed(cause: failure.description) }
        queue.append(contentsOf: events)
        lastAssignedLSN += LSN(events.count)
        return lastAssignedLSN
    }

    /// Moves up to `limit` queued events into `batch`, which the writer has emptied, and returns
    /// the LSN of the first. Taking them all swaps the two arrays, so each keeps its capacity and
    /// a batch allocates nothing: a fresh queue regrew from one element, under the lock, each time.
    mutating func takeBatch(limit: Int, into batch: inout [WALEvent]) -> LSN {
        precondition(batch.isEmpty, "the writer empties its batch before taking the next")
        let firstLSN = takenLSN + 1
        if queue.count <= limit {
            swap(&queue, &batch)
        } else {
            batch.append(contentsOf: queue[..<limit])
            queue.removeFirst(limit)
        }
        takenLSN += LSN(batch.count)
        return firstLSN
    }

    /// Registers `waiter` to be resumed once `lsn` is acknowledged (or synced, if `needsSync`).
    mutating func wait(for lsn: LSN, needsSync: Bool, _ waiter: Waiter) -> WaitDecision {
        if lsn <= (needsSync ? syncedLSN : acknowledgedLSN) { return .ready }
        if let failure { return .failed(.walFailed(cause: failure.description)) }
        waiters.append((lsn, needsSync, waiter))
        return .waiting
    }

    mutating func recordWritten(through lsn: LSN) -> [Waiter] {
        writtenLSN = lsn
        return takeSatisfiedWaiters()
    }

    mutating func recordSynced(through lsn: LSN) -> [Waiter] {
        syncedLSN = lsn
        return takeSatisfiedWaiters()
    }

    /// From now on nothing more is acknowledged; returns every waiter, to be failed.
    mutating func fail(_ error: StorageError) -> [Waiter] {
        if failure == nil { failure = error }
        queue = []
        defer { waiters = [] }
        return waiters.map(\.waiter)
    }

    private mutating func takeSatisfiedWaiters() -> [Waiter] {
        var ready: [Waiter] = []
        let (synced, acknowledged) = (syncedLSN, acknowledgedLSN)
        waiters.removeAll { entry in
            let satisfied = entry.lsn <= (entry.needsSync ? synced : acknowledged)
            if satisfied { ready.append(entry.waiter) }
            return satisfied
        }
        return ready
    }
}

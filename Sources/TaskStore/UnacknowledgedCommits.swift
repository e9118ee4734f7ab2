/// The commits of one user the WAL has not acknowledged yet: for each, the change-sequence
/// position it ended at and its LSN. A read of one task waits only for the commit that last
/// changed that task, not for the user's latest write, so reads of other tasks are not held
/// behind writes still waiting for their fsync.
struct UnacknowledgedCommits {
    private var commits: [(endPosition: UInt64, lsn: LSN)] = []
    /// Positions up to here belong to commits the WAL has acknowledged.
    private var acknowledgedThrough: UInt64 = 0

    var isEmpty: Bool { commits.isEmpty }

    /// Call after each commit of one or more events, in commit order.
    mutating func record(endPosition: UInt64, lsn: LSN, acknowledged: LSN) {
        forget(through: acknowledged)
        commits.append((endPosition, lsn))
    }

    /// The LSN to await before showing what the change at `position` made; 0 when it is durable.
    mutating func lsn(ofChangeAt position: UInt64, acknowledged: LSN) -> LSN {
        forget(through: acknowledged)
        guard position > acknowledgedThrough else { return 0 }
        // A commit owns the positions after the previous commit's end, through its own end.
        return commits.first { $0.endPosition >= position }?.lsn ?? 0
    }

    /// After a WAL failure the state is rolled back to what was acknowledged: nothing is pending.
    mutating func removeAll() {
        commits.removeAll()
    }

    private mutating func forget(through acknowledged: LSN) {
        let done = commits.prefix { $0.lsn <= acknowledged }.count
        guard done > 0 else { return }
        acknowledgedThrough = max(acknowledgedThrough, commits[done - 1].endPosition)
        commits.removeFirst(done)
    }
}

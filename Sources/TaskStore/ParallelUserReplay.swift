import Foundation

/// Applies replayed user events on several threads, each owning the users whose id hashes to
/// it. A user's events stay in LSN order (one owner, batches in order), and no event reads
/// another user's state, so the result equals a one-thread replay; replay is memory-bound, and
/// this puts the second core to work on it.
final class ParallelUserReplay {
    private let workers: [Worker]
    private var pending: [[(LSN, UserID, UserEvent)]]
    private let batchSize = 4096

    init(users: [UserID: UserState], threads: Int = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))) {
        var partitions = Array(repeating: [UserID: UserState](), count: threads)
        for (id, state) in users { partitions[Self.partition(of: id, among: threads)][id] = state }
        workers = partitions.map(Worker.init)
        pending = Array(repeating: [], count: threads)
    }

    func apply(_ event: UserEvent, of userID: UserID, lsn: LSN) {
        let index = Self.partition(of: userID, among: workers.count)
        pending[index].append((lsn, userID, event))
        if pending[index].count >= batchSize {
            workers[index].submit(pending[index])
            pending[index] = []
            pending[index].reserveCapacity(batchSize)
        }
    }

    /// Waits for every worker and returns all users' states.
    func finish() -> [UserID: UserState] {
        for (index, batch) in pending.enumerated() where !batch.isEmpty { workers[index].submit(batch) }
        pending = []
        return workers.reduce(into: [:]) { users, worker in users.merge(worker.finish()) { _, new in new } }
    }

    private static func partition(of id: UserID, among count: Int) -> Int { Int(id.uuid.15) % count }

    private final class Worker: @unchecked Sendable {
        private let condition = NSCondition()
        /// Guarded by `condition`.
        private var queue: [[(LSN, UserID, UserEvent)]] = []
        private var closed = false
        private var done = false
        /// Owned by the worker thread until `done`.
        private var users: [UserID: UserState]

        init(_ users: [UserID: UserState]) {
            self.users = users
            DedicatedThread.start(named: "taskd-replay") { [self] in run() }
        }

        func submit(_ batch: [(LSN, UserID, UserEvent)]) {
            condition.lock()
            // A few batches in flight at most, so decoding cannot run far ahead in memory.
            while queue.count >= 4 { condition.wait() }
            queue.append(batch)
            condition.broadcast()
            condition.unlock()
        }

        func finish() -> [UserID: UserState] {
            condition.lock()
            closed = true
            condition.broadcast()
            while !done { condition.wait() }
            condition.unlock()
            return users
        }

        /// A user first met in the log: its tasks load in bulk (see `TaskTable.beginBulkLoad`).
        private static func replayedState(_ userID: UserID) -> UserState {
            var state = UserState(userID: userID)
            state.tasks.beginBulkLoad()
            return state
        }

        private func run() {
            var noUndo = UndoLog<UserUndoEntry>(recording: false)
            while true {
                condition.lock()
                while queue.isEmpty && !closed { condition.wait() }
                if queue.isEmpty {
                    // By index, in place: iterating `keys` would copy the dictionary to mutate it.
                    var index = users.startIndex
                    while index != users.endIndex {
                        users.values[index].tasks.endBulkLoad()
                        index = users.index(after: index)
                    }
                    done = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let batch = queue.removeFirst()
                condition.broadcast()
                condition.unlock()
                for (lsn, userID, event) in batch {
                    users[userID, default: Self.replayedState(userID)].applyIfNewer(event, lsn: lsn, undo: &noUndo)
                }
            }
        }
    }
}

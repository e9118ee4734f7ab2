/// Owns one user's tasks and categories. Every change goes through the WAL in the same turn
/// as it is applied, so the state's order is the log's order.
public actor UserActor {
    public nonisolated let userID: UserID
    private var logged: LoggedState<UserState>
    private var state: UserState { logged.state }
    private var unacknowledged = UnacknowledgedCommits()
    private let wal: WriteAheadLog
    private let clock: @Sendable () -> Timestamp

    init(state: UserState, wal: WriteAheadLog, clock: @escaping @Sendable () -> Timestamp) {
        userID = state.userID
        logged = LoggedState(state, wal: wal, record: { [userID = state.userID] in .user(userID, $0) })
        self.wal = wal
        self.clock = clock
    }

    /// Reads the state as of the latest event; await `TaskStore.acknowledged` before answering.
    public func read<Value: Sendable>(_ body: (UserState) throws -> Value) rethrows -> Committed<Value> {
        settle()
        return Committed(value: try body(state), lsn: state.lastAppliedLSN)
    }

    /// Reads one task as of the latest event. The LSN to await is that of the commit that last
    /// changed the task (its category's renames included), so the read does not wait for other
    /// tasks' writes; a task that is not there awaits the latest event, which may be its delete.
    public func readTask(_ id: TaskID) -> Committed<TaskView?> {
        settle()
        guard let task = state.tasks[id] else { return Committed(value: nil, lsn: state.lastAppliedLSN) }
        // A user with nothing in flight (most reads) needs no look at the WAL, and so no lock.
        let lsn = unacknowledged.isEmpty ? 0 : unacknowledged.lsn(ofChangeAt: task.changeSequence, acknowledged: wal.acknowledgedLSN)
        return Committed(value: state.view(of: task), lsn: lsn)
    }

    /// Creates a task, or returns the first answer of an earlier create with the same
    /// idempotency key within 24 hours.
    public func createTask(_ draft: TaskDraft, idempotencyKey: String? = nil) throws -> Committed<TaskCreation> {
        settle()
        let decided = decided()
        if let idempotencyKey, let earlier = state.idempotencyRecords[idempotencyKey], earlier.isLive(at: decided.now) {
            let first = TaskView(task: earlier.task, categoryName: earlier.categoryName)
            return Committed(value: TaskCreation(view: first, isReplay: true), lsn: state.lastAppliedLSN)
        }
        let events = state.createTask(draft, idempotencyKey: idempotencyKey, decided: decided)
        let lsn = try commit(events)
        guard case .taskCreated(let task, _) = events.last, let stored = state.tasks[task.id] else {
            preconditionFailure("createTask must end with the task's creation")
        }
        return Committed(value: TaskCreation(view: state.view(of: stored), isReplay: false), lsn: lsn)
    }

    /// Returns the updated task (unchanged, with no event, when the patch changes nothing).
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, ifVersion expected: VersionPrecondition? = nil) throws -> Committed<TaskView> {
        settle()
        let lsn = try commit(try state.updateTask(id, patch, ifVersion: expected, decided: decided()))
        return Committed(value: state.view(of: state.tasks[id]!), lsn: lsn)
    }

    public func deleteTask(_ id: TaskID, ifVersion expected: VersionPrecondition? = nil) throws -> Committed<Void> {
        settle()
        return Committed(value: (), lsn: try commit(try state.deleteTask(id, ifVersion: expected, decided: decided())))
    }

    public func createCategory(named name: String) throws -> Committed<CategoryRecord> {
        settle()
        let events = try state.createCategory(named: name, decided: decided())
        let lsn = try commit(events)
        guard case .categoryCreated(let category) = events.first else { preconditionFailure("createCategory emits its creation") }
        return Committed(value: state.categories[category.id]!, lsn: lsn)
    }

    public func renameCategory(_ id: CategoryID, to name: String) throws -> Committed<CategoryRecord> {
        settle()
        let lsn = try commit(try state.renameCategory(id, to: name, decided: decided()))
        return Committed(value: state.categories[id]!, lsn: lsn)
    }

    public func deleteCategory(_ id: CategoryID) throws -> Committed<Void> {
        settle()
        return Committed(value: (), lsn: try commit(try state.deleteCategory(id, decided: decided())))
    }

    var taskCount: Int { state.tasks.count }

    /// Drops undo entries the WAL has acknowledged. Commands do it as they come; an idle user's
    /// actor would otherwise keep what its last write overwrote (a prune: every record it dropped).
    func releaseAcknowledged() { settle() }

    /// Forgets expired idempotency keys and old tombstones; true if anything was.
    func prune(tombstoneRetention: Int64) throws -> Committed<Bool> {
        settle()
        let events = state.prune(at: clock(), tombstoneRetention: tombstoneRetention)
        return Committed(value: !events.isEmpty, lsn: try commit(events))
    }

    /// A copy for a snapshot (cheap: the state is a value type).
    func snapshotState() -> UserState {
        settle()
        return state
    }

    private func decided() -> DecidedValues { DecidedValues(now: clock()) }

    private func commit(_ events: [UserEvent]) throws(StorageError) -> LSN {
        let lsn = try logged.commit(events)
        if !events.isEmpty { unacknowledged.record(endPosition: state.changeSequence, lsn: lsn, acknowledged: wal.acknowledgedLSN) }
        return lsn
    }

    private func settle() {
        logged.settle()
        if !unacknowledged.isEmpty, wal.acknowledgement.failed { unacknowledged.removeAll() }
    }
}

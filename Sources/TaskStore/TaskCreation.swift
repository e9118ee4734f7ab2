/// What `POST /tasks` did: created the task, or found that an earlier create with the same
/// idempotency key (within 24 hours) already had, and returned that first answer.
public struct TaskCreation: Sendable, Equatable {
    public var view: TaskView
    /// Nothing was created now; `view` is the first answer.
    public var isReplay: Bool

    public var task: TaskRecord { view.task }
}

/// A change to one user's tasks and categories. Each carries every value the command decided
/// (ids, timestamps, versions), so `UserState.apply` never consults a clock or a random source.
public enum UserEvent: Hashable, Sendable {
    /// `task.changeSequence` is ignored: apply assigns the next position in the feed.
    case taskCreated(TaskRecord, idempotencyKey: String?)
    /// The task's whole new state (the version and `updatedAt` already advanced).
    case taskUpdated(TaskRecord)
    case taskDeleted(TaskID, at: Timestamp)
    case categoryCreated(CategoryRecord)
    case categoryRenamed(CategoryID, name: String, at: Timestamp)
    /// The category's tasks stay, uncategorized; each of them gets a new version.
    case categoryDeleted(CategoryID, at: Timestamp)
    /// Forgets idempotency keys created before the first time, and the feed's tombstones up to
    /// the change sequence (a `/sync` cursor before it then gets 410 Gone).
    case pruned(idempotencyKeysBefore: Timestamp, tombstonesThrough: UInt64)
}

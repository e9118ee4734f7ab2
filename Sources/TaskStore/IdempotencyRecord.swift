/// The first answer to a `POST /tasks` with an `Idempotency-Key`: a repeat returns `task` as it
/// was created and creates nothing.
public struct IdempotencyRecord: Hashable, Sendable, Codable {
    public var key: String
    public var task: TaskRecord
    public var createdAt: Timestamp

    public init(key: String, task: TaskRecord, createdAt: Timestamp) {
        self.key = key
        self.task = task
        self.createdAt = createdAt
    }
}

/// The first answer to a `POST /tasks` with an `Idempotency-Key`: a repeat within 24 hours
/// returns `task` (with `categoryName`) as it was created, and creates nothing.
public struct IdempotencyRecord: Hashable, Sendable {
    /// How long a key is remembered.
    public static let window: Int64 = 24 * 60 * 60

    public var key: String
    public var task: TaskRecord
    public var categoryName: String?
    public var createdAt: Timestamp

    public init(key: String, task: TaskRecord, categoryName: String?, createdAt: Timestamp) {
        self.key = key
        self.task = task
        self.categoryName = categoryName
        self.createdAt = createdAt
    }

    public func isLive(at now: Timestamp) -> Bool { now < createdAt.adding(seconds: Self.window) }
}

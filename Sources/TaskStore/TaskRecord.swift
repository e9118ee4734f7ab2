/// Where a task stands. Raw values are the API's strings.
public enum TaskStatus: String, Sendable, CaseIterable {
    case todo, inProgress = "in_progress", done
}

/// Raw values are the API's strings; `rank` orders low < medium < high.
public enum TaskPriority: String, Sendable, CaseIterable {
    case low, medium, high

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }
}

/// One task as stored: every field the API shows, plus its place in the user's change feed.
public struct TaskRecord: Hashable, Sendable {
    public var id: TaskID
    public var title: String
    public var description: String?
    public var status: TaskStatus
    public var priority: TaskPriority
    public var dueDate: Timestamp?
    public var categoryID: CategoryID?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var completedAt: Timestamp?
    /// Starts at 1 and grows by one on every change; the ETag.
    public var version: UInt32
    /// The user's change-feed position of this task's latest change (`/sync` cursors compare with it).
    public var changeSequence: UInt64

    public init(
        id: TaskID, title: String, description: String?, status: TaskStatus, priority: TaskPriority,
        dueDate: Timestamp?, categoryID: CategoryID?, createdAt: Timestamp, updatedAt: Timestamp,
        completedAt: Timestamp?, version: UInt32, changeSequence: UInt64
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.dueDate = dueDate
        self.categoryID = categoryID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.version = version
        self.changeSequence = changeSequence
    }
}

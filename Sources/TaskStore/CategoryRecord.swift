/// One of a user's categories. `taskCount` is kept by `apply`, so listing categories costs no scan.
public struct CategoryRecord: Hashable, Sendable {
    public var id: CategoryID
    public var name: String
    public var createdAt: Timestamp
    public var taskCount: Int
    public var changeSequence: UInt64

    public init(id: CategoryID, name: String, createdAt: Timestamp, taskCount: Int, changeSequence: UInt64) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.taskCount = taskCount
        self.changeSequence = changeSequence
    }

    /// Category names are unique per user without regard to case.
    static func foldedName(_ name: String) -> FoldedName { FoldedName(name) }
}

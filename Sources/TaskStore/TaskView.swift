/// A task as the API shows it: the record and its category's current name.
public struct TaskView: Sendable, Equatable {
    public var task: TaskRecord
    public var categoryName: String?

    public init(task: TaskRecord, categoryName: String?) {
        self.task = task
        self.categoryName = categoryName
    }
}

extension UserState {
    public func view(of task: TaskRecord) -> TaskView {
        TaskView(task: task, categoryName: task.categoryID.flatMap { categories[$0]?.name })
    }
}

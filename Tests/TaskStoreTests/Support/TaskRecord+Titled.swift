import Foundation
@testable import TaskStore

extension TaskRecord {
    /// A new to-do task with only a title, created at time 0: for tests of how records are
    /// stored, where no other field matters.
    static func titled(_ title: String) -> TaskRecord {
        TaskRecord(
            id: TaskID(), title: title, description: nil, status: .todo, priority: .medium, dueDate: nil, categoryID: nil,
            createdAt: Timestamp(milliseconds: 0), updatedAt: Timestamp(milliseconds: 0), completedAt: nil, version: 1, changeSequence: 0)
    }
}

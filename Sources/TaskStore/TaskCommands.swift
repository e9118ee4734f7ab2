/// The fields of a new task, already validated and trimmed by the caller.
public struct TaskDraft: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var status: TaskStatus
    public var priority: TaskPriority
    public var dueDate: Timestamp?
    public var categoryName: String?

    public init(
        title: String, description: String? = nil, status: TaskStatus = .todo, priority: TaskPriority = .medium,
        dueDate: Timestamp? = nil, categoryName: String? = nil
    ) {
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.dueDate = dueDate
        self.categoryName = categoryName
    }
}

/// A partial update of a task; only the fields that are `.set` change.
public struct TaskPatch: Sendable, Equatable {
    public var title: FieldUpdate<String> = .unchanged
    public var description: FieldUpdate<String?> = .unchanged
    public var status: FieldUpdate<TaskStatus> = .unchanged
    public var priority: FieldUpdate<TaskPriority> = .unchanged
    public var dueDate: FieldUpdate<Timestamp?> = .unchanged
    /// `.set(nil)` removes the category.
    public var categoryName: FieldUpdate<String?> = .unchanged

    public init() {}
}

/// Values a command may need that must not be decided inside `apply`.
public struct DecidedValues: Sendable {
    public var now: Timestamp
    public var newID: @Sendable () -> UUID

    public init(now: Timestamp, newID: @escaping @Sendable () -> UUID = { RandomUUID.next() }) {
        self.now = now
        self.newID = newID
    }
}

/// The command handlers: each checks a command against the state and returns the events that
/// carry it out, or the reason it is refused. They never change the state themselves.
extension UserState {
    public func createTask(_ draft: TaskDraft, idempotencyKey: String?, decided: DecidedValues) -> [UserEvent] {
        var events: [UserEvent] = []
        var categoryID: CategoryID?
        if let name = draft.categoryName { categoryID = self.categoryID(named: name, creatingInto: &events, decided: decided) }
        let task = TaskRecord(
            id: decided.newID(), title: draft.title, description: draft.description, status: draft.status,
            priority: draft.priority, dueDate: draft.dueDate, categoryID: categoryID, createdAt: decided.now,
            updatedAt: decided.now, completedAt: draft.status == .done ? decided.now : nil, version: 1,
            changeSequence: 0)
        events.append(.taskCreated(task, idempotencyKey: idempotencyKey))
        return events
    }

    public func updateTask(
        _ id: TaskID, _ patch: TaskPatch, ifVersion expected: VersionPrecondition?, decided: DecidedValues
    ) throws(DomainError) -> [UserEvent] {
        let current = try existingTask(id, ifVersion: expected)
        var events: [UserEvent] = []
        var task = current
        task.title = patch.title.applied(to: task.title)
        task.description = patch.description.applied(to: task.description)
        task.status = patch.status.applied(to: task.status)
        task.priority = patch.priority.applied(to: task.priority)
        task.dueDate = patch.dueDate.applied(to: task.dueDate)
        if case .set(let name) = patch.categoryName {
            task.categoryID = nil
            if let name { task.categoryID = categoryID(named: name, creatingInto: &events, decided: decided) }
        }
        if task.status != current.status {
            task.completedAt = task.status == .done ? decided.now : nil
        }
        guard task != current else { return [] }
        task.version += 1
        task.updatedAt = decided.now
        events.append(.taskUpdated(task))
        return events
    }

    public func deleteTask(_ id: TaskID, ifVersion expected: VersionPrecondition?, decided: DecidedValues) throws(DomainError) -> [UserEvent] {
        _ = try existingTask(id, ifVersion: expected)
        return [.taskDeleted(id, at: decided.now)]
    }

    public func createCategory(named name: String, decided: DecidedValues) throws(DomainError) -> [UserEvent] {
        if let existing = category(named: name) { throw .categoryNameTaken(existing.name) }
        return [.categoryCreated(CategoryRecord(id: decided.newID(), name: name, createdAt: decided.now, taskCount: 0, changeSequence: 0))]
    }

    public func renameCategory(_ id: CategoryID, to name: String, decided: DecidedValues) throws(DomainError) -> [UserEvent] {
        guard let current = categories[id] else { throw .categoryNotFound }
        if let other = category(named: name), other.id != id { throw .categoryNameTaken(other.name) }
        if current.name == name { return [] }
        return [.categoryRenamed(id, name: name, at: decided.now)]
    }

    public func deleteCategory(_ id: CategoryID, decided: DecidedValues) throws(DomainError) -> [UserEvent] {
        guard categories[id] != nil else { throw .categoryNotFound }
        return [.categoryDeleted(id, at: decided.now)]
    }

    private func existingTask(_ id: TaskID, ifVersion expected: VersionPrecondition?) throws(DomainError) -> TaskRecord {
        guard let task = tasks[id] else { throw .taskNotFound }
        if let expected, !expected.accepts(task.version) { throw .versionMismatch(current: task.version) }
        return task
    }

    /// The id of the user's category of that name (any case), or of a new one whose creation
    /// is appended to `events`.
    private func categoryID(named name: String, creatingInto events: inout [UserEvent], decided: DecidedValues) -> CategoryID {
        if let existing = category(named: name) { return existing.id }
        let created = CategoryRecord(id: decided.newID(), name: name, createdAt: decided.now, taskCount: 0, changeSequence: 0)
        events.append(.categoryCreated(created))
        return created.id
    }
}

import Foundation

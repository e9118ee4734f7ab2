/// Everything one user owns: tasks, categories, the change feed's tombstones and idempotency
/// records. A value type: the actor owns one, a snapshot copies it cheaply.
public struct UserState: Sendable, Equatable {
    public let userID: UserID
    public internal(set) var tasks = TaskTable()
    public internal(set) var categories: [CategoryID: CategoryRecord] = [:]
    /// Folded (lower-cased) name to id: names are unique per user regardless of case.
    var categoryIDByFoldedName: [FoldedName: CategoryID] = [:]
    /// The position of the latest change in this user's feed.
    public internal(set) var changeSequence: UInt64 = 0
    /// Deleted tasks and categories, oldest first.
    public internal(set) var tombstones: [Tombstone] = []
    public internal(set) var idempotencyRecords: [String: IdempotencyRecord] = [:]
    /// Tombstones up to this change sequence are gone: older cursors cannot be served.
    public internal(set) var prunedThroughSequence: UInt64 = 0
    /// The LSN of the latest event applied; recovery skips events at or below it.
    public internal(set) var lastAppliedLSN: LSN = 0

    public init(userID: UserID) { self.userID = userID }

    public func category(named name: String) -> CategoryRecord? {
        categoryIDByFoldedName[CategoryRecord.foldedName(name)].flatMap { categories[$0] }
    }
}

/// One overwritten piece of a `UserState`, to put back on rollback.
public enum UserUndoEntry: Sendable {
    case task(TaskID, TaskRecord?)
    case category(CategoryID, CategoryRecord?)
    case categoryName(FoldedName, CategoryID?)
    /// A task joined or left the category: its count moved by `delta` and it got a new feed position.
    case taskCount(CategoryID, delta: Int, previousSequence: UInt64)
    case changeSequence(UInt64)
    case tombstoneCount(Int)
    case idempotency(String, IdempotencyRecord?)
    case lastAppliedLSN(LSN)
    case prunedThroughSequence(UInt64)
    case tombstones([Tombstone])
}

extension UserState {
    /// The one function that changes a user's state, used live and by replay alike.
    public mutating func apply(_ event: UserEvent, lsn: LSN, undo: inout UndoLog<UserUndoEntry>) {
        undo.currentLSN = lsn
        undo.record(.lastAppliedLSN(lastAppliedLSN))
        lastAppliedLSN = lsn
        switch event {
        case .taskCreated(var task, let key):
            task.changeSequence = nextChangeSequence(&undo)
            setTask(task, undo: &undo)
            if let key {
                undo.record(.idempotency(key, idempotencyRecords[key]))
                idempotencyRecords[key] = IdempotencyRecord(
                    key: key, task: task, categoryName: task.categoryID.flatMap { categories[$0]?.name }, createdAt: task.createdAt)
            }
        case .taskUpdated(var task):
            task.changeSequence = nextChangeSequence(&undo)
            setTask(task, undo: &undo)
        case .taskDeleted(let id, let at):
            guard tasks[id] != nil else { return }
            removeTask(id, undo: &undo)
            addTombstone(.task, id: id, at: at, undo: &undo)
        case .categoryCreated(var category):
            category.taskCount = 0
            category.changeSequence = nextChangeSequence(&undo)
            setCategory(category, undo: &undo)
            setCategoryName(CategoryRecord.foldedName(category.name), category.id, undo: &undo)
        case .categoryRenamed(let id, let name, _):
            guard var category = categories[id] else { return }
            setCategoryName(CategoryRecord.foldedName(category.name), nil, undo: &undo)
            category.name = name
            category.changeSequence = nextChangeSequence(&undo)
            setCategory(category, undo: &undo)
            setCategoryName(CategoryRecord.foldedName(name), id, undo: &undo)
            // Its tasks show the category's name: they move in the feed (their version, which
            // counts changes to the task itself, stays).
            for var task in tasksSorted(inCategory: id) {
                task.changeSequence = nextChangeSequence(&undo)
                setTask(task, undo: &undo)
            }
        case .categoryDeleted(let id, let at):
            guard let category = categories[id] else { return }
            for var task in tasksSorted(inCategory: id) {
                task.categoryID = nil
                task.version += 1
                task.updatedAt = at
                task.changeSequence = nextChangeSequence(&undo)
                setTask(task, undo: &undo)
            }
            setCategoryName(CategoryRecord.foldedName(category.name), nil, undo: &undo)
            undo.record(.category(id, category))
            categories[id] = nil
            addTombstone(.category, id: id, at: at, undo: &undo)
        case .pruned(let keysBefore, let through):
            // Rebuilt rather than removed from: a dictionary never gives back its storage.
            let kept = idempotencyRecords.filter { $0.value.createdAt >= keysBefore }
            if kept.count != idempotencyRecords.count {
                for (key, record) in idempotencyRecords where record.createdAt < keysBefore { undo.record(.idempotency(key, record)) }
                idempotencyRecords = kept
            }
            let live = tombstones.drop { $0.changeSequence <= through }
            if live.count != tombstones.count {
                undo.record(.tombstones(tombstones))
                tombstones = Array(live)
            }
            undo.record(.prunedThroughSequence(prunedThroughSequence))
            prunedThroughSequence = max(prunedThroughSequence, through)
        }
    }

    /// Applies `event` unless this state (loaded from a snapshot) already holds it.
    mutating func applyIfNewer(_ event: UserEvent, lsn: LSN, undo: inout UndoLog<UserUndoEntry>) {
        if lsn > lastAppliedLSN { apply(event, lsn: lsn, undo: &undo) }
    }

    /// Puts back what `apply` overwrote, newest first.
    public mutating func rollBack(_ entries: [UserUndoEntry]) {
        for entry in entries {
            switch entry {
            case .task(let id, let task): tasks[id] = task
            case .category(let id, let category): categories[id] = category
            case .categoryName(let name, let id): categoryIDByFoldedName[name] = id
            case .taskCount(let id, let delta, let previousSequence):
                categories[id]?.taskCount -= delta
                categories[id]?.changeSequence = previousSequence
            case .changeSequence(let value): changeSequence = value
            case .tombstoneCount(let count): tombstones.removeLast(tombstones.count - count)
            case .idempotency(let key, let record): idempotencyRecords[key] = record
            case .lastAppliedLSN(let lsn): lastAppliedLSN = lsn
            case .prunedThroughSequence(let sequence): prunedThroughSequence = sequence
            case .tombstones(let all): tombstones = all
            }
        }
    }

    /// Sorted by id, so that live apply and replay give the tasks the same feed positions.
    private func tasksSorted(inCategory id: CategoryID) -> [TaskRecord] {
        tasks.values.filter { $0.categoryID == id }.sorted { $0.id.isOrdered(before: $1.id) }
    }

    private mutating func nextChangeSequence(_ undo: inout UndoLog<UserUndoEntry>) -> UInt64 {
        undo.record(.changeSequence(changeSequence))
        changeSequence += 1
        return changeSequence
    }

    /// Stores `task`, keeping the task counts of the categories it leaves and joins.
    private mutating func setTask(_ task: TaskRecord, undo: inout UndoLog<UserUndoEntry>) {
        let previous = tasks.upsert(task, stamp: undo.currentLSN)
        undo.record(.task(task.id, previous))
        if previous?.categoryID != task.categoryID {
            adjustTaskCount(previous?.categoryID, by: -1, undo: &undo)
            adjustTaskCount(task.categoryID, by: 1, undo: &undo)
        }
    }

    private mutating func removeTask(_ id: TaskID, undo: inout UndoLog<UserUndoEntry>) {
        guard let previous = tasks.remove(id, stamp: undo.currentLSN) else { return }
        undo.record(.task(id, previous))
        adjustTaskCount(previous.categoryID, by: -1, undo: &undo)
    }

    /// In place: copying the record out and back would cost a second lookup and its name's
    /// refcount. The count is part of what `/sync` shows, so the category moves in the feed.
    private mutating func adjustTaskCount(_ id: CategoryID?, by delta: Int, undo: inout UndoLog<UserUndoEntry>) {
        guard let id, let previousSequence = categories[id]?.changeSequence else { return }
        let sequence = nextChangeSequence(&undo)
        categories[id]!.taskCount += delta
        categories[id]!.changeSequence = sequence
        undo.record(.taskCount(id, delta: delta, previousSequence: previousSequence))
    }

    private mutating func setCategory(_ category: CategoryRecord, undo: inout UndoLog<UserUndoEntry>) {
        undo.record(.category(category.id, categories[category.id]))
        categories[category.id] = category
    }

    private mutating func setCategoryName(_ folded: FoldedName, _ id: CategoryID?, undo: inout UndoLog<UserUndoEntry>) {
        undo.record(.categoryName(folded, categoryIDByFoldedName[folded]))
        categoryIDByFoldedName[folded] = id
    }

    private mutating func addTombstone(_ kind: Tombstone.Kind, id: UUID, at: Timestamp, undo: inout UndoLog<UserUndoEntry>) {
        undo.record(.tombstoneCount(tombstones.count))
        tombstones.append(Tombstone(kind: kind, id: id, deletedAt: at, changeSequence: nextChangeSequence(&undo)))
    }
}

import Foundation

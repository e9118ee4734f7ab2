import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Command handlers and `apply`, without I/O: each command's events, the new state, and that
/// the events survive encoding.
@Suite struct UserStateTests {
    private var state = UserState(userID: UserID())
    private var lsn: LSN = 0
    private let decided = DecidedValues(now: Timestamp(milliseconds: 5_000))

    /// Applies `events` as the live path does, after checking each survives the record codec.
    private mutating func run(_ events: [UserEvent]) throws {
        var undo = UndoLog<UserUndoEntry>(recording: false)
        for event in events {
            var writer = BinaryWriter()
            RecordCodec.encode(.user(state.userID, event), into: &writer)
            let decoded = try writer.bytes.withUnsafeBytes { buffer in
                var reader = BinaryReader(buffer)
                return try RecordCodec.decode(from: &reader)
            }
            #expect(decoded == .user(state.userID, event))
            lsn += 1
            state.apply(event, lsn: lsn, undo: &undo)
        }
    }

    @Test mutating func creatingWithANewCategoryNameCreatesItAndCountsTheTask() throws {
        let events = state.createTask(TaskDraft(title: "a", categoryName: "Work"), idempotencyKey: nil, decided: decided)
        #expect(events.count == 2)
        try run(events)
        try run(state.createTask(TaskDraft(title: "b", categoryName: "WORK"), idempotencyKey: nil, decided: decided))
        #expect(state.categories.count == 1)
        #expect(state.category(named: "work")?.taskCount == 2)
    }

    @Test mutating func statusDoneSetsCompletedAtAndLeavingItClearsIt() throws {
        try run(state.createTask(TaskDraft(title: "a"), idempotencyKey: nil, decided: decided))
        let id = state.tasks.keys.first!
        var patch = TaskPatch()
        patch.status = .set(.done)
        try run(try state.updateTask(id, patch, ifVersion: 1, decided: DecidedValues(now: Timestamp(milliseconds: 6_000))))
        #expect(state.tasks[id]?.completedAt == Timestamp(milliseconds: 6_000))
        #expect(state.tasks[id]?.version == 2)
        patch.status = .set(.todo)
        try run(try state.updateTask(id, patch, ifVersion: nil, decided: decided))
        #expect(state.tasks[id]?.completedAt == nil)
        try run(state.createTask(TaskDraft(title: "b", status: .done), idempotencyKey: nil, decided: decided))
        #expect(state.tasks.values.first { $0.title == "b" }?.completedAt == decided.now, "created done: completed when created")
    }

    /// As the old service had it: `completed_at` moves only when the status does.
    @Test mutating func aPatchThatLeavesTheStatusKeepsTheCompletionTime() throws {
        try run(state.createTask(TaskDraft(title: "a", status: .done), idempotencyKey: nil, decided: decided))
        let id = state.tasks.keys.first!
        var patch = TaskPatch()
        patch.title = .set("b")
        patch.status = .set(.done)
        try run(try state.updateTask(id, patch, ifVersion: nil, decided: DecidedValues(now: Timestamp(milliseconds: 9_000))))
        #expect(state.tasks[id]?.completedAt == decided.now)
        #expect(state.tasks[id]?.updatedAt == Timestamp(milliseconds: 9_000))
    }

    @Test mutating func aStaleVersionIsRefusedAndAnEmptyPatchChangesNothing() throws {
        try run(state.createTask(TaskDraft(title: "a"), idempotencyKey: nil, decided: decided))
        let id = state.tasks.keys.first!
        #expect(throws: DomainError.versionMismatch(current: 1)) { try state.updateTask(id, TaskPatch(), ifVersion: 2, decided: decided) }
        #expect(throws: DomainError.versionMismatch(current: 1)) { try state.deleteTask(id, ifVersion: 3, decided: decided) }
        #expect(try state.updateTask(id, TaskPatch(), ifVersion: 1, decided: decided).isEmpty)
        #expect(throws: DomainError.taskNotFound) { try state.deleteTask(TaskID(), ifVersion: nil, decided: decided) }
    }

    @Test mutating func deletingACategoryUncategorizesItsTasksAndLeavesTombstones() throws {
        try run(state.createTask(TaskDraft(title: "a", categoryName: "Work"), idempotencyKey: nil, decided: decided))
        let category = state.categories.values.first!
        let task = state.tasks.values.first!
        try run(try state.deleteCategory(category.id, decided: DecidedValues(now: Timestamp(milliseconds: 8_000))))
        #expect(state.tasks[task.id]?.categoryID == nil)
        #expect(state.tasks[task.id]?.version == 2, "the task changed, so its ETag must")
        #expect(state.tasks[task.id]?.updatedAt == Timestamp(milliseconds: 8_000), "updated when its category went, as in the old service")
        #expect(state.category(named: "work") == nil)
        #expect(state.tombstones.map(\.kind) == [.category])
        try run(try state.deleteTask(task.id, ifVersion: nil, decided: decided))
        #expect(state.tombstones.map(\.kind) == [.category, .task])
        #expect(state.changeSequence == state.tombstones.last?.changeSequence, "the last delete is the newest change")
    }

    /// `task_count` follows every way a task joins or leaves a category, and the category
    /// moves in the change feed whenever its count does.
    @Test mutating func aCategoryCountsTheTasksThatJoinAndLeaveIt() throws {
        try run(try state.createCategory(named: "Work", decided: decided))
        try run(try state.createCategory(named: "Home", decided: decided))
        let (work, home) = (state.category(named: "work")!.id, state.category(named: "home")!.id)
        try run(state.createTask(TaskDraft(title: "a", categoryName: "Work"), idempotencyKey: nil, decided: decided))
        let id = state.tasks.keys.first!
        #expect(state.categories[work]?.taskCount == 1)
        #expect(state.categories[work]?.changeSequence == state.changeSequence, "its count changed last")
        var patch = TaskPatch()
        patch.categoryName = .set("Home")
        try run(try state.updateTask(id, patch, ifVersion: nil, decided: decided))
        #expect(state.categories[work]?.taskCount == 0 && state.categories[home]?.taskCount == 1)
        patch.categoryName = .set(nil)
        try run(try state.updateTask(id, patch, ifVersion: nil, decided: decided))
        #expect(state.categories[home]?.taskCount == 0)
        patch.categoryName = .set("Work")
        try run(try state.updateTask(id, patch, ifVersion: nil, decided: decided))
        #expect(state.categories[work]?.taskCount == 1)
        try run(try state.deleteTask(id, ifVersion: nil, decided: decided))
        #expect(state.categories[work]?.taskCount == 0, "a deleted task leaves its category")
        #expect(state.categories[work]?.changeSequence == state.changeSequence - 1, "moved just before the task's tombstone")
    }

    /// The tasks a rename or delete of their category moves in the feed take their positions in
    /// id order, not in the order the table holds them, which differs between a state built
    /// live and one loaded from a snapshot. Here the table holds them in descending id order.
    @Test mutating func tasksMovedWithTheirCategoryTakeFeedPositionsInIDOrder() throws {
        try run(try state.createCategory(named: "Work", decided: decided))
        let ids = (1...5).map { UUID(uuidString: "00000000-0000-0000-0000-00000000000\($0)")! }
        for id in ids.reversed() {
            try run(state.createTask(TaskDraft(title: "t", categoryName: "Work"), idempotencyKey: nil, decided: DecidedValues(now: decided.now, newID: { id })))
        }
        #expect(state.tasks.keys == ids.reversed())
        func idsInFeedOrder() -> [UUID] { state.tasks.values.sorted { $0.changeSequence < $1.changeSequence }.map(\.id) }
        let category = state.category(named: "work")!.id
        try run(try state.renameCategory(category, to: "Office", decided: decided))
        #expect(idsInFeedOrder() == ids)
        try run(try state.deleteCategory(category, decided: decided))
        #expect(idsInFeedOrder() == ids)
    }

    @Test mutating func categoryNamesAreUniqueRegardlessOfCase() throws {
        try run(try state.createCategory(named: "Work", decided: decided))
        try run(try state.createCategory(named: "Home", decided: decided))
        #expect(throws: DomainError.categoryNameTaken("Work")) { try state.createCategory(named: "wORK", decided: decided) }
        let home = state.category(named: "home")!
        #expect(throws: DomainError.categoryNameTaken("Work")) { try state.renameCategory(home.id, to: "WORK", decided: decided) }
        try run(try state.renameCategory(home.id, to: "House", decided: decided))
        #expect(state.category(named: "home") == nil && state.category(named: "house")?.id == home.id)
        #expect(try state.renameCategory(home.id, to: "House", decided: decided).isEmpty, "its own name: nothing to change or log")
        try run(try state.renameCategory(home.id, to: "HOUSE", decided: decided))
        #expect(state.categories[home.id]?.name == "HOUSE", "a new case of its own name is no clash")
    }

    @Test mutating func rollingBackUndoesEveryKindOfChangeExactly() throws {
        try run(state.createTask(TaskDraft(title: "gone", categoryName: "Work"), idempotencyKey: nil, decided: decided))
        try run(try state.deleteTask(state.tasks.keys.first!, ifVersion: nil, decided: decided))
        try run(state.createTask(TaskDraft(title: "a", categoryName: "Work"), idempotencyKey: "k0", decided: decided))
        let before = state
        #expect(before.tombstones.count == 1)
        var undo = UndoLog<UserUndoEntry>(recording: true)
        let id = state.tasks.keys.first!
        var patch = TaskPatch()
        patch.categoryName = .set("Home")
        // Forgets the tombstone and the key first, so that rolling back must bring them back.
        var events: [UserEvent] = [.pruned(idempotencyKeysBefore: Timestamp(milliseconds: 6_000), tombstonesThrough: state.changeSequence)]
        events += try state.updateTask(id, patch, ifVersion: nil, decided: decided)
        events += state.createTask(TaskDraft(title: "b", categoryName: "Errands"), idempotencyKey: "k1", decided: decided)
        events.append(.categoryDeleted(state.category(named: "Work")!.id, at: decided.now))
        events.append(.taskDeleted(id, at: decided.now))
        for event in events {
            lsn += 1
            state.apply(event, lsn: lsn, undo: &undo)
        }
        #expect(state != before)
        state.rollBack(undo.takeEntries(after: before.lastAppliedLSN))
        #expect(state == before)
    }
}

@Suite struct TaskQueryTests {
    private func state(_ tasks: [TaskRecord], categories: [CategoryRecord] = []) -> UserState {
        var state = UserState(userID: UserID())
        var undo = UndoLog<UserUndoEntry>(recording: false)
        var lsn: LSN = 0
        for category in categories {
            lsn += 1
            state.apply(.categoryCreated(category), lsn: lsn, undo: &undo)
        }
        for task in tasks {
            lsn += 1
            state.apply(.taskCreated(task, idempotencyKey: nil), lsn: lsn, undo: &undo)
        }
        return state
    }

    private func task(_ title: String, created: Int64, due: Int64? = nil, priority: TaskPriority = .medium, status: TaskStatus = .todo, category: CategoryID? = nil, description: String? = nil) -> TaskRecord {
        TaskRecord(
            id: TaskID(), title: title, description: description, status: status, priority: priority, dueDate: due.map { Timestamp(milliseconds: $0) },
            categoryID: category, createdAt: Timestamp(milliseconds: created), updatedAt: Timestamp(milliseconds: created), completedAt: nil, version: 1, changeSequence: 0)
    }

    @Test func defaultsAreNewestFirstTwentyAtATime() {
        let state = state((0..<25).map { task("t\($0)", created: Int64($0)) })
        let page = TaskQuery().run(on: state)
        #expect(page.total == 25 && page.items.count == 20)
        #expect(page.items.first?.title == "t24" && page.items.last?.title == "t5")
    }

    @Test func tasksWithoutADueDateSortLastInBothDirections() {
        let state = state([task("none", created: 1), task("late", created: 2, due: 200), task("early", created: 3, due: 100)])
        var query = TaskQuery()
        query.sort = .dueDate
        query.descending = false
        #expect(query.run(on: state).items.map(\.title) == ["early", "late", "none"])
        query.descending = true
        #expect(query.run(on: state).items.map(\.title) == ["late", "early", "none"])
    }

    @Test func filtersCombineAndDueBoundsAreStrict() {
        let work = CategoryRecord(id: CategoryID(), name: "Work", createdAt: Timestamp(milliseconds: 0), taskCount: 0, changeSequence: 0)
        let state = state(
            [
                task("Report", created: 1, due: 100, priority: .high, category: work.id, description: "quarterly NUMBERS"),
                task("report draft", created: 2, due: 50, priority: .high, status: .done, category: work.id),
                task("Groceries", created: 3, due: 100, priority: .low),
            ], categories: [work])
        var query = TaskQuery()
        query.text = "numbers"
        #expect(query.run(on: state).items.map(\.title) == ["Report"])
        query = TaskQuery()
        query.categoryName = "WORK"
        query.statuses = [.todo, .inProgress]
        #expect(query.run(on: state).items.map(\.title) == ["Report"])
        query = TaskQuery()
        query.dueAfter = Timestamp(milliseconds: 50)
        query.dueBefore = Timestamp(milliseconds: 101)
        query.sort = .title
        query.descending = false
        #expect(query.run(on: state).items.map(\.title) == ["Groceries", "Report"])
        query = TaskQuery()
        query.categoryName = "nothing"
        #expect(query.run(on: state).total == 0)
        query = TaskQuery()
        query.priorities = [.low, .medium]
        #expect(query.run(on: state).items.map(\.title) == ["Groceries"])
        query = TaskQuery()
        query.categoryID = work.id
        query.statuses = [.done]
        #expect(query.run(on: state).items.map(\.title) == ["report draft"])
        query.categoryID = CategoryID()
        #expect(query.run(on: state).total == 0)
    }

    /// An offset past the last match gives an empty page and the total, on every path to a page.
    @Test func anOffsetPastTheMatchesGivesNoItems() {
        let state = state((0..<3).map { task("t\($0)", created: Int64($0)) })
        for sort in TaskQuery.SortField.allCases {
            for filtered in [false, true] {
                var query = TaskQuery()
                query.sort = sort
                query.offset = 5
                if filtered { query.statuses = [.todo] }
                #expect(query.run(on: state) == TaskQuery.Page(items: [], total: 3), "sort \(sort) filtered \(filtered)")
            }
        }
    }

    /// As the service we replace sorted titles (PostgreSQL, C.UTF-8 collation): by code point,
    /// upper case before lower, a decomposed "é" by its "e", and never two spellings as one.
    @Test func titlesSortByCodePoint() {
        let titles = ["éclair", "e\u{301}clair", "Ångström", "Zebra", "apple", "ﬁsh"]
        let state = state(titles.enumerated().map { task($1, created: Int64($0)) })
        var query = TaskQuery()
        query.sort = .title
        query.descending = false
        let expected = ["Zebra", "apple", "e\u{301}clair", "Ångström", "éclair", "ﬁsh"]
        #expect(query.run(on: state).items.map { Array($0.title.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
        query.descending = true
        #expect(query.run(on: state).items.map { Array($0.title.unicodeScalars) } == expected.reversed().map { Array($0.unicodeScalars) })
    }

    @Test func aSmallPageIsTheSameSliceAFullSortGives() {
        var random = SeededGenerator(seed: 42)
        let titles = ["alpha", "Beta", "beta", "gamma", "Delta"]
        let state = state((0..<300).map { _ in
            task(
                titles.randomElement(using: &random)!, created: Int64.random(in: 0..<40, using: &random),
                due: Bool.random(using: &random) ? Int64.random(in: 0..<30, using: &random) : nil,
                priority: TaskPriority.allCases.randomElement(using: &random)!)
        })
        for sort in TaskQuery.SortField.allCases {
            for descending in [false, true] {
                var everything = TaskQuery()
                everything.sort = sort
                everything.descending = descending
                everything.limit = 1000
                let sorted = everything.run(on: state).items.map(\.id)
                #expect(sorted == Self.expectedOrder(of: Array(state.tasks.values), by: sort, descending: descending), "sort \(sort) descending \(descending)")
                for (offset, limit) in [(0, 1), (0, 20), (7, 13), (60, 10), (290, 20), (299, 1)] {
                    var page = everything
                    page.offset = offset
                    page.limit = limit
                    let expected = Array(sorted[offset..<min(offset + limit, sorted.count)])
                    #expect(page.run(on: state).items.map(\.id) == expected, "sort \(sort) descending \(descending) offset \(offset) limit \(limit)")
                }
            }
        }
    }

    @Test func tiesAreBrokenByIdAndPagingCountsEveryMatch() {
        let state = state((0..<5).map { _ in task("same", created: 7) })
        var query = TaskQuery()
        query.limit = 2
        query.offset = 4
        let ids = state.tasks.values.map(\.id).sorted { $0.uuidString.lowercased() < $1.uuidString.lowercased() }
        #expect(query.run(on: state).items.map(\.id) == [ids[4]])
        #expect(query.run(on: state).total == 5)
        query.offset = 10
        #expect(query.run(on: state).items.isEmpty)
    }

    /// API.md's order, reached another way than `TaskQuery`'s comparator: stable sorts from the
    /// last key to the first (id ascending, then the field in its direction, then tasks without
    /// a due date last).
    private static func expectedOrder(of tasks: [TaskRecord], by sort: TaskQuery.SortField, descending: Bool) -> [TaskID] {
        var order = tasks.sorted { $0.id.uuidString.lowercased() < $1.id.uuidString.lowercased() }
        func stableSort<Key: Comparable>(by key: (TaskRecord) -> Key) {
            order.sort { descending ? key($0) > key($1) : key($0) < key($1) }
        }
        switch sort {
        case .createdAt: stableSort { $0.createdAt }
        case .updatedAt: stableSort { $0.updatedAt }
        case .priority: stableSort { ["low": 0, "medium": 1, "high": 2][$0.priority.rawValue]! }
        case .title: stableSort { $0.title.unicodeScalars.reduce("") { $0 + String(format: "%08x", $1.value) } }
        case .dueDate:
            stableSort { $0.dueDate ?? Timestamp(milliseconds: 0) }
            order = order.filter { $0.dueDate != nil } + order.filter { $0.dueDate == nil }
        }
        return order.map(\.id)
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct IdempotencyAndSyncTests {
    @Test func racingUpdatesWithTheSameVersionHaveExactlyOneWinner() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let user = store.user(UserID())
        let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "contended"))).task
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<48 {
                group.addTask {
                    var patch = TaskPatch()
                    patch.title = .set("writer \(index)")
                    do {
                        _ = try await store.acknowledged(await user.updateTask(task.id, patch, ifVersion: 1))
                        return true
                    } catch DomainError.versionMismatch {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
        #expect(try await store.acknowledged(await user.read { $0.tasks[task.id]?.version }) == 2)
        await store.close()
    }

    @Test func aRepeatedKeyCreatesOnceAcrossRestartAndSnapshotUntilItExpires() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let userID = UserID()
        var store = try fixture.open()
        let first = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "once", categoryName: "Work"), idempotencyKey: "k"))
        #expect(!first.isReplay)
        // The category is renamed afterwards: the replay still answers what the first answer said.
        let workID = try #require(first.task.categoryID)
        _ = try await store.acknowledged(await store.user(userID).renameCategory(workID, to: "Office"))
        for round in 0..<3 {
            let repeated = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "twice?"), idempotencyKey: "k"))
            #expect(repeated.isReplay && repeated.view == first.view, "round \(round)")
            if round == 1 { try await store.snapshotNow() }
            await store.close()
            store = try fixture.open()
        }
        #expect(try await store.acknowledged(await store.user(userID).read { $0.tasks.count }) == 1)
        fixture.clock.advance(seconds: IdempotencyRecord.window + 1)
        let afterADay = try await store.acknowledged(await store.user(userID).createTask(TaskDraft(title: "new"), idempotencyKey: "k"))
        #expect(!afterADay.isReplay && afterADay.task.id != first.task.id)
        await store.close()
    }

    /// "Within 24 hours": a key made at `t` is answered from its record until `t` + 24 h, and
    /// from that millisecond on a repeat creates anew.
    @Test func aKeyIsRememberedForTwentyFourHoursAndNotAMillisecondMore() {
        let created = Timestamp(milliseconds: 1_795_000_000_000)
        let task = TaskRecord(
            id: TaskID(), title: "once", description: nil, status: .todo, priority: .medium, dueDate: nil, categoryID: nil,
            createdAt: created, updatedAt: created, completedAt: nil, version: 1, changeSequence: 1)
        let record = IdempotencyRecord(key: "k", task: task, categoryName: nil, createdAt: created)
        let dayLater = created.adding(seconds: IdempotencyRecord.window)
        #expect(record.isLive(at: created) && record.isLive(at: Timestamp(milliseconds: dayLater.milliseconds - 1)))
        #expect(!record.isLive(at: dayLater))
    }

    @Test func pruningForgetsOldKeysAndTombstonesAndOldCursorsAreGone() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let user = store.user(UserID())
        for index in 0..<10 {
            let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "t\(index)"), idempotencyKey: "key-\(index)")).task
            if index % 2 == 0 { _ = try await store.acknowledged(await user.deleteTask(task.id)) }
        }
        let oldCursor = try await store.acknowledged(await user.read { try $0.changes(after: nil).cursor })
        #expect(try await store.acknowledged(await user.read { ($0.idempotencyRecords.count, $0.tombstones.count) }) == (10, 5))
        #expect(await store.housekeepNow() == 0, "nothing has expired yet")

        fixture.clock.advance(seconds: 31 * 24 * 60 * 60)
        _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "fresh"), idempotencyKey: "fresh"))
        #expect(await store.housekeepNow() == 1)
        let after = try await store.acknowledged(await user.read { $0 })
        #expect(Array(after.idempotencyRecords.keys) == ["fresh"] && after.tombstones.isEmpty)
        #expect(throws: ChangeFeed.Failure.cursorGone) { try after.changes(after: 0) }
        #expect(try after.changes(after: oldCursor).changes.count == 1, "a cursor at or after the pruned history still works")
        #expect(try after.changes(after: nil).changes.count == 6, "everything: five tasks and no deletes")

        await store.close()
        store = try fixture.open()
        #expect(try await store.acknowledged(await store.user(after.userID).read { $0 }) == after, "pruning replays")
        await store.close()
    }

    @Test func theFeedPagesInSequenceOrderWithoutRepeats() async throws {
        var state = UserState(userID: UserID())
        var undo = UndoLog<UserUndoEntry>(recording: false)
        var lsn: LSN = 0
        let decided = DecidedValues(now: Timestamp(milliseconds: 1))
        func run(_ events: [UserEvent]) {
            for event in events {
                lsn += 1
                state.apply(event, lsn: lsn, undo: &undo)
            }
        }
        for index in 0..<7 { run(state.createTask(TaskDraft(title: "t\(index)", categoryName: index % 2 == 0 ? "Even" : nil), idempotencyKey: nil, decided: decided)) }
        let first = state.tasks.values.first { $0.title == "t0" }!
        var patch = TaskPatch()
        patch.title = .set("t0 again")
        run(try state.updateTask(first.id, patch, ifVersion: nil, decided: decided))
        let deleted = state.tasks.values.first { $0.title == "t3" }!.id
        run(try state.deleteTask(deleted, ifVersion: nil, decided: decided))
        var seen: [ChangeFeed.Change] = []
        var cursor: UInt64? = nil
        var pages = 0
        repeat {
            let page = try state.changes(after: cursor, limit: 3)
            seen += page.changes
            cursor = page.cursor
            pages += 1
            if !page.hasMore { break }
        } while pages < 10
        #expect(pages == 3)
        #expect(seen.count == 8, "6 live tasks, 1 category, 1 delete: each once")
        #expect(Array(seen.suffix(2)) == [.task(state.view(of: state.tasks[first.id]!)), .taskDeleted(deleted)], "the latest changes come last")
        #expect(try state.changes(after: cursor).changes.isEmpty)
        #expect(try state.changes(after: nil, limit: 8).hasMore == false, "exactly a page: nothing more")
        #expect(try state.changes(after: nil, limit: 7).hasMore)
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Replay hands each thread the events of the users it owns in batches of 4096, a few batches
/// in flight at most. However many batches, and whichever thread owns a user, the states are
/// those that applying every event in order on one thread gives.
@Suite struct ParallelUserReplayTests {
    @Test(arguments: [1, 2, 3])
    func batchesOnEveryThreadGiveTheStatesOfOneThreadInOrder(threads: Int) {
        let users = (0..<5).map { _ in UserID() }
        var rng = SeededGenerator(seed: UInt64(threads))
        var tasks: [UserID: [TaskRecord]] = [:]
        var events: [(UserID, UserEvent)] = []
        // 30,000 events over five users: some thread gets more than one batch of 4096, and
        // with one thread the batches wait for room in its queue.
        for step in 0..<30_000 {
            let user = users[Int(rng.next() % UInt64(users.count))]
            let at = Timestamp(milliseconds: 1_796_000_000_000 + Int64(step))
            let mine = tasks[user, default: []]
            switch mine.isEmpty ? 0 : rng.next() % 10 {
            case 0..<6:
                let task = TaskRecord(
                    id: TaskID(), title: "task \(step)", description: step % 3 == 0 ? "note \(step)" : nil, status: .todo, priority: .medium,
                    dueDate: nil, categoryID: nil, createdAt: at, updatedAt: at, completedAt: nil, version: 1, changeSequence: UInt64(step))
                tasks[user, default: []].append(task)
                events.append((user, .taskCreated(task, idempotencyKey: nil)))
            case 6..<9:
                let index = Int(rng.next() % UInt64(mine.count))
                var task = mine[index]
                task.title += " changed"
                task.status = .done
                task.completedAt = at
                task.updatedAt = at
                task.version += 1
                task.changeSequence = UInt64(step)
                tasks[user]![index] = task
                events.append((user, .taskUpdated(task)))
            default:
                let task = tasks[user]!.remove(at: Int(rng.next() % UInt64(mine.count)))
                events.append((user, .taskDeleted(task.id, at: at)))
            }
        }

        let replay = ParallelUserReplay(users: [:], threads: threads)
        var oneThread: [UserID: UserState] = [:]
        var noUndo = UndoLog<UserUndoEntry>(recording: false)
        for (index, (user, event)) in events.enumerated() {
            replay.apply(event, of: user, lsn: LSN(index + 1))
            oneThread[user, default: UserState(userID: user)].apply(event, lsn: LSN(index + 1), undo: &noUndo)
        }
        let replayed = replay.finish()
        #expect(replayed.count == users.count)
        for (index, user) in users.enumerated() {
            // Not compared inside #expect, which would print both states: thousands of tasks.
            let same = replayed[user] == oneThread[user]
            #expect(same, "user \(index): the state replayed on \(threads) threads differs from one thread's")
            #expect(replayed[user]?.tasks.count == tasks[user]?.count)
        }
    }

    /// A snapshot's start LSN is read before the actors are copied, so a user's state in it can
    /// hold events after that LSN. Replay passes over every event the state holds, its last
    /// one included, and applies the rest.
    @Test func aStateFromASnapshotSkipsEveryEventItHolds() {
        let user = UserID()
        let at = Timestamp(milliseconds: 1_796_000_000_000)
        let work = CategoryRecord(id: CategoryID(), name: "Work", createdAt: at, taskCount: 0, changeSequence: 0)
        let created = TaskRecord(
            id: TaskID(), title: "a", description: nil, status: .todo, priority: .medium, dueDate: nil, categoryID: work.id,
            createdAt: at, updatedAt: at, completedAt: nil, version: 1, changeSequence: 0)
        var updated = created
        updated.title = "b"
        updated.version = 2
        let events: [UserEvent] = [
            .categoryCreated(work), .taskCreated(created, idempotencyKey: nil), .taskUpdated(updated), .taskDeleted(created.id, at: at),
        ]
        var live = UserState(userID: user)
        var snapshotted = live
        var noUndo = UndoLog<UserUndoEntry>(recording: false)
        for (index, event) in events.enumerated() {
            live.apply(event, lsn: LSN(index + 1), undo: &noUndo)
            if index < 3 { snapshotted.apply(event, lsn: LSN(index + 1), undo: &noUndo) }
        }
        // The snapshot started at LSN 1, and its copy of this user holds LSNs 1 to 3.
        let replay = ParallelUserReplay(users: [user: snapshotted], threads: 1)
        for lsn in 2...4 { replay.apply(events[lsn - 1], of: user, lsn: LSN(lsn)) }
        #expect(replay.finish()[user] == live)
    }
}

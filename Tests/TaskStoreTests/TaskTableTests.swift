import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// The table against a plain dictionary, across the records' chunk boundaries (512 a chunk),
/// and as a value: a copy never sees the original's later changes.
@Suite struct TaskTableTests {
    private func created(_ milliseconds: Int64) -> TaskRecord {
        var record = TaskRecord.titled("t")
        record.createdAt = Timestamp(milliseconds: milliseconds)
        return record
    }

    /// The ids of `tasks` in the API's creation order, worked out independently of the index.
    private func creationSorted(_ tasks: some Sequence<TaskRecord>, descending: Bool = false) -> [TaskID] {
        tasks.sorted { a, b in
            a.createdAt != b.createdAt
                ? (descending ? a.createdAt > b.createdAt : a.createdAt < b.createdAt)
                : a.id.uuidString.lowercased() < b.id.uuidString.lowercased()
        }.map(\.id)
    }

    @Test func removingMovesTheLastRecordIntoTheGapAndKeepsEveryLookupRight() {
        var table = TaskTable()
        let tasks = (0..<6).map { TaskRecord.titled("t\($0)") }
        for task in tasks { table[task.id] = task }
        table[tasks[1].id] = nil
        table[tasks[5].id] = nil  // the last one: nothing moves
        table[tasks[0].id] = nil
        var renamed = tasks[4]
        renamed.title = "renamed"
        table[renamed.id] = renamed
        #expect(table.count == 3)
        #expect(table[tasks[1].id] == nil && table[tasks[0].id] == nil && table[tasks[5].id] == nil)
        #expect(table[tasks[2].id] == tasks[2] && table[tasks[3].id] == tasks[3] && table[renamed.id]?.title == "renamed")
        #expect(Set(table.keys) == [tasks[2].id, tasks[3].id, tasks[4].id])
    }

    /// The creation-order index against an independent sort of the table, through inserts,
    /// deletes, updates and upserts, with many tasks created in the same millisecond.
    @Test func creationOrderPagesMatchASortOfTheTable() {
        var random = SeededGenerator(seed: 11)
        var table = TaskTable()
        for round in 0..<600 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5: let record = created(Int64.random(in: 0..<40, using: &random)); table[record.id] = record
            case 5..<7: if let victim = table.values.randomElement(using: &random) { table[victim.id] = nil }
            case 7: if var changed = table.values.randomElement(using: &random) { changed.title = "u\(round)"; table[changed.id] = changed }
            case 8: if var moved = table.values.randomElement(using: &random) { moved.createdAt = Timestamp(milliseconds: Int64.random(in: 0..<40, using: &random)); table.upsert(moved, stamp: 1) }
            default: let record = created(Int64.random(in: 0..<40, using: &random)); table.upsert(record, stamp: 1)
            }
            guard round % 50 == 49 else { continue }
            for descending in [false, true] {
                let expected = creationSorted(table.values, descending: descending)
                #expect(table.creationOrder.count == table.count)
                for (offset, limit) in [(0, 20), (0, 1000), (3, 7), (table.count - 1, 5), (table.count, 5), (0, 0)] {
                    let want = Array(expected[min(offset, expected.count)..<min(offset + limit, expected.count)])
                    #expect(table.creationOrder.page(descending: descending, offset: offset, limit: limit) == want, "round \(round) descending \(descending) offset \(offset) limit \(limit)")
                }
            }
        }
    }

    /// The creation order where it is not simply appended to: a task older than the only one
    /// (the clock stepped back), and a bulk load (recovery's), sorted at its end with ties by id.
    @Test func creationOrderHoldsForAnOlderTaskAndForABulkLoad() {
        var table = TaskTable()
        let newer = created(10)
        let older = created(5)
        table[newer.id] = newer
        table[older.id] = older
        #expect(table.creationOrder.page(descending: false, offset: 0, limit: 10) == [older.id, newer.id])

        var loaded = TaskTable()
        loaded.beginBulkLoad()
        let tasks = (0..<40).map { created($0 % 4 == 0 ? 1 : 7) }
        for task in tasks { loaded[task.id] = task }
        loaded.endBulkLoad()
        #expect(loaded.creationOrder.page(descending: false, offset: 0, limit: 100) == creationSorted(tasks))
    }

    @Test func tablesWithTheSameTasksInAnotherOrderAreEqual() {
        let tasks = (0..<3).map { TaskRecord.titled("t\($0)") }
        var forward = TaskTable()
        var backward = TaskTable()
        for task in tasks { forward[task.id] = task }
        for task in tasks.reversed() { backward[task.id] = task }
        #expect(forward == backward)
        backward[tasks[0].id] = nil
        #expect(forward != backward && backward != forward, "a table is not equal to one with a task more")
    }

    private func record(_ number: Int) -> TaskRecord {
        TaskRecord(
            id: TaskID(), title: "task \(number)", description: number % 3 == 0 ? nil : "about \(number)", status: .todo, priority: .medium,
            dueDate: nil, categoryID: nil, createdAt: Timestamp(milliseconds: Int64(number)), updatedAt: Timestamp(milliseconds: Int64(number)),
            completedAt: nil, version: 1, changeSequence: UInt64(number))
    }

    /// Starting empty, and starting past the size where the id index splits in 64 (8,192), as
    /// a large user's table does, and as a snapshot load's reserved one does.
    @Test(arguments: [0, 8_500, -20_000])
    func insertsReplacementsAndRemovalsMatchADictionaryAcrossChunks(prefilled: Int) {
        var table = TaskTable()
        var expected: [TaskID: TaskRecord] = [:]
        var rng = SeededGenerator(seed: 512)
        var ids: [TaskID] = []
        if prefilled < 0 { table.reserveCapacity(-prefilled) }
        for number in 0..<abs(prefilled) {
            let new = record(100_000 + number)
            table.upsert(new, stamp: 1)
            expected[new.id] = new
            ids.append(new.id)
        }
        for step in 0..<6000 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                let new = record(step)
                table[new.id] = new
                expected[new.id] = new
                ids.append(new.id)
            case 6..<8 where !ids.isEmpty:
                var changed = expected[ids.randomElement(using: &rng)!]!
                changed.title = "changed at \(step)"
                table.upsert(changed, stamp: 1)
                expected[changed.id] = changed
            case 8..<10 where !ids.isEmpty:
                let id = ids.remove(at: Int.random(in: 0..<ids.count, using: &rng))
                table[id] = nil
                expected[id] = nil
            default:
                break
            }
            if step % 500 == 0 || step == 5999 {
                #expect(table.count == expected.count)
                #expect(table.values.count == expected.count)
                #expect(Set(table.values.map(\.id)) == Set(expected.keys))
                #expect(expected.allSatisfy { table[$0.key] == $0.value })
            }
        }
        #expect(table.count > 1024, "the run crossed chunk boundaries: \(table.count)")
        #expect(table == { var rebuilt = TaskTable(); for record in expected.values { rebuilt.upsert(record, stamp: 1) }; return rebuilt }())
        #expect(table.creationOrder.count == table.count)
    }

    @Test func aCopyKeepsItsRecordsWhileTheOriginalChanges() {
        var table = TaskTable()
        for number in 0..<1500 { table.upsert(record(number), stamp: 1) }
        let copy = table
        let before = Array(copy.values)
        var first = table.values[0]
        first.title = "changed"
        table.upsert(first, stamp: 1)
        for record in table.values.suffix(600) { table[record.id] = nil }
        table.upsert(record(9999), stamp: 1)
        #expect(Array(copy.values) == before)
        #expect(copy.values[0].title == "task 0")
        #expect(table.values[0].title == "changed" && table.count == 901)
    }
}

import Foundation

/// A user's task ids in `created_at` order, ties by id, kept up to date as tasks come and go.
/// The default listing (newest first, no filters) reads its page from here instead of
/// visiting every task: a user with 10,000 tasks costs what a user with 20 does.
public struct TaskCreationOrder: Sendable {
    private struct Entry {
        var createdAt: Timestamp
        var id: TaskID

        func precedes(_ other: Entry) -> Bool {
            createdAt != other.createdAt ? createdAt < other.createdAt : id.isOrdered(before: other.id)
        }
    }

    /// Ascending by `created_at`, then by id.
    private var entries: [Entry] = []

    public var count: Int { entries.count }

    init() {}

    /// All of `tasks` at once: one sort instead of an insert per task (a bulk load's way).
    init(_ tasks: some Collection<TaskRecord>) {
        entries = tasks.map { Entry(createdAt: $0.createdAt, id: $0.id) }
        entries.sort { $0.precedes($1) }
    }

    mutating func reserveCapacity(_ capacity: Int) { entries.reserveCapacity(capacity) }

    mutating func insert(_ task: TaskRecord) {
        let entry = Entry(createdAt: task.createdAt, id: task.id)
        // New tasks are nearly always the newest: append without searching.
        if entries.last.map({ $0.precedes(entry) }) ?? true {
            entries.append(entry)
        } else {
            entries.insert(entry, at: firstIndex { entry.precedes($0) })
        }
    }

    mutating func remove(_ task: TaskRecord) {
        let entry = Entry(createdAt: task.createdAt, id: task.id)
        let index = firstIndex { !$0.precedes(entry) }
        guard index < entries.count, entries[index].id == task.id else { return }
        entries.remove(at: index)
    }

    /// The ids of one page in the API's order: `created_at` ascending or descending, ties by id
    /// ascending either way.
    public func page(descending: Bool, offset: Int, limit: Int) -> [TaskID] {
        let offset = max(0, offset)
        guard limit > 0, offset < entries.count else { return [] }
        let wanted = min(entries.count, offset + limit)
        guard descending else { return entries[offset..<wanted].map(\.id) }
        // Newest first: walk back group by group (one `created_at` each), each group by id.
        var ids: [TaskID] = []
        ids.reserveCapacity(wanted)
        var groupEnd = entries.count
        while ids.count < wanted {
            var groupStart = groupEnd - 1
            while groupStart > 0 && entries[groupStart - 1].createdAt == entries[groupEnd - 1].createdAt { groupStart -= 1 }
            for index in groupStart..<groupEnd where ids.count < wanted { ids.append(entries[index].id) }
            groupEnd = groupStart
        }
        return Array(ids[offset...])
    }

    /// The first index whose entry satisfies `isAfter` (false for a prefix, true after it).
    private func firstIndex(where isAfter: (Entry) -> Bool) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(entries[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

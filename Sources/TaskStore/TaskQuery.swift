/// `GET /tasks`: filters, one sort order, and a page. Pure: runs over a `UserState` inside the
/// user's actor, so a listing sees one consistent state.
public struct TaskQuery: Sendable, Equatable {
    public enum SortField: String, Sendable, CaseIterable {
        case createdAt = "created_at", updatedAt = "updated_at", dueDate = "due_date", priority, title
    }

    public var statuses: Set<TaskStatus> = []
    public var priorities: Set<TaskPriority> = []
    /// Matched case-insensitively against the user's category names.
    public var categoryName: String?
    public var categoryID: CategoryID?
    /// A case-insensitive substring of the title or the description.
    public var text: String?
    /// Strict bounds on the due date; tasks without one are left out when either is given.
    public var dueBefore: Timestamp?
    public var dueAfter: Timestamp?
    public var sort: SortField = .createdAt
    public var descending = true
    public var limit = 20
    public var offset = 0

    public init() {}

    /// The page of matching tasks and how many matched in all.
    public struct Page: Sendable, Equatable {
        public var items: [TaskRecord]
        public var total: Int
    }

    public func run(on state: UserState) -> Page {
        if sort == .createdAt && filtersNothing && state.tasks.hasCreationOrder {
            let ids = state.tasks.creationOrder.page(descending: descending, offset: offset, limit: limit)
            return Page(items: ids.map { state.tasks[$0]! }, total: state.tasks.count)
        }
        var categoryFilter: CategoryID??  // nil: no filter; .some(nil): a name that matches no category
        if let categoryName { categoryFilter = .some(state.category(named: categoryName)?.id) }
        let search = text.map(TextSearch.init)
        let tasks = state.tasks.values
        // Indices, not records: sorting moves 8 bytes instead of a 128-byte task and its references.
        let matches = tasks.indices.filter { index in
            let task = tasks[index]
            if !statuses.isEmpty && !statuses.contains(task.status) { return false }
            if !priorities.isEmpty && !priorities.contains(task.priority) { return false }
            if let categoryFilter, task.categoryID == nil || task.categoryID != categoryFilter { return false }
            if let categoryID, task.categoryID != categoryID { return false }
            if dueBefore != nil || dueAfter != nil {
                guard let due = task.dueDate else { return false }
                if let dueBefore, !(due < dueBefore) { return false }
                if let dueAfter, !(due > dueAfter) { return false }
            }
            if let search {
                return search.matches(task.title) || (task.description.map(search.matches) ?? false)
            }
            return true
        }
        let total = matches.count
        let start = min(offset, total)
        let wanted = min(start + limit, total)
        let inOrder = { (x: Int, y: Int) in ordering(tasks[x], tasks[y]) }
        // A page is usually a small part of the matches: keeping the first `wanted` in order costs
        // about one comparison per match, where sorting them all cost n log n (13% of a list).
        let first = wanted * 4 < total ? Self.first(wanted, of: matches, by: inOrder) : matches.sorted(by: inOrder)
        return Page(items: first[start..<wanted].map { tasks[$0] }, total: total)
    }

    /// The first `count` of `candidates` in the order `inOrder` (a strict total order), in order.
    static func first(_ count: Int, of candidates: [Int], by inOrder: (Int, Int) -> Bool) -> [Int] {
        guard count > 0 else { return [] }
        var kept: [Int] = []
        kept.reserveCapacity(count + 1)
        for candidate in candidates {
            if kept.count == count {
                guard inOrder(candidate, kept[count - 1]) else { continue }
                kept.removeLast()
            }
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if inOrder(candidate, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            kept.insert(candidate, at: low)
        }
        return kept
    }

    private var filtersNothing: Bool {
        statuses.isEmpty && priorities.isEmpty && categoryName == nil && categoryID == nil && text == nil && dueBefore == nil && dueAfter == nil
    }

    /// The order of `sort`, ties broken by id ascending; tasks without a due date last either way.
    private func ordering(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
        func ordered<T: Comparable>(_ x: T, _ y: T) -> Bool? {
            x == y ? nil : (descending ? x > y : x < y)
        }
        let decided: Bool?
        switch sort {
        case .createdAt: decided = ordered(a.createdAt, b.createdAt)
        case .updatedAt: decided = ordered(a.updatedAt, b.updatedAt)
        case .priority: decided = ordered(a.priority.rank, b.priority.rank)
        case .title:
            let order = a.title.compareCodePoints(b.title)
            decided = order == 0 ? nil : (descending ? order > 0 : order < 0)
        case .dueDate:
            switch (a.dueDate, b.dueDate) {
            case (nil, nil): decided = nil
            case (nil, _): decided = false
            case (_, nil): decided = true
            case (let x?, let y?): decided = ordered(x, y)
            }
        }
        return decided ?? a.id.isOrdered(before: b.id)
    }
}

import Foundation

extension UUID {
    /// Byte order, as PostgreSQL sorts uuids (and as their lower-case strings sort).
    /// Compared as two big-endian 64-bit halves: a generic byte-by-byte comparison was 6% of a
    /// replay, where every created task goes into its user's creation-order index.
    public func isOrdered(before other: UUID) -> Bool {
        let (a, b) = (halves, other.halves)
        return a.high != b.high ? a.high < b.high : a.low < b.low
    }

    private var halves: (high: UInt64, low: UInt64) {
        withUnsafeBytes(of: uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }
}

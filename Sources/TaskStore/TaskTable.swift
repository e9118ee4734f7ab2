/// A user's tasks, stored densely: the records in chunked arrays and an id-to-position index
/// beside them. A dictionary of records would keep every 128-byte record in a table that is at
/// most three-quarters full; here only the 20-byte index entries are sparse.
public struct TaskTable: Sendable {
    public private(set) var values = TaskRecords()
    private var positions = TaskPositions()
    /// Every change below keeps it in step (rollback included), except during a bulk load.
    public private(set) var creationOrder = TaskCreationOrder()
    /// False while replay or a snapshot fills the table: inserting into each user's index as
    /// its tasks arrive, interleaved with other users', cost a cache miss per task (6% of a
    /// replay); the index is built once when the load ends.
    public private(set) var hasCreationOrder = true

    public init() {}

    public var count: Int { values.count }
    public var keys: [TaskID] { values.map(\.id) }

    /// Setting nil removes the task; the last record moves into its place. What is set here is
    /// `unstamped` (a rollback's change): events change tasks through `upsert` and `remove`.
    public subscript(id: TaskID) -> TaskRecord? {
        get { positions[id].map { values[Int($0)] } }
        set {
            if let newValue {
                upsert(newValue, stamp: TaskRecords.unstamped)
            } else {
                remove(id, stamp: TaskRecords.unstamped)
            }
        }
    }

    /// Stores `record` and returns the one it replaced; a new id costs one hash lookup. The
    /// chunk written is stamped with `stamp`, the LSN of the event that made the change.
    @discardableResult
    mutating func upsert(_ record: TaskRecord, stamp: LSN) -> TaskRecord? {
        let end = Int32(values.count)
        guard let position = positions.updateValue(end, forKey: record.id) else {
            values.append(record, stamp: stamp)
            if hasCreationOrder { creationOrder.insert(record) }
            return nil
        }
        positions[record.id] = position
        let replaced = values[Int(position)]
        if hasCreationOrder && replaced.createdAt != record.createdAt {
            creationOrder.remove(replaced)
            creationOrder.insert(record)
        }
        values.replace(at: Int(position), with: record, stamp: stamp)
        return replaced
    }

    /// Removes the task and returns it; the last record moves into its place, and both chunks
    /// are stamped with `stamp`.
    @discardableResult
    mutating func remove(_ id: TaskID, stamp: LSN) -> TaskRecord? {
        guard let position = positions[id] else { return nil }
        let removed = values[Int(position)]
        if hasCreationOrder { creationOrder.remove(removed) }
        let moved = values.removeLast(stamp: stamp)
        positions[id] = nil
        if moved.id != id {
            values.replace(at: Int(position), with: moved, stamp: stamp)
            positions[moved.id] = position
        }
        return removed
    }

    /// Stops keeping the creation order until `endBulkLoad`.
    mutating func beginBulkLoad() {
        hasCreationOrder = false
        creationOrder = TaskCreationOrder()
    }

    mutating func endBulkLoad() {
        guard !hasCreationOrder else { return }
        creationOrder = TaskCreationOrder(values)
        hasCreationOrder = true
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        values.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        if hasCreationOrder { creationOrder.reserveCapacity(capacity) }
    }
}

extension TaskTable: Equatable {
    /// The same tasks, in any order.
    public static func == (lhs: TaskTable, rhs: TaskTable) -> Bool {
        lhs.count == rhs.count && lhs.values.allSatisfy { rhs[$0.id] == $0 }
    }
}

import Foundation

/// Where each task's record is in `TaskRecords`. One dictionary while a user is small; split by
/// the id's first byte into 64 once it passes 8,192 tasks, so that a write after a snapshot
/// copied the state copies one 64th of the index, not all of it (as `TaskRecords` does for the
/// records). Small users keep one allocation.
struct TaskPositions: Sendable {
    private static let splitThreshold = 8192
    private static let shardCount = 64

    private var shards: [[TaskID: Int32]] = [[:]]

    private func shard(of id: TaskID) -> Int {
        shards.count == 1 ? 0 : Int(id.uuid.0) & (Self.shardCount - 1)
    }

    subscript(id: TaskID) -> Int32? {
        get { shards[shard(of: id)][id] }
        set {
            shards[shard(of: id)][id] = newValue
            if newValue != nil { splitIfLarge() }
        }
    }

    /// Sets the position and returns the one it replaced.
    mutating func updateValue(_ position: Int32, forKey id: TaskID) -> Int32? {
        let replaced = shards[shard(of: id)].updateValue(position, forKey: id)
        if replaced == nil { splitIfLarge() }
        return replaced
    }

    mutating func reserveCapacity(_ capacity: Int) {
        if shards.count == 1 && capacity > Self.splitThreshold { split() }
        let perShard = (capacity + shards.count - 1) / shards.count
        for index in shards.indices { shards[index].reserveCapacity(perShard) }
    }

    private mutating func splitIfLarge() {
        if shards.count == 1 && shards[0].count > Self.splitThreshold { split() }
    }

    private mutating func split() {
        var split = [[TaskID: Int32]](repeating: [:], count: Self.shardCount)
        for (id, position) in shards[0] { split[Int(id.uuid.0) & (Self.shardCount - 1)][id] = position }
        shards = split
    }
}

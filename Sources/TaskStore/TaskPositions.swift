import Foundation

/// Where each task's record is in `TaskRecords`. One dictionary while a user is small; split by
/// the id's first byte into 64 once it passes 8,192 tasks, so that a write after a snapshot
/// copied the state copies one 64th of the index, not all of it (as `TaskRecords` does for the
/// records). The one dictionary is held directly: small users allocate what they did before.
struct TaskPositions: Sendable {
    private static let splitThreshold = 8192
    private static let shardCount = 64

    /// All positions until the split, empty after it.
    private var whole: [TaskID: Int32] = [:]
    /// After the split: the positions of the ids whose first byte is `index` modulo 64.
    private var shards: [[TaskID: Int32]] = []

    private static func shard(of id: TaskID) -> Int { Int(id.uuid.0) & (shardCount - 1) }

    subscript(id: TaskID) -> Int32? {
        get { shards.isEmpty ? whole[id] : shards[Self.shard(of: id)][id] }
        set {
            if shards.isEmpty {
                whole[id] = newValue
                if newValue != nil { splitIfLarge() }
            } else {
                shards[Self.shard(of: id)][id] = newValue
            }
        }
    }

    /// Sets the position and returns the one it replaced.
    mutating func updateValue(_ position: Int32, forKey id: TaskID) -> Int32? {
        guard shards.isEmpty else { return shards[Self.shard(of: id)].updateValue(position, forKey: id) }
        let replaced = whole.updateValue(position, forKey: id)
        if replaced == nil { splitIfLarge() }
        return replaced
    }

    mutating func reserveCapacity(_ capacity: Int) {
        if shards.isEmpty && capacity > Self.splitThreshold { split() }
        if shards.isEmpty {
            whole.reserveCapacity(capacity)
        } else {
            for index in shards.indices { shards[index].reserveCapacity(capacity / Self.shardCount + 1) }
        }
    }

    private mutating func splitIfLarge() {
        if whole.count > Self.splitThreshold { split() }
    }

    private mutating func split() {
        shards = [[TaskID: Int32]](repeating: [:], count: Self.shardCount)
        for (id, position) in whole { shards[Self.shard(of: id)][id] = position }
        whole = [:]
    }
}

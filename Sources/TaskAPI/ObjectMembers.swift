import TaskStore

/// The members of a JSON object or a form as a Python dict gathers them, which is how the old
/// service held (and echoed) both: a repeated key keeps its first place and its last value,
/// and keys compare by exact text. A scan finds a repeat among a request's handful of keys
/// without hashing any; past `scanLimit` keys an index takes over, so that an object of 80,000
/// keys is not 3 billion comparisons (90 s of CPU for a 1 MiB body).
struct ObjectMembers {
    private(set) var members: [(String, JSONValue)] = []
    /// Each key's place, kept only once there are `scanLimit` members.
    private var positions: [ExactText: Int] = [:]
    static let scanLimit = 16

    mutating func set(_ key: String, to value: JSONValue) {
        if members.count == Self.scanLimit && positions.isEmpty {
            for (position, member) in members.enumerated() { positions[ExactText(member.0)] = position }
        }
        let position = positions.isEmpty ? members.firstIndex { $0.0.utf8.elementsEqual(key.utf8) } : positions[ExactText(key)]
        if let position {
            members[position].1 = value
        } else {
            if !positions.isEmpty { positions[ExactText(key)] = members.count }
            members.append((key, value))
        }
    }

    mutating func reserveCapacity(_ count: Int) { members.reserveCapacity(count) }
}

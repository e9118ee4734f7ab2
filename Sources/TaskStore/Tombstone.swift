import Foundation

/// What a deleted task or category leaves in the user's change feed, so that `/sync`
/// clients learn of the delete.
public struct Tombstone: Hashable, Sendable {
    public enum Kind: UInt8, Sendable {
        case task = 1
        case category = 2
    }

    public var kind: Kind
    public var id: UUID
    public var deletedAt: Timestamp
    public var changeSequence: UInt64

    public init(kind: Kind, id: UUID, deletedAt: Timestamp, changeSequence: UInt64) {
        self.kind = kind
        self.id = id
        self.deletedAt = deletedAt
        self.changeSequence = changeSequence
    }
}


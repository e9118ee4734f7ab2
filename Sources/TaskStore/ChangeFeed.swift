/// `/sync`: what changed in a user's tasks and categories after a cursor, oldest first. A
/// cursor is a position in the user's change sequence; each task and category carries the
/// position of its latest change, and deletes leave tombstones, so the feed gives every
/// entity's current state once, and every delete.
public enum ChangeFeed {
    public enum Change: Sendable, Equatable {
        case task(TaskView)
        case category(CategoryRecord)
        case taskDeleted(TaskID)
        case categoryDeleted(CategoryID)
    }

    public struct Page: Sendable, Equatable {
        public var changes: [Change]
        /// Where the next request starts.
        public var cursor: UInt64
        public var hasMore: Bool
    }

    public enum Failure: Error, Equatable {
        /// The cursor is older than the retained tombstones (or not one this user was given):
        /// the client must start over without one.
        case cursorGone
    }

    public static let pageLimit = 500
}

extension UserState {
    /// The changes after `cursor` (nil: everything the state holds), at most `limit` of them.
    public func changes(after cursor: UInt64?, limit: Int = ChangeFeed.pageLimit) throws(ChangeFeed.Failure) -> ChangeFeed.Page {
        if let cursor, cursor < prunedThroughSequence || cursor > changeSequence { throw .cursorGone }
        let after = cursor ?? 0
        var found: [(UInt64, ChangeFeed.Change)] = []
        for task in tasks.values where task.changeSequence > after { found.append((task.changeSequence, .task(view(of: task)))) }
        for category in categories.values where category.changeSequence > after { found.append((category.changeSequence, .category(category))) }
        for tombstone in tombstones.reversed() {
            guard tombstone.changeSequence > after else { break }  // oldest first: stop at the cursor
            found.append((tombstone.changeSequence, tombstone.kind == .task ? .taskDeleted(tombstone.id) : .categoryDeleted(tombstone.id)))
        }
        found.sort { $0.0 < $1.0 }
        guard found.count > limit else {
            return ChangeFeed.Page(changes: found.map(\.1), cursor: changeSequence, hasMore: false)
        }
        let page = found.prefix(limit)
        return ChangeFeed.Page(changes: page.map(\.1), cursor: page.last!.0, hasMore: true)
    }

    /// The event that forgets idempotency keys older than their 24 hours and tombstones older
    /// than `tombstoneRetention` seconds; none when nothing has expired.
    public func prune(at now: Timestamp, tombstoneRetention: Int64) -> [UserEvent] {
        let keysBefore = now.adding(seconds: -IdempotencyRecord.window)
        let cutoff = now.adding(seconds: -tombstoneRetention)
        let through = max(prunedThroughSequence, tombstones.prefix { $0.deletedAt < cutoff }.last?.changeSequence ?? 0)
        let keysExpired = idempotencyRecords.values.contains { $0.createdAt < keysBefore }
        guard keysExpired || through > prunedThroughSequence else { return [] }
        return [.pruned(idempotencyKeysBefore: keysBefore, tombstonesThrough: through)]
    }
}

import Foundation

/// One WAL record as `taskd wal dump` prints it: one object a line, snake_case keys at every
/// level, and ids and times as the API writes them (lowercase UUIDs; RFC 3339 in UTC with
/// milliseconds), so an id or a time from a client's log or an API answer finds its records
/// with a plain search. Password hashes and token digests are left out: a dump is for reading
/// what happened, not a copy of the credentials.
struct DumpedRecord: Encodable {
    var lsn: LSN
    var event: WALEvent

    private enum Key: String, CodingKey {
        case lsn, type, userID = "user_id", task, category, user, familyID = "family_id", categoryID = "category_id"
        case taskID = "task_id", name, at, expiresAt = "expires_at", idempotencyKey = "idempotency_key"
        case keysBefore = "idempotency_keys_before", tombstonesThrough = "tombstones_through"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(lsn, forKey: .lsn)
        switch event {
        case .account(.userRegistered(let user)):
            try c.encode("user_registered", forKey: .type)
            try c.encode(DumpedUser(user), forKey: .user)
        case .account(.refreshFamilyStarted(let id, let userID, _, let expiresAt)):
            try c.encode("refresh_family_started", forKey: .type)
            try c.encode(DumpedID(id), forKey: .familyID)
            try c.encode(DumpedID(userID), forKey: .userID)
            try c.encode(DumpedTime(expiresAt), forKey: .expiresAt)
        case .account(.refreshTokenRotated(let id, _, let expiresAt)):
            try c.encode("refresh_token_rotated", forKey: .type)
            try c.encode(DumpedID(id), forKey: .familyID)
            try c.encode(DumpedTime(expiresAt), forKey: .expiresAt)
        case .account(.refreshFamilyRevoked(let id)):
            try c.encode("refresh_family_revoked", forKey: .type)
            try c.encode(DumpedID(id), forKey: .familyID)
        case .user(let userID, let event):
            try c.encode(DumpedID(userID), forKey: .userID)
            switch event {
            case .taskCreated(let task, let key):
                try c.encode("task_created", forKey: .type)
                try c.encode(DumpedTask(task), forKey: .task)
                try c.encodeIfPresent(key, forKey: .idempotencyKey)
            case .taskUpdated(let task):
                try c.encode("task_updated", forKey: .type)
                try c.encode(DumpedTask(task), forKey: .task)
            case .taskDeleted(let id, let at):
                try c.encode("task_deleted", forKey: .type)
                try c.encode(DumpedID(id), forKey: .taskID)
                try c.encode(DumpedTime(at), forKey: .at)
            case .categoryCreated(let category):
                try c.encode("category_created", forKey: .type)
                try c.encode(DumpedCategory(category), forKey: .category)
            case .categoryRenamed(let id, let name, let at):
                try c.encode("category_renamed", forKey: .type)
                try c.encode(DumpedID(id), forKey: .categoryID)
                try c.encode(name, forKey: .name)
                try c.encode(DumpedTime(at), forKey: .at)
            case .categoryDeleted(let id, let at):
                try c.encode("category_deleted", forKey: .type)
                try c.encode(DumpedID(id), forKey: .categoryID)
                try c.encode(DumpedTime(at), forKey: .at)
            case .pruned(let keysBefore, let through):
                try c.encode("pruned", forKey: .type)
                try c.encode(DumpedTime(keysBefore), forKey: .keysBefore)
                try c.encode(through, forKey: .tombstonesThrough)
            }
        }
    }
}

/// An id as the API writes it (Foundation's `uuidString` is uppercase).
private struct DumpedID: Encodable {
    var id: UUID
    init(_ id: UUID) { self.id = id }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id.lowercased)
    }
}

/// A time as the API writes it; one outside the four-digit years RFC 3339 text can hold (a
/// refresh token's expiry under a lifetime of millennia) as its milliseconds since 1970.
private struct DumpedTime: Encodable {
    var time: Timestamp
    init(_ time: Timestamp) { self.time = time }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if (RFC3339.earliest...RFC3339.latest).contains(time) {
            try container.encode(RFC3339.format(time))
        } else {
            try container.encode(time.milliseconds)
        }
    }
}

private struct DumpedUser: Encodable {
    var id: DumpedID
    var email: String
    var fullName: String?
    var createdAt: DumpedTime

    init(_ user: UserRecord) {
        id = DumpedID(user.id)
        email = user.email
        fullName = user.fullName
        createdAt = DumpedTime(user.createdAt)
    }

    enum CodingKeys: String, CodingKey { case id, email, fullName = "full_name", createdAt = "created_at" }
}

private struct DumpedTask: Encodable {
    var id: DumpedID
    var title: String
    var description: String?
    var status: String
    var priority: String
    var dueDate: DumpedTime?
    var categoryID: DumpedID?
    var createdAt: DumpedTime
    var updatedAt: DumpedTime
    var completedAt: DumpedTime?
    var version: UInt32
    /// The user's change-feed position of this change, which `/sync` cursors count in.
    var changeSequence: UInt64

    init(_ task: TaskRecord) {
        id = DumpedID(task.id)
        title = task.title
        description = task.description
        status = task.status.rawValue
        priority = task.priority.rawValue
        dueDate = task.dueDate.map(DumpedTime.init)
        categoryID = task.categoryID.map(DumpedID.init)
        createdAt = DumpedTime(task.createdAt)
        updatedAt = DumpedTime(task.updatedAt)
        completedAt = task.completedAt.map(DumpedTime.init)
        version = task.version
        changeSequence = task.changeSequence
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, status, priority, dueDate = "due_date", categoryID = "category_id", createdAt = "created_at"
        case updatedAt = "updated_at", completedAt = "completed_at", version, changeSequence = "change_sequence"
    }
}

private struct DumpedCategory: Encodable {
    var id: DumpedID
    var name: String
    var createdAt: DumpedTime
    var taskCount: Int
    var changeSequence: UInt64

    init(_ category: CategoryRecord) {
        id = DumpedID(category.id)
        name = category.name
        createdAt = DumpedTime(category.createdAt)
        taskCount = category.taskCount
        changeSequence = category.changeSequence
    }

    enum CodingKeys: String, CodingKey {
        case id, name, createdAt = "created_at", taskCount = "task_count", changeSequence = "change_sequence"
    }
}

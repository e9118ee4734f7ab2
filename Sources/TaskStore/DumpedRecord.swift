/// One WAL record as `taskd wal dump` prints it: flat, snake_case, one object a line. Password
/// hashes and token digests are left out: a dump is for reading what happened, not a copy of
/// the credentials.
struct DumpedRecord: Encodable {
    var lsn: LSN
    var event: WALEvent

    private enum Key: String, CodingKey {
        case lsn, type, userID = "user_id", task, category, user, familyID = "family_id", categoryID = "category_id"
        case taskID = "task_id", name, at, expiresAt = "expires_at", idempotencyKey = "idempotency_key"
        case keysBefore = "idempotency_keys_before", tombstonesThrough = "tombstones_through"
    }

    private struct DumpedUser: Encodable {
        var id: UserID
        var email: String
        var fullName: String?
        var createdAt: Timestamp

        enum CodingKeys: String, CodingKey { case id, email, fullName = "full_name", createdAt = "created_at" }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(lsn, forKey: .lsn)
        switch event {
        case .account(.userRegistered(let user)):
            try c.encode("user_registered", forKey: .type)
            try c.encode(DumpedUser(id: user.id, email: user.email, fullName: user.fullName, createdAt: user.createdAt), forKey: .user)
        case .account(.refreshFamilyStarted(let id, let userID, _, let expiresAt)):
            try c.encode("refresh_family_started", forKey: .type)
            try c.encode(id, forKey: .familyID)
            try c.encode(userID, forKey: .userID)
            try c.encode(expiresAt, forKey: .expiresAt)
        case .account(.refreshTokenRotated(let id, _, let expiresAt)):
            try c.encode("refresh_token_rotated", forKey: .type)
            try c.encode(id, forKey: .familyID)
            try c.encode(expiresAt, forKey: .expiresAt)
        case .account(.refreshFamilyRevoked(let id)):
            try c.encode("refresh_family_revoked", forKey: .type)
            try c.encode(id, forKey: .familyID)
        case .user(let userID, let event):
            try c.encode(userID, forKey: .userID)
            switch event {
            case .taskCreated(let task, let key):
                try c.encode("task_created", forKey: .type)
                try c.encode(task, forKey: .task)
                try c.encodeIfPresent(key, forKey: .idempotencyKey)
            case .taskUpdated(let task):
                try c.encode("task_updated", forKey: .type)
                try c.encode(task, forKey: .task)
            case .taskDeleted(let id, let at):
                try c.encode("task_deleted", forKey: .type)
                try c.encode(id, forKey: .taskID)
                try c.encode(at, forKey: .at)
            case .categoryCreated(let category):
                try c.encode("category_created", forKey: .type)
                try c.encode(category, forKey: .category)
            case .categoryRenamed(let id, let name, let at):
                try c.encode("category_renamed", forKey: .type)
                try c.encode(id, forKey: .categoryID)
                try c.encode(name, forKey: .name)
                try c.encode(at, forKey: .at)
            case .categoryDeleted(let id, let at):
                try c.encode("category_deleted", forKey: .type)
                try c.encode(id, forKey: .categoryID)
                try c.encode(at, forKey: .at)
            case .pruned(let keysBefore, let through):
                try c.encode("pruned", forKey: .type)
                try c.encode(keysBefore, forKey: .keysBefore)
                try c.encode(through, forKey: .tombstonesThrough)
            }
        }
    }
}

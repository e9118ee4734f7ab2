import Foundation

/// The binary encoding of WAL records (version 1). A record is its event's type byte and
/// fields; frames add the length prefix and the version byte (see `WALFormat.md`).
enum RecordCodec {
    static let version: UInt8 = 1

    private enum EventType: UInt8 {
        case userRegistered = 1, refreshFamilyStarted, refreshTokenRotated, refreshFamilyRevoked
        case taskCreated = 16, taskUpdated, taskDeleted, categoryCreated, categoryRenamed, categoryDeleted, pruned
    }

    static func encode(_ event: WALEvent, into writer: inout BinaryWriter) {
        switch event {
        case .account(let event): encode(event, into: &writer)
        case .user(let userID, let event):
            encode(event, userID: userID, into: &writer)
        }
    }

    private static func encode(_ event: AccountEvent, into w: inout BinaryWriter) {
        switch event {
        case .userRegistered(let user):
            w.write(EventType.userRegistered.rawValue)
            w.write(user)
        case .refreshFamilyStarted(let id, let userID, let digest, let expiresAt):
            w.write(EventType.refreshFamilyStarted.rawValue)
            w.write(id)
            w.write(userID)
            w.write(digest)
            w.write(expiresAt)
        case .refreshTokenRotated(let id, let digest, let expiresAt):
            w.write(EventType.refreshTokenRotated.rawValue)
            w.write(id)
            w.write(digest)
            w.write(expiresAt)
        case .refreshFamilyRevoked(let id):
            w.write(EventType.refreshFamilyRevoked.rawValue)
            w.write(id)
        }
    }

    private static func encode(_ event: UserEvent, userID: UserID, into w: inout BinaryWriter) {
        func header(_ type: EventType) {
            w.write(type.rawValue)
            w.write(userID)
        }
        switch event {
        case .taskCreated(let task, let key):
            header(.taskCreated)
            w.write(task)
            w.write(optional: key) { $0.write($1) }
        case .taskUpdated(let task):
            header(.taskUpdated)
            w.write(task)
        case .taskDeleted(let id, let at):
            header(.taskDeleted)
            w.write(id)
            w.write(at)
        case .categoryCreated(let category):
            header(.categoryCreated)
            w.write(category)
        case .categoryRenamed(let id, let name, let at):
            header(.categoryRenamed)
            w.write(id)
            w.write(name)
            w.write(at)
        case .categoryDeleted(let id, let at):
            header(.categoryDeleted)
            w.write(id)
            w.write(at)
        case .pruned(let keysBefore, let through):
            header(.pruned)
            w.write(keysBefore)
            w.write(varint: through)
        }
    }

    static func decode(from r: inout BinaryReader) throws(DecodeError) -> WALEvent {
        let typeOffset = r.offset
        guard let type = EventType(rawValue: try r.readByte()) else {
            throw DecodeError(offset: typeOffset, reason: "unknown event type")
        }
        switch type {
        case .userRegistered:
            return .account(.userRegistered(try r.readUser()))
        case .refreshFamilyStarted:
            return .account(.refreshFamilyStarted(try r.readUUID(), userID: try r.readUUID(), digest: try r.readDigest(), expiresAt: try r.readTimestamp()))
        case .refreshTokenRotated:
            return .account(.refreshTokenRotated(try r.readUUID(), digest: try r.readDigest(), expiresAt: try r.readTimestamp()))
        case .refreshFamilyRevoked:
            return .account(.refreshFamilyRevoked(try r.readUUID()))
        case .taskCreated:
            let userID = try r.readUUID()
            let task = try r.readTask()
            return .user(userID, .taskCreated(task, idempotencyKey: try r.readOptional { r throws(DecodeError) in try r.readString() }))
        case .taskUpdated:
            return .user(try r.readUUID(), .taskUpdated(try r.readTask()))
        case .taskDeleted:
            return .user(try r.readUUID(), .taskDeleted(try r.readUUID(), at: try r.readTimestamp()))
        case .categoryCreated:
            return .user(try r.readUUID(), .categoryCreated(try r.readCategory()))
        case .categoryRenamed:
            return .user(try r.readUUID(), .categoryRenamed(try r.readUUID(), name: try r.readString(), at: try r.readTimestamp()))
        case .categoryDeleted:
            return .user(try r.readUUID(), .categoryDeleted(try r.readUUID(), at: try r.readTimestamp()))
        case .pruned:
            return .user(try r.readUUID(), .pruned(idempotencyKeysBefore: try r.readTimestamp(), tombstonesThrough: try r.readVarint()))
        }
    }
}

// Field layouts of the model types, shared by WAL records and snapshots.
extension BinaryWriter {
    mutating func write(_ task: TaskRecord) {
        write(task.id)
        write(task.title)
        write(optional: task.description) { $0.write($1) }
        write(case: task.status)
        write(case: task.priority)
        write(optional: task.dueDate) { $0.write($1) }
        write(optional: task.categoryID) { $0.write($1) }
        write(task.createdAt)
        // Most tasks are written once: store the update time as a (usually zero) delta.
        write(signed: task.updatedAt.milliseconds &- task.createdAt.milliseconds)
        write(optional: task.completedAt) { $0.write($1) }
        write(varint: UInt64(task.version))
        write(varint: task.changeSequence)
    }

    mutating func write(_ category: CategoryRecord) {
        write(category.id)
        write(category.name)
        write(category.createdAt)
        write(category.taskCount)
        write(varint: category.changeSequence)
    }

    mutating func write(_ user: UserRecord) {
        write(user.id)
        write(user.email)
        write(user.passwordHash)
        write(optional: user.fullName) { $0.write($1) }
        write(user.createdAt)
    }

    mutating func write(_ digest: TokenDigest) {
        withUnsafeBytes(of: digest.words) { bytes.append(contentsOf: $0) }
    }
}

extension BinaryReader {
    mutating func readTask() throws(DecodeError) -> TaskRecord {
        let id = try readUUID()
        let title = try readString()
        let description = try readOptional { r throws(DecodeError) in try r.readString() }
        let status = try readCase(TaskStatus.self)
        let priority = try readCase(TaskPriority.self)
        let dueDate = try readOptional { r throws(DecodeError) in try r.readTimestamp() }
        let categoryID = try readOptional { r throws(DecodeError) in try r.readUUID() }
        let createdAt = try readTimestamp()
        let updatedAt = Timestamp(milliseconds: createdAt.milliseconds &+ (try readSigned()))
        let completedAt = try readOptional { r throws(DecodeError) in try r.readTimestamp() }
        return TaskRecord(
            id: id, title: title, description: description, status: status, priority: priority, dueDate: dueDate,
            categoryID: categoryID, createdAt: createdAt, updatedAt: updatedAt, completedAt: completedAt,
            version: try readUInt32(), changeSequence: try readVarint())
    }

    mutating func readCategory() throws(DecodeError) -> CategoryRecord {
        CategoryRecord(
            id: try readUUID(), name: try readString(), createdAt: try readTimestamp(), taskCount: try readInt(),
            changeSequence: try readVarint())
    }

    mutating func readUser() throws(DecodeError) -> UserRecord {
        UserRecord(
            id: try readUUID(), email: try readString(), passwordHash: try readString(),
            fullName: try readOptional { r throws(DecodeError) in try r.readString() }, createdAt: try readTimestamp())
    }

    mutating func readDigest() throws(DecodeError) -> TokenDigest {
        TokenDigest(words: (try readFixed64(), try readFixed64(), try readFixed64(), try readFixed64()))
    }

    mutating func readFixed64() throws(DecodeError) -> UInt64 {
        var value: UInt64 = 0
        for shift in 0..<8 { value |= UInt64(try readByte()) << (UInt64(shift) * 8) }
        return value
    }
}

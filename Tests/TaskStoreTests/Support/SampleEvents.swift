import Foundation
import TaskStoreTestSupport
@testable import TaskStore

/// One event of every kind, with optional fields both present and absent.
enum SampleEvents {
    static let user = UserID()
    static let task = TaskRecord(
        id: TaskID(), title: "Write report ✓", description: "Ünïcødé and\nnewlines", status: .inProgress, priority: .high,
        dueDate: Timestamp(milliseconds: 1_796_000_000_123), categoryID: CategoryID(), createdAt: Timestamp(milliseconds: 1_795_000_000_000),
        updatedAt: Timestamp(milliseconds: 1_795_000_100_000), completedAt: Timestamp(milliseconds: 1_795_000_100_000), version: 7, changeSequence: 42)
    static let bareTask = TaskRecord(
        id: TaskID(), title: "t", description: nil, status: .todo, priority: .low, dueDate: nil, categoryID: nil,
        createdAt: Timestamp(milliseconds: -5), updatedAt: Timestamp(milliseconds: -5), completedAt: nil, version: 1, changeSequence: 0)
    static let digest = TokenDigest(words: (1, .max, 0x0123_4567_89AB_CDEF, 0))

    static let all: [WALEvent] = [
        .account(.userRegistered(UserRecord(id: user, email: "a@example.com", passwordHash: "$2b$12$abc", fullName: "Ada", createdAt: Timestamp(milliseconds: 1)))),
        .account(.userRegistered(UserRecord(id: UserID(), email: "b@example.com", passwordHash: "$2b$12$def", fullName: nil, createdAt: Timestamp(milliseconds: 2)))),
        .account(.refreshFamilyStarted(RefreshFamilyID(), userID: user, digest: digest, expiresAt: Timestamp(milliseconds: 3))),
        .account(.refreshTokenRotated(RefreshFamilyID(), digest: digest, expiresAt: Timestamp(milliseconds: .max))),
        .account(.refreshFamilyRevoked(RefreshFamilyID())),
        .user(user, .taskCreated(task, idempotencyKey: "key/1")),
        .user(user, .taskCreated(bareTask, idempotencyKey: nil)),
        .user(user, .taskUpdated(task)),
        .user(user, .taskDeleted(TaskID(), at: Timestamp(milliseconds: 9))),
        .user(user, .categoryCreated(CategoryRecord(id: CategoryID(), name: "Work", createdAt: Timestamp(milliseconds: 10), taskCount: 0, changeSequence: 0))),
        .user(user, .categoryRenamed(CategoryID(), name: "Ärger", at: Timestamp(milliseconds: 11))),
        .user(user, .categoryDeleted(CategoryID(), at: Timestamp(milliseconds: 12))),
    ]
}

extension TokenDigest {
    /// A digest of four equal words: tokens a test tells apart by one number.
    static func repeating(_ word: UInt64) -> TokenDigest { TokenDigest(words: (word, word, word, word)) }
}

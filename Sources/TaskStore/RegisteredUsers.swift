import Synchronization

/// The users that have an account. Access tokens are checked without an actor hop, so the
/// routes ask here, not the accounts actor, whether a verified token still names someone: a
/// data directory restored from an older backup keeps its signing key, and so honours tokens
/// of users registered after that backup, who are not in it.
final class RegisteredUsers: Sendable {
    private let ids: Mutex<Set<UserID>>

    init(_ ids: some Sequence<UserID>) { self.ids = Mutex(Set(ids)) }

    func contains(_ id: UserID) -> Bool { ids.withLock { $0.contains(id) } }

    func insert(_ id: UserID) { _ = ids.withLock { $0.insert(id) } }
}

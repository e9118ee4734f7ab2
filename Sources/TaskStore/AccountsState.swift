/// Users, their emails and their refresh-token families: what must be unique or found across
/// all users. Owned by the accounts actor.
public struct AccountsState: Sendable, Equatable {
    public internal(set) var users: [UserID: UserRecord] = [:]
    /// By exact text: "é" and "e\u{301}" are two emails, as they were to the old service.
    public internal(set) var userIDByEmail: [ExactText: UserID] = [:]
    public internal(set) var families: [RefreshFamilyID: RefreshTokenFamily] = [:]
    /// Every digest a live family has issued, current or retired, to its family.
    public internal(set) var familyIDByDigest: [TokenDigest: RefreshFamilyID] = [:]
    public internal(set) var lastAppliedLSN: LSN = 0

    public init() {}

    public func user(withEmail email: String) -> UserRecord? {
        userIDByEmail[ExactText(email)].flatMap { users[$0] }
    }
}

/// One overwritten piece of `AccountsState`, to put back on rollback.
public enum AccountsUndoEntry: Sendable {
    case user(UserID, UserRecord?)
    case email(ExactText, UserID?)
    case family(RefreshFamilyID, RefreshTokenFamily?)
    /// A rotation, by what it replaced: recording the whole family would keep a second
    /// reference to its retired digests, and every rotation would then copy all of them.
    case rotation(RefreshFamilyID, previousDigest: TokenDigest, previousExpiresAt: Timestamp)
    case digest(TokenDigest, RefreshFamilyID?)
    case lastAppliedLSN(LSN)
}

extension AccountsState {
    /// The one function that changes the accounts, used live and by replay alike.
    public mutating func apply(_ event: AccountEvent, lsn: LSN, undo: inout UndoLog<AccountsUndoEntry>) {
        undo.currentLSN = lsn
        undo.record(.lastAppliedLSN(lastAppliedLSN))
        lastAppliedLSN = lsn
        switch event {
        case .userRegistered(let user):
            undo.record(.user(user.id, users[user.id]))
            users[user.id] = user
            let email = ExactText(user.email)
            undo.record(.email(email, userIDByEmail[email]))
            userIDByEmail[email] = user.id
        case .refreshFamilyStarted(let id, let userID, let digest, let expiresAt):
            setFamily(
                RefreshTokenFamily(id: id, userID: userID, currentDigest: digest, retiredDigests: [], expiresAt: expiresAt),
                undo: &undo)
            setDigest(digest, id, undo: &undo)
        case .refreshTokenRotated(let id, let digest, let expiresAt):
            guard let previousDigest = families[id]?.currentDigest, let previousExpiresAt = families[id]?.expiresAt else { return }
            undo.record(.rotation(id, previousDigest: previousDigest, previousExpiresAt: previousExpiresAt))
            families[id]?.rotate(to: digest, expiresAt: expiresAt)
            setDigest(digest, id, undo: &undo)
        case .refreshFamilyRevoked(let id):
            // A revoked family answers every token of it as an unknown token would (401, and
            // logout 204), so it is dropped with its digests rather than kept forever.
            guard let family = families[id] else { return }
            undo.record(.family(id, family))
            families[id] = nil
            for digest in family.retiredDigests + [family.currentDigest] { setDigest(digest, nil, undo: &undo) }
        }
    }

    public mutating func rollBack(_ entries: [AccountsUndoEntry]) {
        for entry in entries {
            switch entry {
            case .user(let id, let user): users[id] = user
            case .email(let email, let id): userIDByEmail[email] = id
            case .family(let id, let family): families[id] = family
            case .rotation(let id, let previousDigest, let previousExpiresAt):
                families[id]?.undoRotation(backTo: previousDigest, expiresAt: previousExpiresAt)
            case .digest(let digest, let id): familyIDByDigest[digest] = id
            case .lastAppliedLSN(let lsn): lastAppliedLSN = lsn
            }
        }
    }

    private mutating func setFamily(_ family: RefreshTokenFamily, undo: inout UndoLog<AccountsUndoEntry>) {
        undo.record(.family(family.id, families[family.id]))
        families[family.id] = family
    }

    private mutating func setDigest(_ digest: TokenDigest, _ id: RefreshFamilyID?, undo: inout UndoLog<AccountsUndoEntry>) {
        undo.record(.digest(digest, familyIDByDigest[digest]))
        familyIDByDigest[digest] = id
    }
}

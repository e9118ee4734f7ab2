/// One record of the write-ahead log: an accounts change or a change to one user's data.
public enum WALEvent: Hashable, Sendable {
    case account(AccountEvent)
    case user(UserID, UserEvent)
}

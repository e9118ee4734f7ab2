/// A registered account. `passwordHash` is a bcrypt string and never leaves the server.
public struct UserRecord: Hashable, Sendable {
    public var id: UserID
    /// Trimmed and lower-cased; unique across all users.
    public var email: String
    public var passwordHash: String
    public var fullName: String?
    public var createdAt: Timestamp

    public init(id: UserID, email: String, passwordHash: String, fullName: String?, createdAt: Timestamp) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.fullName = fullName
        self.createdAt = createdAt
    }
}

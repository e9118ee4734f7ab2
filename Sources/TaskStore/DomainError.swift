/// A command refused by the state it was checked against. The HTTP layer maps each case to
/// one status (404, 409, 412, 401).
public enum DomainError: Error, Equatable, Sendable {
    case taskNotFound
    case categoryNotFound
    case categoryNameTaken(String)
    /// `If-Match` named another version than the current one.
    case versionMismatch(current: UInt32)
    case emailTaken
}

/// A change to the accounts: users, emails and refresh-token families.
public enum AccountEvent: Hashable, Sendable {
    case userRegistered(UserRecord)
    case refreshFamilyStarted(RefreshFamilyID, userID: UserID, digest: TokenDigest, expiresAt: Timestamp)
    case refreshTokenRotated(RefreshFamilyID, digest: TokenDigest, expiresAt: Timestamp)
    case refreshFamilyRevoked(RefreshFamilyID)
}

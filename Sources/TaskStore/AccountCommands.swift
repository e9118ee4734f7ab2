/// What presenting a refresh token led to.
public enum RefreshOutcome: Sendable, Equatable {
    case rotated(UserID)
    /// A retired token of a live family: the family is now revoked (theft detection).
    case reuseDetected
    /// Unknown, expired or already revoked (a revoked family is no longer known).
    case invalid
}

/// The accounts' command handlers: they check a command and return the events that carry it out.
extension AccountsState {
    public func register(
        email: String, passwordHash: String, fullName: String?, decided: DecidedValues
    ) throws(DomainError) -> (UserRecord, [AccountEvent]) {
        guard user(withEmail: email) == nil else { throw .emailTaken }
        let user = UserRecord(id: decided.newID(), email: email, passwordHash: passwordHash, fullName: fullName, createdAt: decided.now)
        return (user, [.userRegistered(user)])
    }

    public func startRefreshFamily(
        for userID: UserID, digest: TokenDigest, expiresAt: Timestamp, decided: DecidedValues
    ) -> [AccountEvent] {
        [.refreshFamilyStarted(decided.newID(), userID: userID, digest: digest, expiresAt: expiresAt)]
    }

    public func rotateRefreshToken(
        presented: TokenDigest, next: TokenDigest, expiresAt: Timestamp, decided: DecidedValues
    ) -> (RefreshOutcome, [AccountEvent]) {
        guard let familyID = familyIDByDigest[presented], let family = families[familyID] else {
            return (.invalid, [])
        }
        guard family.currentDigest == presented else {
            return (.reuseDetected, [.refreshFamilyRevoked(familyID)])
        }
        guard decided.now < family.expiresAt else { return (.invalid, []) }
        return (.rotated(family.userID), [.refreshTokenRotated(familyID, digest: next, expiresAt: expiresAt)])
    }

    /// Logout: ends the login any token of a live family belongs to. Unknown tokens, and
    /// those of families already revoked (whose digests went with them), give no events.
    public func revokeRefreshToken(presented: TokenDigest) -> [AccountEvent] {
        guard let familyID = familyIDByDigest[presented] else { return [] }
        return [.refreshFamilyRevoked(familyID)]
    }
}

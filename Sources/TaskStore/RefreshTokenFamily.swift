/// All refresh tokens issued from one login. Only `currentDigest` may be exchanged; any earlier
/// digest of the family presented again means the token was stolen, and the family is revoked.
/// A family lives until it is revoked (logout, theft) or expires; then it is dropped.
public struct RefreshTokenFamily: Hashable, Sendable {
    public var id: RefreshFamilyID
    public var userID: UserID
    public var currentDigest: TokenDigest
    /// Digests this family has rotated away from, kept to recognise reuse.
    public var retiredDigests: [TokenDigest]
    public var expiresAt: Timestamp

    public init(
        id: RefreshFamilyID, userID: UserID, currentDigest: TokenDigest, retiredDigests: [TokenDigest],
        expiresAt: Timestamp
    ) {
        self.id = id
        self.userID = userID
        self.currentDigest = currentDigest
        self.retiredDigests = retiredDigests
        self.expiresAt = expiresAt
    }
}

extension RefreshTokenFamily {
    /// Retires the current digest for `next`. Appends in place: amortised O(1) however many
    /// tokens the family has issued, as long as nothing else holds its retired digests.
    mutating func rotate(to next: TokenDigest, expiresAt newExpiry: Timestamp) {
        retiredDigests.append(currentDigest)
        currentDigest = next
        expiresAt = newExpiry
    }

    /// Takes back the latest `rotate`, whose replaced digest and expiry are given.
    mutating func undoRotation(backTo previousDigest: TokenDigest, expiresAt previousExpiry: Timestamp) {
        precondition(retiredDigests.last == previousDigest, "undoing a rotation other than the family's latest")
        retiredDigests.removeLast()
        currentDigest = previousDigest
        expiresAt = previousExpiry
    }
}

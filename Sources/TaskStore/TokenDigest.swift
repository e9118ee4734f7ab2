/// The SHA-256 of a refresh token. Only digests are stored, so a stolen WAL or snapshot
/// holds no usable token. Four words instead of an array: no heap allocation per token.
public struct TokenDigest: Hashable, Sendable {
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// `bytes` must hold exactly 32 bytes (a SHA-256 digest).
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        precondition(bytes.count == 32, "a token digest is 32 bytes")
        var w: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            w[index / 8] |= UInt64(byte) << (UInt64(index % 8) * 8)
        }
        words = (w[0], w[1], w[2], w[3])
    }

    public static func == (lhs: TokenDigest, rhs: TokenDigest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
            && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

import Crypto
import Foundation
import Synchronization
import TaskStore

/// HS256 JWT access tokens with claims `sub`, `iat`, `exp` and `type: "access"`. Verified from
/// the token alone, without touching any actor. Every algorithm but HS256, `none` included,
/// is refused.
struct AccessTokens: Sendable {
    let key: SymmetricKey
    /// Seconds an access token lives.
    let lifetime: Int64
    let clock: @Sendable () -> Timestamp
    /// Tokens already verified, with their expiry: a client sends the same token for 15 minutes,
    /// and checking it again costs more than the rest of a read. Keyed by the exact token's bytes
    /// (`ExactText`), so it can only accept what the full check accepted: under `String ==` a
    /// token with a Kelvin sign (U+212A) for a "K" was the same key, and was let in; expiry is
    /// still checked every time.
    private let verified = VerifiedTokens()

    init(key: SymmetricKey, lifetime: Int64, clock: @escaping @Sendable () -> Timestamp) {
        self.key = key
        self.lifetime = lifetime
        self.clock = clock
    }

    private static let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    func issue(for userID: UserID) -> String {
        let now = clock().milliseconds / 1000
        let claims = #"{"sub":"\#(userID.lowercased)","iat":\#(now),"exp":\#(now + lifetime),"type":"access"}"#
        let signingInput = Self.header + "." + Base64URL.encode(Array(claims.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Array(signature))
    }

    /// The user the token speaks for, or nil when it is malformed, forged, of another algorithm
    /// or type, or expired.
    func verify(_ token: String) -> UserID? {
        let now = Double(clock().milliseconds) / 1000
        if let (userID, expiresAt) = verified.lookup(token) { return now < expiresAt ? userID : nil }
        guard let (userID, expiresAt) = check(token), now < expiresAt else { return nil }
        verified.insert(token, userID: userID, expiresAt: expiresAt)
        return userID
    }

    /// The full check: structure, algorithm, signature and claims.
    private func check(_ token: String) -> (UserID, Double)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(headerBytes),
            header["alg"] == .string("HS256"),
            let signature = Base64URL.decode(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array("\(parts[0]).\(parts[1])".utf8), using: key),
            let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONParser.parse(claimBytes),
            claims["type"] == .string("access"),
            case .string(let subject)? = claims["sub"], let userID = UUID(text: subject),
            case .number? = claims["iat"],
            case .number(let expiry)? = claims["exp"], let expiresAt = Double(expiry)
        else { return nil }
        return (userID, expiresAt)
    }
}

/// A bounded map of verified tokens; emptied when full (tokens are re-verified, never trusted more).
final class VerifiedTokens: Sendable {
    private let entries = Mutex<[ExactText: (UserID, Double)]>([:])
    private let capacity = 100_000

    func lookup(_ token: String) -> (UserID, Double)? { entries.withLock { $0[ExactText(token)] } }

    func insert(_ token: String, userID: UserID, expiresAt: Double) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[ExactText(token)] = (userID, expiresAt)
        }
    }
}

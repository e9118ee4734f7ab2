import Crypto
import Foundation
import TaskStore

/// HS256 JWT access tokens with claims `sub`, `iat`, `exp` and `type: "access"`. Verified from
/// the token alone, without touching any actor. Every algorithm but HS256, `none` included,
/// is refused.
struct AccessTokens: Sendable {
    let key: SymmetricKey
    /// Seconds an access token lives.
    let lifetime: Int64
    let clock: @Sendable () -> Timestamp

    private static let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    func issue(for userID: UserID) -> String {
        let now = clock().milliseconds / 1000
        let claims = #"{"sub":"\#(userID.uuidString.lowercased())","iat":\#(now),"exp":\#(now + lifetime),"type":"access"}"#
        let signingInput = Self.header + "." + Base64URL.encode(Array(claims.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Array(signature))
    }

    /// The user the token speaks for, or nil when it is malformed, forged, of another algorithm
    /// or type, or expired.
    func verify(_ token: String) -> UserID? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(Array(headerBytes)),
            header["alg"] == .string("HS256"),
            let signature = Base64URL.decode(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array("\(parts[0]).\(parts[1])".utf8), using: key),
            let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONParser.parse(Array(claimBytes)),
            claims["type"] == .string("access"),
            case .string(let subject)? = claims["sub"], let userID = UUID(uuidString: subject),
            case .number? = claims["iat"],
            case .number(let expiry)? = claims["exp"], let expiresAt = Double(expiry)
        else { return nil }
        return Double(clock().milliseconds) / 1000 < expiresAt ? userID : nil
    }
}

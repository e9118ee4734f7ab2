import Crypto
import TaskStore

/// Opaque refresh tokens: 256 random bits, base64url. Only their SHA-256 is stored.
enum RefreshTokens {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    static func digest(of token: String) -> TokenDigest {
        TokenDigest(bytes: Array(SHA256.hash(data: Array(token.utf8))))
    }
}

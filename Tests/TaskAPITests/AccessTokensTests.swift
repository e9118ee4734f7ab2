import Crypto
import Foundation
import Synchronization
import Testing
import TaskStore
@testable import TaskAPI

/// Access tokens as the old service's PyJWT checked them: every claim required, `type` must be
/// `access`, and a token stops working at the second its `exp` names.
@Suite struct AccessTokensTests {
    private let key = SymmetricKey(data: Array("a-test-secret-of-thirty-two-bytes!!".utf8))
    private let user = UserID()

    /// A clock that reads what the test set, and does not move by itself.
    private final class SetClock: Sendable {
        private let value = Mutex<Int64>(0)
        func set(milliseconds: Int64) { value.withLock { $0 = milliseconds } }
        var reading: @Sendable () -> Timestamp { { [self] in Timestamp(milliseconds: value.withLock { $0 }) } }
    }

    /// A token over `claims` with `header`, signed with the server's key by HS256.
    private func signed(_ claims: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        return input + "." + Base64URL.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key)))
    }

    /// Signed with the server's key, but with a header naming another algorithm, or none, it is
    /// refused, as PyJWT (told to take HS256 only) refused it; so is a token with a part more
    /// or fewer, an empty one included.
    @Test func aSignedTokenOfAnotherAlgorithmOrShapeIsRefused() {
        let clock = SetClock()
        clock.set(milliseconds: 1_795_000_000_000)
        let tokens = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        let claims = #"{"sub":"\#(user.lowercased)","iat":1795000000,"exp":1795000900,"type":"access"}"#
        #expect(tokens.verify(signed(claims, header: #"{"alg":"HS256"}"#)) == user, "typ is not needed")
        for header in [#"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"none","typ":"JWT"}"#, #"{"typ":"JWT"}"#, #"{"alg":"hs256"}"#, "[]"] {
            #expect(tokens.verify(signed(claims, header: header)) == nil, "\(header)")
        }
        let token = signed(claims)
        let parts = token.split(separator: ".").map(String.init)
        for shape in [token + ".", "." + token, parts[0] + ".." + parts[1] + "." + parts[2], parts[0] + "." + parts[1], token + "." + parts[2]] {
            #expect(tokens.verify(shape) == nil, "\(shape)")
        }
    }

    @Test func aSignedTokenLackingAClaimOrOfAnotherTypeIsRefused() {
        let clock = SetClock()
        clock.set(milliseconds: 1_795_000_000_000)
        let tokens = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        let sub = #""sub":"\#(user.lowercased)""#
        let (iat, exp) = (#""iat":1795000000"#, #""exp":1795000900"#)
        #expect(tokens.verify(signed("{\(sub),\(iat),\(exp),\"type\":\"access\"}")) == user, "all claims, as issued")
        let refused = [
            "{\(sub),\(iat),\(exp),\"type\":\"refresh\"}",
            "{\(sub),\(iat),\(exp)}",
            "{\(iat),\(exp),\"type\":\"access\"}",
            "{\(sub),\(exp),\"type\":\"access\"}",
            "{\(sub),\(iat),\"type\":\"access\"}",
            "{\(sub),\(iat),\"exp\":\"1795000900\",\"type\":\"access\"}",
            "{\"sub\":\"not-a-uuid\",\(iat),\(exp),\"type\":\"access\"}",
            "{\"sub\":42,\(iat),\(exp),\"type\":\"access\"}",
        ]
        for claims in refused {
            #expect(tokens.verify(signed(claims)) == nil, "\(claims)")
        }
    }

    /// A 32-byte signature is 43 characters, the last holding 4 bits of it and 2 unused: a
    /// token with those set is another spelling of the same signature, refused (as the old
    /// service refused it, run side by side), so each token has one spelling.
    @Test func aSignatureWithItsUnusedBitsSetIsRefused() {
        let clock = SetClock()
        clock.set(milliseconds: 1_795_000_000_000)
        let tokens = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        let token = tokens.issue(for: user)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: token.last!)!
        #expect(last & 3 == 0, "an issued token leaves them clear")
        for unused in 1...3 {
            #expect(tokens.verify(String(token.dropLast()) + String(alphabet[last | unused])) == nil)
        }
        #expect(tokens.verify(token) == user)
    }

    /// Checked both ways a token is checked: in full (the first time), and from the map of
    /// tokens already verified.
    @Test func aTokenWorksUntilTheSecondItsExpClaimNames() {
        let clock = SetClock()
        clock.set(milliseconds: 1_795_000_000_400)
        let issuer = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        let token = issuer.issue(for: user)  // iat 1795000000, exp 1795000900
        clock.set(milliseconds: 1_795_000_899_999)
        #expect(issuer.verify(token) == user)
        clock.set(milliseconds: 1_795_000_900_000)
        #expect(issuer.verify(token) == nil, "verified before: from the map")
        let fresh = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        #expect(fresh.verify(token) == nil, "never verified: the full check")
        clock.set(milliseconds: 1_795_000_899_999)
        #expect(fresh.verify(token) == user)
    }

    /// A token already verified is found again by its exact bytes. Swift's `String ==` takes a
    /// Kelvin sign (U+212A) for the "K" it is canonically equivalent to; the old service, and
    /// the full check here, refuse such a token.
    @Test func aTokenSpelledWithAnEquivalentCharacterIsRefusedAfterTheRealOneWasVerified() throws {
        let clock = SetClock()
        clock.set(milliseconds: 1_795_000_000_000)
        let tokens = AccessTokens(key: key, lifetime: 900, clock: clock.reading)
        // About one token in ten has no "K"; the first of these users whose token has one.
        let token = try #require((0..<40).lazy.map { _ in tokens.issue(for: UserID()) }.first { $0.contains("K") })
        let userID = try #require(tokens.verify(token))
        let kelvin = token.replacingOccurrences(of: "K", with: "\u{212A}")
        #expect(kelvin == token && !kelvin.utf8.elementsEqual(token.utf8), "equal as Swift strings, not as bytes")
        #expect(tokens.verify(kelvin) == nil, "from the map of verified tokens")
        #expect(AccessTokens(key: key, lifetime: 900, clock: clock.reading).verify(kelvin) == nil, "the full check")
        #expect(tokens.verify(token) == userID)
    }
}

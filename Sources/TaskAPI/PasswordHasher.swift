import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's thread pool, never on an event loop or the cooperative pool (a cost-12
/// hash takes about a quarter of a second).
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// Checked against when an email is unknown, so that a wrong email costs what a wrong
    /// password costs and timing does not tell which emails exist.
    let dummyHash: String

    static func make(cost: UInt8) async throws -> PasswordHasher {
        let dummy = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash("not-a-real-password", cost: cost) }
        return PasswordHasher(cost: cost, dummyHash: dummy)
    }

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    /// The most of a password bcrypt reads; registration refuses longer ones.
    static let maximumBytes = 72

    /// nil `hash`: the email is unknown; the check runs anyway and fails. So does it for a
    /// password longer than bcrypt reads, which would otherwise match on its first 72 bytes.
    func verify(_ password: String, against hash: String?) async throws -> Bool {
        let matches = try await NIOThreadPool.singleton.runIfActive { [dummyHash] in
            Bcrypt.verify(password, hash: hash ?? dummyHash)
        }
        return matches && hash != nil && password.utf8.count <= Self.maximumBytes
    }
}

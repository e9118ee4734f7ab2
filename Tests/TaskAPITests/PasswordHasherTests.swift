import Testing
@testable import TaskAPI

@Suite struct PasswordHasherTests {
    /// An unknown email is checked against the dummy hash so that it costs what a wrong password
    /// costs; the dummy's own password must not pass for one, whatever the caller does next.
    @Test func noHashNeverMatchesNotEvenTheDummysOwnPassword() async throws {
        let hasher = try await PasswordHasher.make(cost: 4)
        #expect(try await hasher.verify("not-a-real-password", against: hasher.dummyHash), "the dummy is a real hash of it")
        #expect(try await !hasher.verify("not-a-real-password", against: nil))
        let hash = try await hasher.hash("password1")
        #expect(try await hasher.verify("password1", against: hash))
        #expect(try await !hasher.verify("password2", against: hash))
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// An email has one account. The API looks for a taken email before it pays for a hash, but two
/// registrations of one email can both pass that look while they hash: the accounts actor's
/// own check is the one that keeps the second out.
@Suite struct RegistrationTests {
    @Test func theAccountsActorRefusesATakenEmailAndKeepsOneAccountAcrossARestart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let first = try await store.acknowledged(await store.accounts.register(email: "a@example.com", passwordHash: "h1", fullName: nil))

        await #expect(throws: DomainError.emailTaken) {
            try await store.acknowledged(await store.accounts.register(email: "a@example.com", passwordHash: "h2", fullName: "Second"))
        }
        let state = try await store.acknowledged(await store.accounts.read { $0 })
        #expect(state.users.count == 1 && state.user(withEmail: "a@example.com") == first)
        await store.close()

        let reopened = try fixture.open()
        let replayed = try await reopened.acknowledged(await reopened.accounts.read { $0 })
        #expect(replayed.users.count == 1 && replayed.user(withEmail: "a@example.com") == first)
        await reopened.close()
    }
}

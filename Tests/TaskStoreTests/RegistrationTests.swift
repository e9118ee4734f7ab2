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

/// Emails are told apart by their exact text, as the service we replace told them apart
/// (PostgreSQL under C.UTF-8): "é" and "e" with a combining accent are two addresses, where
/// Swift's `String ==` takes them for one. Live, after replay and after a snapshot.
@Suite struct ExactEmailTests {
    @Test(arguments: [false, true])
    func twoSpellingsOfOneAddressAreTwoAccounts(snapshotFirst: Bool) async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        let composed = try await store.acknowledged(await store.accounts.register(email: "\u{E9}@example.com", passwordHash: "h1", fullName: nil))
        let decomposed = try await store.acknowledged(await store.accounts.register(email: "e\u{301}@example.com", passwordHash: "h2", fullName: nil))
        #expect(composed.id != decomposed.id)
        await #expect(throws: DomainError.emailTaken) {
            try await store.acknowledged(await store.accounts.register(email: "e\u{301}@example.com", passwordHash: "h3", fullName: nil))
        }
        if snapshotFirst { _ = try await store.snapshotNow() }
        await store.close()

        let reopened = try fixture.open()
        let state = try await reopened.acknowledged(await reopened.accounts.read { $0 })
        #expect(state.users.count == 2)
        #expect(state.user(withEmail: "\u{E9}@example.com")?.passwordHash == "h1")
        #expect(state.user(withEmail: "e\u{301}@example.com")?.passwordHash == "h2")
        await reopened.close()
    }
}

import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Users, tasks and revoked refresh tokens survive a restart.
@Suite struct RestartTests {
    @Test func aRestartKeepsUsersTasksAndRevokedTokens() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let tokens = TokenBox()
        try await harness.run { api in
            let (access, revoked) = try await api.signUp()
            let live = try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#).object["refresh_token"] as! String
            #expect(try await api.send(.post, "/auth/logout", json: #"{"refresh_token":"\#(revoked)"}"#).status == .noContent)
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"survives","category_name":"Work"}"#, token: access).status == .created)
            tokens.set(access: access, revoked: revoked, live: live)
        }
        try await harness.run { api in
            let (access, revoked, live) = tokens.get()
            let list = try await api.send(.get, "/tasks", token: access)
            #expect(list.status == .ok && (list.object["items"] as? [[String: Any]])?.first?["title"] as? String == "survives")
            #expect(try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(revoked)"}"#).status == .unauthorized)
            #expect(try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(live)"}"#).status == .ok)
            #expect(try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#).status == .ok)
            #expect(try await api.send(.post, "/auth/register", json: #"{"email":"ada@example.com","password":"correct horse"}"#).status == .conflict)
        }
    }
}

/// Carries tokens from one server run to the next.
final class TokenBox: @unchecked Sendable {
    private var tokens = ("", "", "")
    private let lock = NSLock()
    func set(access: String, revoked: String, live: String) { lock.withLock { tokens = (access, revoked, live) } }
    func get() -> (String, String, String) { lock.withLock { tokens } }
}

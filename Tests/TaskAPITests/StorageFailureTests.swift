import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// When the WAL cannot make writes durable: writes get 503 (never a 500), reads keep working,
/// `/health` says why.
@Suite struct StorageFailureTests {
    @Test func writesGet503ReadsKeepWorkingAndHealthSaysWhy() async throws {
        let fileSystem = FaultInjectingFileSystem()
        var harness = APIHarness()
        harness.fileSystem = fileSystem
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let kept = try await api.send(.post, "/tasks", json: #"{"title":"kept"}"#, token: token).object["id"] as! String
            fileSystem.inject(.sync, errno: EIO)
            let failed = try await api.send(.post, "/tasks", json: #"{"title":"lost"}"#, token: token)
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.detail?.hasPrefix("Storage unavailable") == true && !failed.body.contains("/"), "no paths or errno text leak")
            #expect(try await api.send(.patch, "/tasks/\(kept)", json: #"{"title":"x"}"#, token: token).status == .serviceUnavailable)
            #expect(try await api.send(.post, "/auth/register", json: #"{"email":"new@example.com","password":"password1"}"#).status == .serviceUnavailable)
            let list = try await api.send(.get, "/tasks", token: token)
            #expect(list.status == .ok && list.object["total"] as? Int == 1)
            #expect(try await api.send(.get, "/tasks/\(kept)", token: token).object["title"] as? String == "kept")
            let health = try await api.send(.get, "/health")
            #expect(health.status == .serviceUnavailable && health.object["status"] as? String == "unavailable")
            #expect((health.object["detail"] as? String)?.contains("fdatasync") == true)
        }
    }
}

import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// When the WAL cannot make writes durable: writes get 503 (never a 500), reads keep working,
/// `/health` says why.
@Suite struct StorageFailureTests {
    @Test func writesGet503ReadsKeepWorkingAndHealthSaysWhy() async throws {
        try await Self.withKeptTask(stalledAfter: .milliseconds(100)) { api, fileSystem, token, kept in
            fileSystem.inject(.sync, errno: EIO)
            let failed = try await api.send(.post, "/tasks", json: #"{"title":"lost"}"#, token: token)
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.detail?.hasPrefix("Storage unavailable") == true && !failed.body.contains("/"), "no paths or errno text leak")
            #expect(try await api.send(.patch, "/tasks/\(kept)", json: #"{"title":"x"}"#, token: token).status == .serviceUnavailable)
            #expect(try await api.send(.post, "/auth/register", json: #"{"email":"new@example.com","password":"password1"}"#).status == .serviceUnavailable)
            let list = try await api.send(.get, "/tasks", token: token)
            #expect(list.status == .ok && list.object["total"] as? Int == 1)
            #expect(try await api.send(.get, "/tasks/\(kept)", token: token).object["title"] as? String == "kept")
            // Longer than the stall threshold: a failed log is reported as failed, not as stalled.
            try await Task.sleep(for: .milliseconds(300))
            let health = try await api.send(.get, "/health")
            #expect(health.status == .serviceUnavailable && health.object["status"] as? String == "unavailable")
            #expect((health.object["detail"] as? String)?.contains("fdatasync") == true)
            #expect(try await Self.walBusyLine(api) == "taskd_wal_busy_seconds 0.0", "a failed log is on no write")
            #expect(try await api.send(.get, "/metrics").body.contains("\ntaskd_wal_failed 1.0\n"))
        }
    }

    /// A disk that stops answering fails nothing, so nothing said so: every write waited and
    /// `/health` answered 200. Past the threshold it answers 503 `stalled`, and 200 again once
    /// the disk answers; reads of what no pending write changed are served meanwhile.
    @Test func aStalledDiskMakesHealth503UntilItAnswers() async throws {
        try await Self.withKeptTask(stalledAfter: .milliseconds(200)) { api, fileSystem, token, kept in
            #expect(try await api.send(.get, "/health").status == .ok)

            fileSystem.holdSyncs()
            defer { fileSystem.releaseSyncs() }  // also when an expectation throws: the store's close waits for the WAL
            let waiting = Task { try await api.send(.post, "/tasks", json: #"{"title":"waits"}"#, token: token) }
            var health = try await api.send(.get, "/health")
            let deadline = ContinuousClock.now + Patience.forWhatIsExpected
            while health.status == .ok && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                health = try await api.send(.get, "/health")
            }
            #expect(health.status == .serviceUnavailable && health.object["status"] as? String == "stalled")
            let detail = health.object["detail"] as? String ?? ""
            #expect(detail.hasPrefix("storage has been on one write for") && detail.contains(/for \d+\.\d s \(a disk/), "in tenths of a second: \(health.body)")
            #expect(try await api.send(.get, "/tasks/\(kept)", token: token).status == .ok)
            let busy = try await Self.walBusyLine(api)
            #expect(busy.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 0.2 } == true, "\(busy ?? "no taskd_wal_busy_seconds")")

            fileSystem.releaseSyncs()
            #expect(try await waiting.value.status == .created)
            // The writer clears its clock just after it answers the writes of the batch.
            let recovered = ContinuousClock.now + Patience.forWhatIsExpected
            while try await api.send(.get, "/health").status != .ok && ContinuousClock.now < recovered {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await api.send(.get, "/health").status == .ok)
        }
    }

    /// A server over a file system that fails on demand, `/health` calling the WAL stalled after
    /// `threshold`, with a signed-up user who has one task titled "kept": `body` gets the
    /// client, the file system, the user's token and the task's id.
    static func withKeptTask(
        stalledAfter threshold: Duration, _ body: @escaping @Sendable (APIClient, FaultInjectingFileSystem, String, String) async throws -> Void
    ) async throws {
        let fileSystem = FaultInjectingFileSystem()
        var harness = APIHarness()
        harness.fileSystem = fileSystem
        harness.stalledStorageThreshold = threshold
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let kept = try await api.send(.post, "/tasks", json: #"{"title":"kept"}"#, token: token).object["id"] as! String
            try await body(api, fileSystem, token, kept)
        }
    }

    /// The `taskd_wal_busy_seconds` line of `/metrics`.
    static func walBusyLine(_ api: APIClient) async throws -> Substring? {
        try await api.send(.get, "/metrics").body.split(separator: "\n").first { $0.hasPrefix("taskd_wal_busy_seconds ") }
    }
}

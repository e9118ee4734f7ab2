import Foundation
import HTTPTypes
import Logging
import Synchronization
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

@Suite struct SecretsAndLogsTests {
    @Test func theSigningKeyIsMadeOnceWithMode0600AndKept() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try JWTSecretFile.loadOrCreate(in: directory.path)
        #expect(first.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("jwt-secret"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try JWTSecretFile.loadOrCreate(in: directory.path) == first)
        try "not base64 !!".write(toFile: directory.file("jwt-secret"), atomically: true, encoding: .utf8)
        #expect(throws: JWTSecretFile.ValidationFailure.self) { try JWTSecretFile.loadOrCreate(in: directory.path) }
    }

    @Test func oneLinePerRequestAndNeverAPasswordOrToken() async throws {
        let lines = LogLines()
        var harness = APIHarness()
        harness.logger = Logger(label: "test") { _ in LineRecorder(lines: lines) }
        defer { harness.directory.remove() }
        let secrets = Mutex<[String]>([])
        try await harness.run { api in
            let (access, refresh) = try await api.signUp("ada@example.com", password: "very secret words")
            _ = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            _ = try await api.send(.get, "/tasks", token: access)
            secrets.withLock { $0 = [access, refresh, "very secret words"] }
        }
        let requestLines = lines.all.filter { $0.contains("request") }
        #expect(requestLines.count == 4, "register, login, refresh, list")
        #expect(requestLines.contains { $0.contains("method=GET") && $0.contains("route=/tasks") && $0.contains("status=200") && $0.contains("duration_ms=") })
        for secret in secrets.withLock({ $0 }) {
            #expect(!lines.all.contains { $0.contains(secret) })
        }
    }
}

final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Renders each log event as `message key=value …`, as the text handler would show it.
struct LineRecorder: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.message) " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

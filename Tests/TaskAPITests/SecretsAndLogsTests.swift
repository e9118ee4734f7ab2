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

        // A key written by hand: base64 of 32 bytes or more, spaces and line ends around it
        // allowed; one of 31 bytes is too weak for HS256 and refused, left as it is.
        let handMade = (0..<32).map { UInt8($0) }
        try (" " + Data(handMade).base64EncodedString() + "\n").write(toFile: directory.file("jwt-secret"), atomically: true, encoding: .utf8)
        #expect(try JWTSecretFile.loadOrCreate(in: directory.path) == handMade)
        let short = Data(handMade.dropLast()).base64EncodedString()
        try short.write(toFile: directory.file("jwt-secret"), atomically: true, encoding: .utf8)
        let error = #expect(throws: JWTSecretFile.ValidationFailure.self) { try JWTSecretFile.loadOrCreate(in: directory.path) }
        #expect(error?.description.contains("does not hold a base64 key of at least 32 bytes") == true)
        #expect(try String(contentsOfFile: directory.file("jwt-secret"), encoding: .utf8) == short)
    }

    /// Only a missing key is made anew: one that cannot be read stops the start, untouched,
    /// and says why, where a new key in its place would have logged everyone out unasked.
    @Test func aKeyThatCannotBeReadIsNeverReplaced() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let notUTF8: [UInt8] = [0xFF, 0xFE, 0x41, 0x0A]
        #expect(FileManager.default.createFile(atPath: directory.file("jwt-secret"), contents: Data(notUTF8)))
        #expect(throws: JWTSecretFile.ValidationFailure.self) { try JWTSecretFile.loadOrCreate(in: directory.path) }
        #expect(FileManager.default.contents(atPath: directory.file("jwt-secret")) == Data(notUTF8))

        try FileManager.default.removeItem(atPath: directory.file("jwt-secret"))
        try FileManager.default.createDirectory(atPath: directory.file("jwt-secret"), withIntermediateDirectories: false)
        let error = #expect(throws: JWTSecretFile.ValidationFailure.self) { try JWTSecretFile.loadOrCreate(in: directory.path) }
        #expect(error?.description.hasPrefix("cannot read the signing key: read \(directory.file("jwt-secret")): Is a directory") == true, "\(String(describing: error))")
        #expect(directory.names() == ["jwt-secret"])
    }

    /// The key is written aside and renamed into place, so a crash during a first start leaves
    /// no half-written `jwt-secret` that later starts refuse; what it leaves aside is replaced.
    @Test func aKeyHalfWrittenAsideByACrashIsReplacedWhole() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try Data("c2hvcnQ".utf8).write(to: URL(fileURLWithPath: directory.file("jwt-secret.tmp")))
        let key = try JWTSecretFile.loadOrCreate(in: directory.path)
        #expect(key.count == 32)
        #expect(directory.names() == ["jwt-secret"])
        #expect(try JWTSecretFile.loadOrCreate(in: directory.path) == key)
        #expect((try FileManager.default.attributesOfItem(atPath: directory.file("jwt-secret"))[.posixPermissions] as? Int) == 0o600)
    }

    /// A key that cannot be written stops the start, naming the file and the reason.
    @Test func aKeyThatCannotBeMadeStopsTheStartNamingTheFile() {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("missing")
        let error = #expect(throws: JWTSecretFile.ValidationFailure.self) { try JWTSecretFile.loadOrCreate(in: missing) }
        #expect(error?.description == "cannot make the signing key: open \(missing)/jwt-secret.tmp: No such file or directory (errno 2)")
    }

    @Test func oneLinePerRequestAndNeverAPasswordOrToken() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        var harness = APIHarness()
        harness.logger = logger
        defer { harness.directory.remove() }
        let secrets = Mutex<[String]>([])
        try await harness.run { api in
            let (access, refresh) = try await api.signUp("ada@example.com", password: "very secret words")
            _ = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            _ = try await api.send(.get, "/tasks", token: access)
            secrets.withLock { $0 = [access, refresh, "very secret words"] }
        }
        let lines = log.lines
        let requestLines = lines.filter { $0.contains("request") }
        #expect(requestLines.count == 4, "register, login, refresh, list")
        #expect(requestLines.contains { $0.contains("method=GET") && $0.contains("route=/tasks") && $0.contains("status=200") && $0.contains("duration_ms=") })
        for secret in secrets.withLock({ $0 }) {
            #expect(!lines.contains { $0.contains(secret) })
        }
    }
}

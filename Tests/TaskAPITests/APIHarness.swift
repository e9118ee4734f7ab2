import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TaskStore
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// A store on a temporary directory with the API in front of it, driven through Hummingbird's
/// in-process test client. Cheap bcrypt unless a test asks otherwise; a clock tests can move.
struct APIHarness {
    var directory = TemporaryDirectory()
    var clock = TestClock(start: 1_795_000_000_000)
    var loginRateLimit = 0
    var trustForwardedFor = false
    var bcryptCost = 4
    var stalledStorageThreshold = Duration.seconds(10)
    var fileSystem: any FileSystem = POSIXFileSystem()
    var secret = Array("a-test-secret-of-thirty-two-bytes!!".utf8)
    var logger = APIHarness.quietLogger

    static var quietLogger: Logger {
        var logger = Logger(label: "taskd.api-tests")
        logger.logLevel = .critical
        return logger
    }

    func openStore() throws -> TaskStore {
        try UnlockedStoreOpening.open {
            try TaskStore(
                configuration: StoreConfiguration(dataDirectory: directory.path, snapshotEvery: 0, fileSystem: fileSystem, clock: clock.reading),
                logger: Self.quietLogger)
        }
    }

    /// Runs `body` against a fresh API over `store` (opened here unless given), then closes the store.
    func run(store: TaskStore? = nil, _ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let store = try store ?? openStore()
        let configuration = APIConfiguration(
            jwtSecret: secret, bcryptCost: bcryptCost, loginRateLimit: loginRateLimit, trustForwardedFor: trustForwardedFor, clock: clock.reading,
            stalledStorageThreshold: stalledStorageThreshold)
        let services = try await APIServices(store: store, configuration: configuration)
        let app = Application(responder: TaskAPIServer.responder(services: services, metrics: APIMetrics()), logger: logger)
        try await app.test(.router) { client in try await body(APIClient(client: client)) }
        await store.close()
    }

    /// Runs `body` against the application `taskd serve` runs (`TaskAPIServer.application`),
    /// listening on a free loopback port, which `body` gets with a client; the application
    /// closes the store when it stops.
    func runLive(idleTimeout: Duration = .seconds(75), _ body: @escaping @Sendable (_ port: Int, APIClient) async throws -> Void) async throws {
        let configuration = APIConfiguration(
            jwtSecret: secret, bcryptCost: bcryptCost, loginRateLimit: loginRateLimit, trustForwardedFor: trustForwardedFor, clock: clock.reading,
            idleTimeout: idleTimeout, stalledStorageThreshold: stalledStorageThreshold)
        let app = try await TaskAPIServer.application(
            store: try openStore(), configuration: configuration, metrics: APIMetrics(), host: "127.0.0.1", port: 0, logger: logger)
        try await app.test(.live) { client in try await body(try #require(client.port), APIClient(client: client)) }
    }
}

/// Requests with JSON in and out, and a registered user's tokens at hand.
struct APIClient {
    let client: any TestClientProtocol

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String

        var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var detail: String? { object["detail"] as? String }
        /// The `type`s of a 422's issues, each with its `loc` joined by dots.
        var issues: [String] {
            (object["detail"] as? [[String: Any]] ?? []).map { issue in
                "\(issue["type"] ?? "?")@" + ((issue["loc"] as? [Any]) ?? []).map { "\($0)" }.joined(separator: ".")
            }
        }

        /// The `msg`s of a 422's issues, in order.
        var messages: [String] { (object["detail"] as? [[String: Any]] ?? []).map { $0["msg"] as? String ?? "?" } }

        /// Each 422 issue's `input` that is an object of strings (a form or body echoed back).
        var issueInputs: [[String: String]] {
            (object["detail"] as? [[String: Any]] ?? []).compactMap { $0["input"] as? [String: String] }
        }
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body = json.map { ByteBuffer(string: $0) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// Registers and logs in; returns the access and refresh tokens.
    func signUp(_ email: String = "ada@example.com", password: String = "correct horse") async throws -> (access: String, refresh: String) {
        let registered = try await send(.post, "/auth/register", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        #expect(registered.status == .created, "register \(email): \(registered.body)")
        let login = try await send(.post, "/auth/login", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        #expect(login.status == .ok, "login \(email): \(login.body)")
        return (login.object["access_token"] as! String, login.object["refresh_token"] as! String)
    }
}

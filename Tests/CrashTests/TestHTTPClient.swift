import NIOHTTP1
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// JSON over HTTP to a live taskd on 127.0.0.1, with a timeout on every request.
struct TestHTTPClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: Data
        var headers: [(String, String)]

        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    let base: String
    let http: HTTPClient

    init(port: Int, http: HTTPClient = .shared) {
        base = "http://127.0.0.1:\(port)"
        self.http = http
    }

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil, headers extra: [(String, String)] = [], body raw: Data? = nil, timeout: Duration = .seconds(10)) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let raw { request.body = .bytes(ByteBuffer(data: raw)) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer: body), headers: response.headers.map { ($0.name, $0.value) })
    }

    /// Registers and logs in; returns the access token.
    func signUp(_ email: String) async throws -> String {
        _ = try await send(.POST, "/auth/register", json: #"{"email":"\#(email)","password":"crash test password"}"#)
        let login = try await send(.POST, "/auth/login", json: #"{"email":"\#(email)","password":"crash test password"}"#)
        guard let token = login.object["access_token"] as? String else { throw URLError(.userAuthenticationRequired) }
        return token
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// What the setup phase made through the public API: users with tokens and tasks.
struct Fixture: Sendable {
    struct User: Sendable {
        var email: String
        var token: String
        var taskIDs: [String]
    }

    var users: [User]

    static func make(_ options: LoadOptions, client: HTTPClient) async throws -> Fixture {
        guard options.scenario != "path" else { return Fixture(users: []) }
        let run = UUID().uuidString.prefix(8)
        var users: [User] = []
        for index in 0..<options.users {
            let email = "taskload-\(run)-\(index)@example.com"
            let credentials = #"{"email":"\#(email)","password":"\#(options.password)"}"#
            let registered = try await send(client, options.base + "/auth/register", .POST, body: credentials)
            guard registered.status == 201 else { throw LoadError.setup("register \(email): \(registered.status) \(registered.text)") }
            let login = try await send(client, options.base + "/auth/login", .POST, body: credentials)
            guard let token = login.json["access_token"] as? String else { throw LoadError.setup("login \(email): \(login.status) \(login.text)") }
            var ids: [String] = []
            for task in 0..<options.tasksPerUser {
                let body = #"{"title":"Task \#(task) of \#(index)","description":"Collect numbers from finance and summarise the main trends.","priority":"\#(["low", "medium", "high"][task % 3])","category_name":"C\#(task % 5)"}"#
                let created = try await send(client, options.base + "/tasks", .POST, body: body, token: token)
                guard let id = created.json["id"] as? String else { throw LoadError.setup("create task: \(created.status) \(created.text)") }
                ids.append(id)
            }
            users.append(User(email: email, token: token, taskIDs: ids))
        }
        return Fixture(users: users)
    }

    struct Reply {
        var status: Int
        var body: ByteBuffer
        var text: String { String(buffer: body) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    }

    static func send(_ client: HTTPClient, _ url: String, _ method: HTTPMethod, body: String? = nil, token: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(30))
        return Reply(status: Int(response.status.code), body: try await response.body.collect(upTo: 16 << 20))
    }
}

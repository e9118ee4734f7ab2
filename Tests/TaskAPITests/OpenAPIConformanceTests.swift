import Foundation
import HTTPTypes
import Synchronization
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Clients are generated from `/openapi.json`, and schemathesis (`Tests/schemathesis/run.sh`)
/// runs outside `swift test`: this suite keeps the document true to what is served in every
/// test run. `OperationsTests` checks that it names the routes; this checks the answers.
@Suite struct OpenAPIConformanceTests {
    /// One answer of each kind the API gives, each checked against its operation in the
    /// document; every operation the document lists is met at least once.
    @Test func everyAnswerIsOneTheDocumentListsInTheShapeItGives() async throws {
        let check = try OpenAPIResponseCheck(OpenAPIDocument.json)
        let operations = Self.operations(in: check.document)
        let answered = Mutex<Set<String>>([])
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            @discardableResult
            func send(
                _ method: HTTPRequest.Method, _ template: String, _ uri: String? = nil, json: String? = nil, token: String? = nil,
                headers: HTTPFields = [:], expecting status: HTTPResponse.Status
            ) async throws -> APIClient.Reply {
                let reply = try await api.send(method, uri ?? template, json: json, token: token, headers: headers)
                #expect(reply.status == status, "\(method) \(uri ?? template): \(reply.body)")
                let problems = check.problems(
                    method: method.rawValue, template: template, status: reply.status.code, contentType: reply.headers[.contentType], body: reply.body)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n\(reply.body)")
                answered.withLock { _ = $0.insert("\(method.rawValue) \(template)") }
                return reply
            }

            let user = #"{"email":"ada@example.com","password":"correct horse","full_name":"Ada"}"#
            await #expect(try send(.post, "/auth/register", json: user, expecting: .created).object["full_name"] as? String == "Ada")
            try await send(.post, "/auth/register", json: user, expecting: .conflict)
            try await send(.post, "/auth/register", json: #"{"email":"not an email","password":""}"#, expecting: .unprocessableContent)
            try await send(.post, "/auth/register", json: user, headers: [.contentType: "text/plain"], expecting: .unsupportedMediaType)
            let credentials = #"{"email":"ada@example.com","password":"correct horse"}"#
            let tokens = try await send(.post, "/auth/login", json: credentials, expecting: .ok).object
            let token = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            try await send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"wrong"}"#, expecting: .unauthorized)
            let rotated = try await send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#, expecting: .ok).object
            try await send(.post, "/auth/refresh", json: #"{"refresh_token":"no such token"}"#, expecting: .unauthorized)
            try await send(.post, "/auth/refresh", json: "{}", expecting: .unprocessableContent)
            try await send(.post, "/auth/logout", json: #"{"refresh_token":"\#(rotated["refresh_token"] as? String ?? "")"}"#, expecting: .noContent)
            try await send(.get, "/users/me", token: token, expecting: .ok)
            try await send(.get, "/users/me", expecting: .unauthorized)

            let full = #"{"title":"Write","description":"the report","priority":"high","due_date":"2026-12-01T09:00:00Z","category_name":"Work"}"#
            let task = try await send(.post, "/tasks", json: full, token: token, expecting: .created)
            let taskID = try #require(task.object["id"] as? String)
            try await send(.post, "/tasks", json: #"{"title":"Plain"}"#, token: token, expecting: .created)
            try await send(.post, "/tasks", json: #"{"title":""}"#, token: token, expecting: .unprocessableContent)
            try await send(.post, "/tasks", json: #"{"title":"\#(String(repeating: "x", count: 1 << 20))"}"#, token: token, expecting: .contentTooLarge)
            try await send(.get, "/tasks", "/tasks?limit=20&sort=-created_at", token: token, expecting: .ok)
            try await send(.get, "/tasks", "/tasks?limit=0", token: token, expecting: .unprocessableContent)
            let one = "/tasks/\(taskID)"
            let etag = try #require(try await send(.get, "/tasks/{task_id}", one, token: token, expecting: .ok).headers[.eTag])
            try await send(.get, "/tasks/{task_id}", one, token: token, headers: [.ifNoneMatch: etag], expecting: .notModified)
            try await send(.get, "/tasks/{task_id}", "/tasks/\(UUID())", token: token, expecting: .notFound)
            try await send(.get, "/tasks/{task_id}", "/tasks/not-a-uuid", token: token, expecting: .unprocessableContent)
            try await send(.patch, "/tasks/{task_id}", one, json: #"{"status":"done"}"#, token: token, expecting: .ok)
            try await send(.patch, "/tasks/{task_id}", one, json: #"{"status":"done"}"#, token: token, headers: [.ifMatch: etag], expecting: .preconditionFailed)

            try await send(.get, "/categories", token: token, expecting: .ok)
            let category = try await send(.post, "/categories", json: #"{"name":"Home"}"#, token: token, expecting: .created)
            let categoryPath = "/categories/\(try #require(category.object["id"] as? String))"
            try await send(.post, "/categories", json: #"{"name":"home"}"#, token: token, expecting: .conflict)
            try await send(.patch, "/categories/{category_id}", categoryPath, json: #"{"name":"House"}"#, token: token, expecting: .ok)
            try await send(.patch, "/categories/{category_id}", "/categories/\(UUID())", json: #"{"name":"x"}"#, token: token, expecting: .notFound)
            try await send(.delete, "/categories/{category_id}", categoryPath, token: token, expecting: .noContent)
            try await send(.delete, "/tasks/{task_id}", one, token: token, expecting: .noContent)

            // Upserts of both kinds and deletes of both kinds.
            let changes = try await send(.get, "/sync", token: token, expecting: .ok).object["changes"] as? [[String: Any]] ?? []
            let kinds = Set(changes.map { "\($0["kind"] ?? "?") \($0["op"] ?? "?")" })
            #expect(kinds == ["task upsert", "task delete", "category upsert", "category delete"])
            try await send(.get, "/sync", "/sync?since=1-999999", token: token, expecting: .gone)
            try await send(.get, "/health", expecting: .ok)
            try await send(.get, "/metrics", expecting: .ok)
            try await send(.get, "/openapi.json", expecting: .ok)
            try await send(.get, "/docs", expecting: .ok)
        }
        #expect(operations.subtracting(answered.withLock { $0 }).isEmpty, "operations this test never met")
    }

    /// The checker finds what it is for, so that an empty list above means something.
    @Test func theCheckFindsAnUndocumentedFieldAMissingOneAWrongTypeAndAnUnlistedStatus() throws {
        let check = try OpenAPIResponseCheck(OpenAPIDocument.json)
        let category = #"{"id":"\#(UUID())","name":"Work","task_count":0,"created_at":"2026-11-29T12:00:00.000Z"}"#
        #expect(check.problems(method: "POST", template: "/categories", status: 201, contentType: "application/json", body: category).isEmpty)
        let cases = [
            (201, category.replacingOccurrences(of: #""task_count":0,"#, with: #""task_count":0,"color":"red","#), "the field color is not documented"),
            (201, category.replacingOccurrences(of: #""task_count":0,"#, with: ""), "the required field task_count is missing"),
            (201, category.replacingOccurrences(of: #""task_count":0"#, with: #""task_count":"0""#), "is not of type [\"integer\"]"),
            (201, category.replacingOccurrences(of: "2026-11-29T12", with: "yesterday"), "does not match"),
            (200, category, "answered 200, which the document does not list"),
        ]
        for (status, body, expected) in cases {
            let problems = check.problems(method: "POST", template: "/categories", status: status, contentType: "application/json", body: body)
            #expect(problems.contains { $0.contains(expected) }, "\(expected): \(problems)")
        }
        let emptyName = check.problems(of: .object([("name", .string(""))]), against: .object([("$ref", .string("#/components/schemas/CategoryName"))]), at: "name")
        #expect(emptyName.contains { $0.contains("0 characters, under 1") }, "\(emptyName)")
        let notModified = check.problems(method: "GET", template: "/tasks/{task_id}", status: 304, contentType: nil, body: "{}")
        #expect(notModified == ["GET /tasks/{task_id} 304 has a body; the document lists none"])
    }

    /// Every "METHOD /template" the document lists.
    static func operations(in document: JSONValue) -> Set<String> {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return Set(paths.flatMap { path, operations -> [String] in
            guard case .object(let methods) = operations else { return [] }
            return methods.map { "\($0.0.uppercased()) \(path)" }
        })
    }
}

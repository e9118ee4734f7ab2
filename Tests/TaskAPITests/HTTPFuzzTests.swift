import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Mutated bodies, headers and queries against every route: only documented statuses, never a
/// 500, and a refused request changes nothing.
@Suite struct HTTPFuzzTests {
    static let documented: Set<Int> = [200, 201, 204, 304, 401, 404, 405, 409, 412, 413, 415, 422, 429]

    struct Generator {
        var rng: SeededGenerator

        mutating func mutate(_ text: String) -> String {
            var bytes = Array(text.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(contentsOf: Array(["null", "[]", "{}", "\"\\ud800\"", "1e999", "-0", "\"\\u0000\"", "true"].randomElement(using: &rng)!.utf8), at: index)
                case 3: bytes = Array(bytes[..<index])
                case 4: bytes.insert(contentsOf: Array(String(repeating: "[", count: Int.random(in: 1...200, using: &rng)).utf8), at: index)
                default: bytes.insert(contentsOf: Array("\u{202E}🚀\u{0}é".utf8), at: index)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func mutatedRequestsGetDocumentedStatusesAndChangeNothingWhenRefused() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, refresh) = try await api.signUp()
            let task = try await api.send(.post, "/tasks", json: #"{"title":"seed","category_name":"Work"}"#, token: token).object
            let taskID = task["id"] as! String
            let categoryID = (task["category"] as! [String: Any])["id"] as! String
            let templates: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/auth/register", #"{"email":"x@example.com","password":"password1","full_name":"X"}"#),
                (.post, "/auth/login", #"{"email":"ada@example.com","password":"wrong pass"}"#),
                (.post, "/auth/refresh", #"{"refresh_token":"\#(refresh)x"}"#),
                (.post, "/auth/logout", #"{"refresh_token":"nope"}"#),
                (.post, "/tasks", #"{"title":"t","description":"d","status":"done","priority":"low","due_date":"2026-12-01T00:00:00Z","category_name":"C"}"#),
                (.patch, "/tasks/\(taskID)", #"{"title":"t2","description":null,"status":"in_progress","due_date":null,"category_name":null}"#),
                (.post, "/categories", #"{"name":"New"}"#),
                (.patch, "/categories/\(categoryID)", #"{"name":"Renamed"}"#),
                (.get, "/tasks?status=todo&priority=high&category=Work&q=se&due_before=2027-01-01T00:00:00Z&sort=-title&limit=5&offset=0", nil),
                (.get, "/sync?since=1-0", nil),
            ]
            var generator = Generator(rng: SeededGenerator(seed: 4242))
            var statuses: [Int: Int] = [:]
            for iteration in 0..<1200 {
                let (method, path, body) = templates[iteration % templates.count]
                let before = try await api.send(.get, "/sync", token: token).object["cursor"] as? String
                let mutatedPath = body == nil ? generator.mutate(path).replacingOccurrences(of: " ", with: "%20") : path
                let reply = try await api.send(method, mutatedPath, json: body.map { generator.mutate($0) }, token: token)
                statuses[reply.status.code, default: 0] += 1
                #expect(Self.documented.contains(reply.status.code), "\(method) \(mutatedPath) -> \(reply.status.code): \(reply.body)")
                if reply.status.code >= 400 {
                    let after = try await api.send(.get, "/sync", token: token).object["cursor"] as? String
                    #expect(after == before, "a refused request changed the user's data: \(method) \(path) -> \(reply.status.code)")
                }
            }
            print("HTTP fuzz: 1200 mutated requests, statuses \(statuses.sorted { $0.key < $1.key })")
            #expect(try await api.send(.get, "/health").status == .ok)
        }
    }

    @Test func absurdQueryValuesAre422NotCrashes() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            for query in [
                "limit=99999999999999999999999", "offset=-1", "offset=9223372036854775807", "limit=1.5", "limit=%00", "sort=%00",
                "due_before=9999-99-99T99:99:99Z", "due_after=0000-01-01T00:00:00Z", "category_id=%F0%9F%9A%80", "q=%00",
                String(repeating: "status=todo&", count: 2000),
            ] {
                let reply = try await api.send(.get, "/tasks?\(query)", token: token)
                #expect([200, 422].contains(reply.status.code), "\(query.prefix(60)) -> \(reply.status.code)")
            }
        }
    }
}

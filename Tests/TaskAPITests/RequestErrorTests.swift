import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Malformed requests get the documented 4xx, in the documented shape, and change nothing.
@Suite struct RequestErrorTests {
    @Test func unknownPathsAre404AndWrongMethods405WithAllow() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let unknown = try await api.send(.get, "/nope")
            #expect(unknown.status == .notFound && unknown.body == #"{"detail":"Not Found"}"#)
            let wrong = try await api.send(.put, "/tasks")
            #expect(wrong.status == .methodNotAllowed && wrong.body == #"{"detail":"Method Not Allowed"}"#)
            #expect(Set(wrong.headers[.allow]!.components(separatedBy: ", ")) == ["GET", "HEAD", "POST"])
            for method in [HTTPRequest.Method.trace, .options, HTTPRequest.Method("QUERY")!] {
                #expect(try await api.send(method, "/tasks/\(UUID())").status == .methodNotAllowed, "\(method)")
            }
            #expect(try await api.send(.head, "/health").status == .ok, "HEAD answers where GET does")
            #expect(try await api.send(.get, "/auth/login").status == .methodNotAllowed)
            #expect(try await api.send(.post, "/tasks/\(UUID())").status == .methodNotAllowed)
            #expect(try await api.send(.put, "/TASKS").status == .notFound, "paths are matched case by case, for 405s too")
        }
    }

    @Test func bodiesOverOneMebibyteAre413AndOtherContentTypes415() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let huge = #"{"title":"t","description":""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let tooLarge = try await api.send(.post, "/tasks", json: huge, token: token)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.detail?.contains("1 MiB") == true)
            // 1 MiB exactly is taken (an unknown field pads it), one byte more is not.
            let frame = #"{"title":"t","padding":""}"#
            let mebibyte = #"{"title":"t","padding":""# + String(repeating: "x", count: (1 << 20) - frame.utf8.count) + #""}"#
            #expect(mebibyte.utf8.count == 1 << 20)
            #expect(try await api.send(.post, "/tasks", json: mebibyte, token: token).status == .created)
            #expect(try await api.send(.post, "/tasks", json: mebibyte + " ", token: token).status == .contentTooLarge)
            let text = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token, headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            let oneByte = try await api.send(.post, "/tasks", json: "1", token: token, headers: [.contentType: "text/plain"])
            #expect(oneByte.status == .unsupportedMediaType, "one byte is a body")
            let noBody = try await api.send(.post, "/tasks", json: "", token: token, headers: [.contentType: "text/plain"])
            #expect(noBody.issues == ["missing@body"], "no body, nothing to refuse the type of: as the old service's has_body")
            let vendor = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token, headers: [.contentType: "application/vnd.api+json; charset=utf-8"])
            #expect(vendor.status == .created, "any +json type is JSON")
            // A media type with nothing before its parameters once crashed the server. An empty
            // one is none, read as JSON, as the old service's `if content_type` had it.
            // A second `/` made a type `text/plain` to the old service's `email.message`.
            for odd in [";", "", " ; charset=utf-8", "APPLICATION/JSON ; charset=utf-8", "application/a/b+json", "application/json\u{A0}"] {
                let reply = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token, headers: [.contentType: odd])
                #expect(reply.status == (odd.hasPrefix("APPLICATION") || odd.isEmpty ? .created : .unsupportedMediaType), "\(odd.debugDescription)")
            }
            #expect(try await api.send(.get, "/tasks", token: token).object["total"] as? Int == 4)
        }
    }

    @Test func bodiesThatAreNotJSONObjectsAre422InFastAPIsShape() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let broken = try await api.send(.post, "/tasks", json: #"{"title": "t",,}"#, token: token)
            #expect(broken.status == .unprocessableContent)
            let issue = (broken.object["detail"] as? [[String: Any]])?.first
            #expect(issue?["type"] as? String == "json_invalid" && issue?["msg"] as? String == "JSON decode error")
            #expect((issue?["loc"] as? [Any])?.first as? String == "body" && (issue?["ctx"] as? [String: Any])?["error"] != nil)
            #expect((issue?["input"] as? [String: Any])?.isEmpty == true, "FastAPI's input for text that is not JSON is {}")
            #expect(try await api.send(.post, "/tasks", json: "[1,2]", token: token).issues == ["model_attributes_type@body"])
            #expect(try await api.send(.post, "/tasks", json: "", token: token).issues == ["missing@body"])
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let tooDeep = try await api.send(.post, "/tasks", json: #"{"title":"t","x":\#(deep)}"#, token: token)
            #expect(tooDeep.issues.first?.hasPrefix("json_invalid") == true)
            let latin = try await api.send(.post, "/tasks", json: "{\"title\":\"\u{FF}\"}", token: token)
            #expect(latin.status == .created, "valid UTF-8 passes")
            #expect(try await api.send(.get, "/tasks", token: token).object["total"] as? Int == 1)
        }
    }

    /// A number in the wrong place comes back in the 422's `input` as the old service wrote it
    /// (recorded from it): as Python's float or int, not as the text sent.
    @Test func numbersAreEchoedAsTheOldServiceEchoedThem() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let reply = try await api.send(.post, "/tasks", json: #"{"title": [1.50, {"a": 2e1}, -0, 1E+20]}"#, token: token)
            #expect(reply.body == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":[1.5,{"a":20.0},0,1e+20]}]}"#)
            #expect(try await api.send(.post, "/tasks", json: "1.50", token: token).body.contains(#""input":1.5}"#))
        }
    }

    @Test func oddUnicodeIsKeptOrRefusedButNeverCrashes() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let surrogate = try await api.send(.post, "/tasks", json: #"{"title":"\ud800 alone"}"#, token: token)
            #expect(surrogate.issues == ["string_unicode@body.title"])
            let nul = try await api.send(.post, "/tasks", json: #"{"title":"a\u0000b"}"#, token: token)
            #expect(nul.issues == ["string_nul@body.title"])
            let fancy = "\u{202E}مرحبا 🚀 \u{1F469}\u{200D}\u{1F4BB} \"quoted\" \\ \n"
            let created = try await api.send(.post, "/tasks", json: #"{"title":"ok","description":"\#(fancy.unicodeScalars.map { $0.value < 0x80 ? (["\"": "\\\"", "\\": "\\\\", "\n": "\\n"][String($0)] ?? String($0)) : String($0) }.joined())"}"#, token: token)
            #expect(created.status == .created)
            #expect(created.object["description"] as? String == fancy)
            let pair = try await api.send(.post, "/tasks", json: #"{"title":"\ud83d\ude80"}"#, token: token)
            #expect(pair.object["title"] as? String == "🚀")
            let long = try await api.send(.post, "/tasks", json: #"{"title":"\#(String(repeating: "🚀", count: 201))"}"#, token: token)
            #expect(long.issues == ["string_too_long@body.title"], "characters, not bytes")
            let longest = try await api.send(.post, "/tasks", json: #"{"title":"\#(String(repeating: "🚀", count: 200))"}"#, token: token)
            #expect(longest.status == .created, "200 code points, though 400 UTF-16 units")
            let coder = "\u{1F469}\u{200D}\u{1F4BB}"
            let clusters = try await api.send(.post, "/tasks", json: #"{"title":"\#(String(repeating: coder, count: 67))"}"#, token: token)
            #expect(clusters.issues == ["string_too_long@body.title"], "201 code points, though 67 characters to Swift")
        }
    }

    /// Of two `Authorization` or `Content-Type` fields the first counts, as Starlette's
    /// `headers.get` took it in the old service (answers recorded from it); joined, as HTTP
    /// joins list fields, they were neither.
    @Test func aOneValueFieldGivenTwiceCountsItsFirst() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            func twice(_ name: HTTPField.Name, _ first: String, _ second: String) -> HTTPFields {
                var fields = HTTPFields()
                fields.append(HTTPField(name: name, value: first))
                fields.append(HTTPField(name: name, value: second))
                return fields
            }
            #expect(try await api.send(.get, "/tasks", headers: twice(.authorization, "Bearer \(token)", "Bearer x")).status == .ok)
            #expect(try await api.send(.get, "/tasks", headers: twice(.authorization, "Bearer x", "Bearer \(token)")).status == .unauthorized)
            let jsonFirst = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token, headers: twice(.contentType, "application/json", "text/plain"))
            #expect(jsonFirst.status == .created)
            let textFirst = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token, headers: twice(.contentType, "text/plain", "application/json"))
            #expect(textFirst.status == .unsupportedMediaType)
        }
    }

    @Test func credentialsAreCheckedBeforeTheBodyAndTheContentTypeBeforeBoth() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let unauthenticated = try await api.send(.post, "/tasks", json: "{bad")
            #expect(unauthenticated.status == .unauthorized)
            let plain = try await api.send(.post, "/tasks", json: "{bad", headers: [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
        }
    }

    /// As FastAPI answered: a known path with a trailing slash is a 307 to it without (query
    /// kept, nothing done), one with an empty segment inside is a 404, as is an unknown path.
    @Test func misplacedSlashesAreRedirectedOrNotFoundAsFastAPIAnswersThem() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let id = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token).object["id"] as! String
            let redirects = [
                ("GET", "/tasks/?limit=2&sort=title", "/tasks?limit=2&sort=title"), ("POST", "/tasks/", "/tasks"), ("GET", "/tasks//", "/tasks"),
                ("PATCH", "/tasks/\(id)/", "/tasks/\(id)"), ("DELETE", "/tasks/\(id)/", "/tasks/\(id)"), ("GET", "/auth/login/", "/auth/login"),
                ("GET", "/health/", "/health"),
            ]
            for (method, path, location) in redirects {
                let reply = try await api.send(HTTPRequest.Method(method)!, path, json: method == "GET" ? nil : #"{"title":"again"}"#, token: token)
                #expect(reply.status == .temporaryRedirect && reply.headers[.location] == location && reply.body.isEmpty, "\(method) \(path)")
            }
            // "//tasks/" too (recorded from the old service): cutting its slash leaves "//tasks".
            for path in ["//tasks", "/tasks//\(id)", "/nothing/", "//", "///", "//tasks/", "/tasks//\(id)/", "/"] {
                let reply = try await api.send(.get, path, token: token)
                #expect(reply.status == .notFound && reply.detail == "Not Found", "\(path)")
            }
            let metrics = try await api.send(.get, "/metrics").body
            #expect(metrics.contains(#"taskd_http_requests_total{method="PATCH",route="/tasks/{task_id}",status="307"} 1"#), "counted under the route it leads to")
            let tasks = try await api.send(.get, "/tasks", token: token).object
            #expect(tasks["total"] as? Int == 1, "the redirected POST and PATCH changed nothing")
            #expect(try await api.send(.get, "/tasks/\(id)", token: token).object["version"] as? Int == 1)
        }
    }
}

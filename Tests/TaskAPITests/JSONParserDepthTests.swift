import HTTPTypes
import TaskStoreTestSupport
import Testing

@testable import TaskAPI

@Suite struct JSONParserDepthTests {
    private func nested(_ depth: Int) -> [UInt8] {
        Array(#"{"title":"x","a":"#.utf8) + Array(String(repeating: "[", count: depth - 1).utf8)
            + Array(String(repeating: "]", count: depth - 1).utf8) + Array("}".utf8)
    }

    /// The service we replace read bodies nested 964 levels deep, so a client's unknown field
    /// may be that deep; deeper is refused before the parser's recursion could exhaust a
    /// thread's stack. Parsed off the caller's task too, as a request handler does.
    @Test func readsAsDeepAsTheOldServiceAndRefusesMore() async throws {
        let deepest = nested(JSONParser.bodyMaximumDepth)
        let parsed = try await Task.detached { try JSONParser.parse(deepest) }.value
        #expect(parsed["title"] == .string("x"))
        #expect(throws: JSONParser.Failure(offset: 17 + JSONParser.bodyMaximumDepth - 1, message: "Nesting deeper than 964 levels")) {
            try JSONParser.parse(nested(JSONParser.bodyMaximumDepth + 1))
        }
        #expect(throws: JSONParser.Failure(offset: 17 + 961 - 1, message: "Nesting deeper than 961 levels")) {
            try JSONParser.parse(nested(962), maximumDepth: JSONParser.loginMaximumDepth)
        }
    }

    /// Recorded from the service we replace: 963 arrays inside a task's body are taken, 964 are
    /// not; its login, which read JSON by another way, took 960 and refused 961.
    @Test func eachRouteRefusesTheDepthTheOldServiceRefused() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let token = try await api.signUp()
            func arrays(_ count: Int) -> String { String(repeating: "[", count: count) + String(repeating: "]", count: count) }
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"x","extra":"# + arrays(963) + "}", token: token.access).status == .created)
            let tooDeep = try await api.send(.post, "/tasks", json: #"{"title":"x","extra":"# + arrays(964) + "}", token: token.access)
            #expect(tooDeep.status == .unprocessableContent && tooDeep.issues == ["json_invalid@body.984"], "\(tooDeep.body)")
            let login = #"{"email":"ada@example.com","password":"wrong horse","x":"#
            #expect(try await api.send(.post, "/auth/login", json: login + arrays(960) + "}").status == .unauthorized)
            #expect(try await api.send(.post, "/auth/login", json: login + arrays(961) + "}").issues == ["json_invalid@body.1016"])
        }
    }
}

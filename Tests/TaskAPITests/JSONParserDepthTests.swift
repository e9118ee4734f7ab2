import Testing

@testable import TaskAPI

@Suite struct JSONParserDepthTests {
    private func nested(_ depth: Int) -> [UInt8] {
        Array(#"{"title":"x","a":"#.utf8) + Array(String(repeating: "[", count: depth - 1).utf8)
            + Array(String(repeating: "]", count: depth - 1).utf8) + Array("}".utf8)
    }

    /// The service we replace read bodies nested about a thousand levels deep (Python's
    /// recursion limit), so a client's unknown field may be that deep; deeper is refused before
    /// the parser's recursion could exhaust a thread's stack. Parsed off the caller's task too,
    /// as a request handler does.
    @Test func readsAThousandLevelsAndRefusesMore() async throws {
        let deepest = nested(JSONParser.maximumDepth)
        let parsed = try await Task.detached { try JSONParser.parse(deepest) }.value
        #expect(parsed["title"] == .string("x"))
        #expect(throws: JSONParser.Failure(offset: 17 + JSONParser.maximumDepth - 1, message: "Nesting deeper than 1000 levels")) {
            try JSONParser.parse(nested(JSONParser.maximumDepth + 1))
        }
    }
}

import Testing

@testable import TaskAPI

/// Values other than strings, as Python's `json` (and so the service we replace) read them.
@Suite struct JSONParserValueTests {
    private func parse(_ text: String) -> Result<JSONValue, JSONParser.Failure> {
        Result { () throws(JSONParser.Failure) in try JSONParser.parse(Array(text.utf8)) }
    }

    /// A literal may end the body: `true` alone is a value (FastAPI then answers that it is not
    /// an object), not "Expecting value".
    @Test func aLiteralReadsUpToTheLastByteOfTheBody() throws {
        let cases: [(String, JSONValue)] = [("true", .bool(true)), ("false", .bool(false)), ("null", .null), (" null ", .null), ("[true]", .array([.bool(true)]))]
        for (text, expected) in cases {
            #expect(try parse(text).get() == expected, "\(text)")
        }
        #expect(parse("tru") == .failure(.init(offset: 0, message: "Expecting value")))
        #expect(parse("[nul]") == .failure(.init(offset: 1, message: "Expecting value")))
    }

    /// Whitespace inside an empty object or array is whitespace, as between any other tokens.
    @Test func anEmptyObjectOrArrayMayHoldWhitespace() throws {
        #expect(try parse("{ }").get() == .object([]))
        #expect(try parse("{\r\n\t}").get() == .object([]))
        #expect(try parse("[ ]").get() == .array([]))
        #expect(try parse(#"{"tags": [ ], "extra": { }}"#).get() == .object([("tags", .array([])), ("extra", .object([]))]))
        #expect(parse("{ ,}") == .failure(.init(offset: 2, message: "Expecting property name enclosed in double quotes")))
        #expect(parse("[ ,]") == .failure(.init(offset: 2, message: "Expecting value")))
    }
}

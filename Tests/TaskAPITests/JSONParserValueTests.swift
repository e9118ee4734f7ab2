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

    /// A repeated key keeps its first place and its last value, as a Python dict does (the old
    /// service echoed this body as `{"x":3,"é":2,"é":4,"n":{"a":3,"b":2}}`); "e" with a combining
    /// accent and "é" are two keys, as they are to Python.
    @Test func aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() throws {
        let value = try parse(#"{"x":1,"e\u0301":2,"x":3,"\u00e9":4,"n":{"a":1,"b":2,"a":3}}"#).get()
        guard case .object(let members) = value else { Issue.record("not an object: \(value)"); return }
        #expect(members.map { Array($0.0.unicodeScalars) } == [["x"], ["e", "\u{301}"], ["\u{E9}"], ["n"]])
        #expect(members.map(\.1) == [.number("3"), .number("2"), .number("4"), .object([("a", .number("3")), ("b", .number("2"))])])
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

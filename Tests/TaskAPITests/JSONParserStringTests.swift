import Testing

@testable import TaskAPI

/// Strings, the parser's hottest part: what each form reads as, and where each error is reported.
@Suite struct JSONParserStringTests {
    private func parse(_ bytes: [UInt8]) -> Result<JSONValue, JSONParser.Failure> {
        Result { () throws(JSONParser.Failure) in try JSONParser.parse(bytes) }
    }

    private func parse(_ text: String) -> Result<JSONValue, JSONParser.Failure> { parse(Array(text.utf8)) }

    @Test func stringsReadAsWritten() throws {
        let cases: [(String, JSONValue)] = [
            (#""""#, .string("")),
            (#""plain text""#, .string("plain text")),
            (#""café ☕ 😀""#, .string("café ☕ 😀")),
            (#""a\"b\\c\/d\n\t\r\b\f""#, .string("a\"b\\c/d\n\t\r\u{08}\u{0C}")),
            (#""\u00e9\u2615 then plain""#, .string("é☕ then plain")),
            (#""\ud83d\ude00""#, .string("😀")),
            // The highest pair, the last code point; DEL is not a control character to Python's json.
            (#""\udbff\udfff""#, .string("\u{10FFFF}")),
            ("\"ok\u{7F}\"", .string("ok\u{7F}")),
            // Tabs, line feeds and carriage returns are whitespace between tokens, as spaces are.
            ("\t{\t\"a\"\t:\r\n[\t1\t,\n2\r]\t}\t", .object([("a", .array([.number("1"), .number("2")]))])),
            (#""lone \ud800 here""#, .unpairedSurrogateString(replaced: "lone \u{FFFD} here")),
            // A high surrogate whose next escape is not a low one stays lone; that escape is read on its own.
            (#""\ud800\u0041""#, .unpairedSurrogateString(replaced: "\u{FFFD}A")),
            (#""\ud800\ud800\udc00""#, .unpairedSurrogateString(replaced: "\u{FFFD}\u{10000}")),
            (#"{"title":"x","description":"y \"quoted\""}"#, .object([("title", .string("x")), ("description", .string("y \"quoted\""))])),
        ]
        for (text, expected) in cases {
            #expect(try parse(text).get() == expected, "\(text)")
        }
    }

    @Test func stringErrorsNameTheirOffset() {
        let cases: [([UInt8], JSONParser.Failure)] = [
            (Array(#"{"a":"ok\#u{01}"}"#.utf8), .init(offset: 8, message: "Invalid control character at")),
            (Array(#"{"a":"ok\#u{1F}"}"#.utf8), .init(offset: 8, message: "Invalid control character at")),
            (Array(#"{"a":"no end"#.utf8), .init(offset: 5, message: "Unterminated string starting at")),
            (Array(#"{"a":"\q"}"#.utf8), .init(offset: 6, message: "Invalid \\escape")),
            (Array(#""\u12""#.utf8), .init(offset: 2, message: "Invalid \\uXXXX escape")),
            (Array(#""\ud83d\uZZZZ""#.utf8), .init(offset: 8, message: "Invalid \\uXXXX escape")),
            // Four digits and then the end of the body: Python's error is the escape's, not the string's.
            (Array(#""\u0041"#.utf8), .init(offset: 2, message: "Invalid \\uXXXX escape")),
            (Array(#"["\u0041"#.utf8), .init(offset: 3, message: "Invalid \\uXXXX escape")),
            (Array(#""\ud800\udc00"#.utf8), .init(offset: 8, message: "Invalid \\uXXXX escape")),
            (Array(#""\u0041x"#.utf8), .init(offset: 0, message: "Unterminated string starting at")),
            (Array(#""\ud800\"#.utf8), .init(offset: 0, message: "Unterminated string starting at")),
        ]
        for (bytes, expected) in cases {
            guard case .failure(let failure) = parse(bytes) else {
                Issue.record("\(bytes) parsed")
                continue
            }
            #expect(failure == expected, "\(bytes)")
        }
    }

    /// As the service we replace answered (Python's `json`, which decodes the whole body first):
    /// offsets count characters, not bytes, and bytes that are not UTF-8 anywhere are one error
    /// at 0, before any other. A \\u escape's error is at its "u", any other escape's at its backslash.
    @Test func offsetsCountCharactersAndBytesThatAreNotUTF8AreOneErrorAtZero() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let cases: [([UInt8], JSONParser.Failure)] = [
            (Array(#"{"é" 1}"#.utf8), .init(offset: 5, message: "Expecting ':' delimiter")),
            (Array(#"{"é": 1,}"#.utf8), .init(offset: 8, message: "Expecting property name enclosed in double quotes")),
            // Three and four bytes a character are one character each too.
            (Array(#"{"€😀" 1}"#.utf8), .init(offset: 6, message: "Expecting ':' delimiter")),
            (Array(#""é\x""#.utf8), .init(offset: 2, message: "Invalid \\escape")),
            (Array("\"é\u{01}\"".utf8), .init(offset: 2, message: "Invalid control character at")),
            (Array(#""é\u12""#.utf8), .init(offset: 3, message: "Invalid \\uXXXX escape")),
            (Array(#"{"password": "passwoéd1"}1"#.utf8), .init(offset: 25, message: "Extra data")),
            (mark + Array(#"{"é" 1}"#.utf8), .init(offset: 5, message: "Expecting ':' delimiter")),
            ([UInt8(ascii: "\""), 0x61, 0xFF, 0x62, UInt8(ascii: "\"")], .init(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte 2)")),
            ([UInt8(ascii: "\""), 0x5C, 0x6E, 0xC3, UInt8(ascii: "\"")], .init(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte 3)")),
            ([UInt8(ascii: "{"), 0xFF], .init(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte 1)")),
            // 0x80, the lowest byte that is not ASCII, is never a character's first byte.
            (Array(#"{"a":"x"#.utf8) + [0x80] + Array(#""}"#.utf8), .init(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte 7)")),
            (mark + Array(#"{"a":"#.utf8) + [0xE9, UInt8(ascii: "}")], .init(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte 8)")),
        ]
        for (bytes, expected) in cases {
            #expect(parse(bytes) == .failure(expected), "\(bytes)")
        }
        #expect(try parse(Array(#"{"é":"ü\n😀"}"#.utf8)).get() == .object([("é", .string("ü\n😀"))]))
    }

    /// A number is what Python's `json` reads as one, `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`: a
    /// fraction or exponent without digits is left out of it, and the error is Python's for what
    /// follows (each recorded from the service we replace). It was "Expecting value" at the number.
    @Test func aFractionOrExponentWithoutDigitsEndsTheNumberBeforeIt() throws {
        let cases: [(String, JSONParser.Failure)] = [
            (#"{"email": 1.}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
            (#"{"email": 1.e5}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
            (#"{"email": 1e}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
            (#"{"email": 1e+}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
            (#"{"email": 1E-x}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
            (#"{"email": 1.5e3x}"#, .init(offset: 15, message: "Expecting ',' delimiter")),
            (#"{"email": -}"#, .init(offset: 10, message: "Expecting value")),
            (#"{"email": .5}"#, .init(offset: 10, message: "Expecting value")),
            ("1.", .init(offset: 1, message: "Extra data")),
            ("1e", .init(offset: 1, message: "Extra data")),
            ("[1.]", .init(offset: 2, message: "Expecting ',' delimiter")),
            // A leading zero is a number of its own, as in Python's json: what follows it is not part of it.
            ("01", .init(offset: 1, message: "Extra data")),
            ("-01", .init(offset: 2, message: "Extra data")),
            ("[01]", .init(offset: 2, message: "Expecting ',' delimiter")),
            (#"{"email": 00}"#, .init(offset: 11, message: "Expecting ',' delimiter")),
        ]
        for (text, expected) in cases {
            #expect(parse(Array(text.utf8)) == .failure(expected), "\(text)")
        }
        #expect(try parse(Array("[-0.0e-0, 10, 1.5E+3]".utf8)).get() == .array([.number("-0.0e-0"), .number("10"), .number("1.5E+3")]))
    }

    /// The service we replace read a body behind a UTF-8 byte order mark (Python's `json` skips
    /// it); offsets of errors count from after it, as Python's do.
    @Test func aLeadingByteOrderMarkIsSkipped() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try parse(mark + Array(#"{"title":"x"}"#.utf8)).get() == .object([("title", .string("x"))]))
        #expect(parse(mark + Array("{,".utf8)) == .failure(.init(offset: 1, message: "Expecting property name enclosed in double quotes")))
        #expect(parse(mark + mark + Array("{}".utf8)) == .failure(.init(offset: 0, message: "Expecting value")), "one mark only")
    }
}

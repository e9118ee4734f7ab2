import Foundation
import TaskStoreTestSupport
import TaskStore
import Testing

@testable import TaskAPI

/// The hand-written id forms against Foundation's, which they replace on hot paths.
@Suite struct UUIDTextTests {
    @Test func writtenIdsAreFoundationsFormLowercased() {
        for id in (0..<200).map({ _ in UUID() }) + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))] {
            var writer = JSONWriter()
            writer.uuid(id)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"\(id.uuidString.lowercased())\"")
            #expect(id.lowercased == id.uuidString.lowercased())
        }
    }

    /// Foundation's `sscanf` takes malformed text (spaces, a hyphen inside a group) and returns
    /// some id for it; such an id is a client's mistake, so it is refused here. What Pydantic
    /// takes, the service we replace took, so it is taken here: the hyphenated form, 32 hex
    /// digits, braces and the `urn:uuid:` prefix, either case of hex digit.
    @Test func parsingTakesExactlyTheFormsPydanticTakes() throws {
        let hyphenated = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
        let accepted = try Regex("^(\(hyphenated)|[0-9a-fA-F]{32}|\\{\(hyphenated)\\}|urn:uuid:\(hyphenated))$")
        func canonical(_ text: String) -> UUID? {
            guard text.wholeMatch(of: accepted) != nil else { return nil }
            let digits = text.replacing("urn:uuid:", with: "").filter(\.isHexDigit)
            let groups = [digits.prefix(8), digits.dropFirst(8).prefix(4), digits.dropFirst(12).prefix(4), digits.dropFirst(16).prefix(4), digits.dropFirst(20)]
            return UUID(uuidString: groups.joined(separator: "-"))
        }
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("0123456789abcdefABCDEF-gG{}: é")
        for _ in 0..<4000 {
            let id = UUID()
            let forms = [id.uuidString, id.uuidString.lowercased(), id.uuidString.filter { $0 != "-" }, "{\(id.uuidString)}", "urn:uuid:\(id.uuidString.lowercased())"]
            var text = Array(forms.randomElement(using: &random)!)
            #expect(UUID(text: String(text)) == id, "\(String(text))")
            switch Int.random(in: 0..<5, using: &random) {
            case 0: break
            case 1: text[Int.random(in: 0..<text.count, using: &random)] = alphabet.randomElement(using: &random)!
            case 2: text.remove(at: Int.random(in: 0..<text.count, using: &random))
            case 3: text.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...text.count, using: &random))
            default: text.swapAt(Int.random(in: 0..<text.count, using: &random), Int.random(in: 0..<text.count, using: &random))
            }
            let string = String(text)
            #expect(UUID(text: string) == canonical(string), "\(string)")
        }
        for invalid in ["", "not-a-uuid", String(repeating: "0", count: 36), "URN:UUID:00000000-0000-0000-0000-000000000000", "{00000000000000000000000000000000}"] {
            #expect(UUID(text: invalid) == nil)
        }
    }

    /// Each problem as the service we replace words it (recorded from its answers), so that a
    /// client learns which character or group to fix.
    @Test func problemsAreWordedAsPydanticWordsThem() {
        let id = "2a88e907-60b6-4760-9f23-c810a7e0a8c9"
        let cases: [(String, String)] = [
            ("", "invalid length: found 0"),
            ("x", "invalid character: found `x` at 0"),
            ("123", "invalid length: found 3"),
            ("{x}", "invalid character: found `x` at 1"),
            ("{}", "invalid group count: expected 5, found 1"),
            ("urn:uuid:x", "invalid character: found `x` at 9"),
            ("aé", "invalid character: found `é` at 1"),
            ("2a88e907-\u{1F600}0b6-4760-9f23-c810a7e0a8c9", "invalid character: found `\u{1F600}` at 9"),
            ("{\(id)}x", "invalid character: found `{` at 0"),
            ("\(id)}", "invalid character: found `}` at 36"),
            ("{\(id.dropLast())}", "invalid group length in group 4: expected 12, found 13"),
            ("urn:uuid:\(id.dropLast())", "invalid group length in group 4: expected 12, found 20"),
            ("\(id)0", "invalid group length in group 4: expected 12, found 13"),
            ("2a88e9070-60b6-4760-9f23-c810a7e0a8c9", "invalid group length in group 0: expected 8, found 9"),
            ("2a88e907-60b60-4760-9f23-c810a7e0a8c9", "invalid group length in group 1: expected 4, found 5"),
            ("a-b-c-d-e", "invalid group length in group 0: expected 8, found 1"),
            ("a-b", "invalid group count: expected 5, found 2"),
            ("2a88e907-60b64760-9f23-c810a7e0a8c90", "invalid group count: expected 5, found 4"),
            ("2a88e90760b647609f23c810a7e0a8c90", "invalid length: found 33"),
            ("{2a88e90760b647609f23c810a7e0a8c9}", "invalid group count: expected 5, found 1"),
            ("urn:uuid:\(id)0", "invalid length: found 46"),
            (String(repeating: "x", count: 46), "invalid length: found 46"),
            (String(repeating: "é", count: 23), "invalid length: found 46"),
            (String(repeating: "é", count: 22), "invalid character: found `é` at 0"),
            // Text of a form's length is judged as that form's digits, positions counted from them.
            ("{10115491-2f8d-58a9-1 f4-32872ca52162}", "invalid character: found ` ` at 20"),
            ("urn:uuid:332e445d-24fc-7_5f-8ce2-187893887072", "invalid character: found `_` at 15"),
            ("urn:uuid:{1234567-0123-0123-0123-0123456789a}", "invalid character: found `{` at 0"),
            ("{0123456-70123-0123-0123-0123456789ab}", "invalid group length in group 0: expected 8, found 7"),
            (String(repeating: "0", count: 36), "invalid group count: expected 5, found 1"),
            // 36 bytes is the hyphenated form's length, braces or not.
            ("{66689e4d-db0f-d28bT86-d3bbc7 f2561}", "invalid character: found `{` at 0"),
            ("{{1234567-0123-0123-0123-0123456789ab}}", "invalid character: found `{` at 1"),
            ("2a88e907-60b6-4760-9f230-c810a7e0a8c", "invalid group length in group 3: expected 4, found 5"),
            ("2a88e907-60b6-4760-9f2-3c810a7e0a8c9", "invalid group length in group 3: expected 4, found 3"),
            ("2a88e907-60b6-47600-9f23-c810a7e0a8c", "invalid group length in group 2: expected 4, found 5"),
            // A character is judged by its low byte: "Ł" (U+0141) is an "A", "İ" (U+0130) a "0"
            // and "ĭ" (U+012D) a hyphen; "ŭ" (U+016D, an "m") and "Ġ" (a space) are not digits.
            // Positions and lengths count bytes.
            ("2a88e907-60b6-4760-9f23-c810a7e0a8Ł", "invalid group length in group 4: expected 12, found 12"),
            ("{2a88e907-60b6-4760-9f23-c810a7e0a8Ł}", "invalid group length in group 4: expected 12, found 12"),
            ("İa88e907-60b6-4760-9f23-c810a7e0a8c9", "invalid group length in group 0: expected 8, found 9"),
            ("2a88e907ĭ60b6-4760-9f23-c810a7e0a8c9", "invalid group length in group 1: expected 4, found 5"),
            ("ĭĭĭĭ", "invalid group length in group 0: expected 8, found 0"),
            ("ŁŁŁ-", "invalid group count: expected 5, found 2"),
            ("2a88e90760b64760Ł9f23c810a7e0a8c", "invalid length: found 33"),
            ("Ł", "invalid length: found 2"),
            ("ŁŁx", "invalid character: found `x` at 4"),
            ("{Łx}", "invalid character: found `x` at 3"),
            ("urn:uuid:Łx", "invalid character: found `x` at 11"),
            ("ŭ", "invalid character: found `ŭ` at 0"),
            ("Ġ", "invalid character: found `Ġ` at 0"),
            ("Ā", "invalid character: found `Ā` at 0"),
        ]
        for (text, problem) in cases {
            #expect(UUID(text: text) == nil, "\(text)")
            #expect(UUID.problem(parsing: text) == problem, "\(text)")
        }
    }
}

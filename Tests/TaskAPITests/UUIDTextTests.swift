import Foundation
import TaskStoreTestSupport
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

    /// Foundation's `sscanf` also takes malformed text (spaces, a hyphen inside a group) and
    /// returns some id for it; such an id is a client's mistake, so it is refused here, as the
    /// service we replace refused it.
    @Test func parsingTakesExactlyTheHyphenatedHexFormAsFoundationReadsIt() throws {
        let canonical = try Regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("0123456789abcdefABCDEF-gG{} é")
        for _ in 0..<3000 {
            var text = Array(Bool.random(using: &random) ? UUID().uuidString : UUID().uuidString.lowercased())
            switch Int.random(in: 0..<5, using: &random) {
            case 0: break
            case 1: text[Int.random(in: 0..<text.count, using: &random)] = alphabet.randomElement(using: &random)!
            case 2: text.remove(at: Int.random(in: 0..<text.count, using: &random))
            case 3: text.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...text.count, using: &random))
            default: text.swapAt(Int.random(in: 0..<text.count, using: &random), Int.random(in: 0..<text.count, using: &random))
            }
            let string = String(text)
            let expected = string.wholeMatch(of: canonical) != nil ? UUID(uuidString: string) : nil
            #expect(UUID(text: string) == expected, "\(string)")
        }
        for invalid in ["", "not-a-uuid", String(repeating: "0", count: 36), "{00000000-0000-0000-0000-000000000000}"] {
            #expect(UUID(text: invalid) == nil)
        }
    }
}

import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// The byte-wise ASCII path against the `lowercased().contains` it stands in for.
@Suite struct TextSearchTests {
    @Test func agreesWithLowercasedContainsOnMixedText() {
        var random = SeededGenerator(seed: 5)
        let pieces = ["a", "B", "c", "Report", "REP", "x", " ", "1", "\r", "\n", "\r\n", "é", "e\u{301}", "\u{212A}", "k", "K", "İ", "i", "ß", "SS", "😀", "-"]
        func text(_ length: Int) -> String { (0..<length).map { _ in pieces.randomElement(using: &random)! }.joined() }
        for _ in 0..<4000 {
            let haystack = text(Int.random(in: 0..<12, using: &random))
            var needle = text(Int.random(in: 0..<4, using: &random))
            if Bool.random(using: &random), !haystack.isEmpty {
                // A piece of the haystack itself, its case flipped at random.
                let characters = Array(haystack)
                let start = Int.random(in: 0..<characters.count, using: &random)
                let end = Int.random(in: start...characters.count, using: &random)
                needle = String(characters[start..<end]).map { Bool.random(using: &random) ? $0.uppercased() : $0.lowercased() }.joined()
            }
            let expected = haystack.lowercased().contains(needle.lowercased())
            #expect(TextSearch(needle).matches(haystack) == expected, "\(haystack.debugDescription) contains \(needle.debugDescription)")
        }
    }

    @Test func plainASCIIMatchesIgnoringCase() {
        let search = TextSearch("REPort")
        #expect(search.matches("Quarterly report 7"))
        #expect(search.matches("REPORT"))
        #expect(!search.matches("repor"))
        #expect(TextSearch("").matches("anything"))
    }
}

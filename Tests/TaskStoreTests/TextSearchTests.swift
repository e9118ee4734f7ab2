import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct TextSearchTests {
    /// Each answer recorded from the service we replace (PostgreSQL's lower() and LIKE under
    /// C.UTF-8) over these titles.
    @Test func matchesAsTheServiceWeReplaceMatched() {
        let titles = ["Straße", "İstanbul", "ΣΟΦΙΑ", "σοφιας", "Ǆemal", "ÉCOLE", "ﬁsh", "KELVIN K", "e\u{301}clair", "éclair", "ＡＢＣ", "Ⅻ", "ıi", "Iİ", "ß", "ẞ"]
        let cases: [(String, [String])] = [
            ("istanbul", ["İstanbul"]),
            ("i\u{307}stanbul", []),
            ("İ", ["İstanbul", "KELVIN K", "e\u{301}clair", "éclair", "ıi", "Iİ"]),
            ("e\u{301}", ["e\u{301}clair"]),
            ("éclair", ["éclair"]),
            ("é", ["ÉCOLE", "éclair"]),
            ("σοφια", ["ΣΟΦΙΑ", "σοφιας"]),
            ("ΣΟΦΙΑΣ", []),
            ("STRASSE", []),
            ("ẞ", ["Straße", "ß", "ẞ"]),
            ("ǆemal", ["Ǆemal"]),
            ("fi", []),
            ("ａｂｃ", ["ＡＢＣ"]),
            ("ⅻ", ["Ⅻ"]),
            ("k", ["KELVIN K"]),
        ]
        for (query, expected) in cases {
            let search = TextSearch(query)
            #expect(titles.filter(search.matches).map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) }, "\(query.debugDescription)")
        }
    }

    /// An empty query is in every text, the empty one too, by either path.
    @Test func anEmptyQueryMatchesEverything() {
        for text in ["", "a", "é", "Straße"] { #expect(TextSearch("").matches(text), "\(text.debugDescription)") }
    }

    /// ASCII folds "A" to "Z" and nothing else: the range's neighbours ("@", "[") stay as they are.
    @Test func asciiFoldsExactlyTheLettersAToZ() {
        #expect(TextSearch("abz").matches("xABZx"))
        #expect(TextSearch("ABZ").matches("abz"))
        #expect(!TextSearch("`").matches("@") && !TextSearch("@").matches("`"))
        #expect(!TextSearch("{").matches("[") && !TextSearch("[").matches("{"))
    }

    /// The byte-by-byte path for ASCII text against the code-point path it stands in for.
    @Test func theASCIIPathAgreesWithTheCodePointPath() {
        var random = SeededGenerator(seed: 5)
        let pieces = ["a", "B", "c", "Report", "REP", "x", " ", "1", "\r", "\n", "\r\n", "-", "_", "%"]
        func text(_ length: Int) -> String { (0..<length).map { _ in pieces.randomElement(using: &random)! }.joined() }
        for _ in 0..<4000 {
            let haystack = text(Int.random(in: 0..<12, using: &random))
            var needle = text(Int.random(in: 0..<4, using: &random))
            if Bool.random(using: &random), !haystack.isEmpty {
                let scalars = Array(haystack.unicodeScalars)
                let start = Int.random(in: 0..<scalars.count, using: &random)
                let end = Int.random(in: start...scalars.count, using: &random)
                needle = String(String.UnicodeScalarView(scalars[start..<end])).uppercased()
            }
            // A non-ASCII code point that the needle cannot hold sends the haystack down the other path.
            let search = TextSearch(needle)
            #expect(search.matches(haystack) == search.matches(haystack + "\u{2603}"), "\(haystack.debugDescription) contains \(needle.debugDescription)")
            // By code point, where "\r" is found inside "\r\n" (String.contains would not).
            let text = Array(haystack.lowercased().unicodeScalars), wanted = Array(needle.lowercased().unicodeScalars)
            let expected = wanted.isEmpty || (0..<max(0, text.count - wanted.count + 1)).contains { text[$0..<$0 + wanted.count].elementsEqual(wanted) }
            #expect(search.matches(haystack) == expected, "\(haystack.debugDescription) contains \(needle.debugDescription)")
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

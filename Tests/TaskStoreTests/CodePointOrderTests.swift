import Testing
@testable import TaskStore

/// Titles and category names sort by code point, as PostgreSQL's C.UTF-8 collation sorted them
/// for the service we replace.
@Suite struct CodePointOrderTests {
    private func sign(_ a: String, _ b: String) -> Int { a.compareCodePoints(b).signum() }

    /// A text sorts before any longer one it begins: the length decides where the bytes agree.
    @Test func aPrefixSortsFirst() {
        #expect(sign("ab", "abc") == -1 && sign("abc", "ab") == 1)
        #expect(sign("", "a") == -1 && sign("a", "") == 1)
        #expect(sign("", "") == 0 && sign("abc", "abc") == 0)
    }

    @Test func bytesDecideNotCaseOrCanonicalEquivalence() {
        #expect(sign("Work", "errands") == -1, "capitals first")
        #expect(sign("e\u{301}", "é") == -1, "two spellings of one text differ: 0x65 before 0xC3")
        #expect(sign("z", "é") == -1 && sign("é", "😀") == -1)
    }
}

import Testing

@testable import TaskStore

/// Which category names are one name, each pair recorded from the service we replace (a 409
/// when the second was created after the first, a 201 when not).
@Suite struct FoldedNameTests {
    @Test func namesAreOneWhereTheServiceWeReplaceHadThemBeOne() {
        let same: [(String, String)] = [("İstanbul", "istanbul"), ("ΑΣ", "ασ"), ("éte", "ÉTE"), ("ǅ", "ǆ"), ("ǅ", "Ǆ"), ("K", "\u{212A}")]
        let different: [(String, String)] = [("ΑΣ", "ας"), ("éte", "e\u{301}te"), ("Straße", "STRASSE"), ("ﬁ", "FI"), ("İstanbul", "i\u{307}stanbul")]
        for (a, b) in same { #expect(FoldedName(a) == FoldedName(b), "\(a) \(b)") }
        for (a, b) in different { #expect(FoldedName(a) != FoldedName(b), "\(a) \(b)") }
    }
}

import Testing

@testable import TaskAPI

/// Each expected value is what Python 3.11's `str.lower()` gave for the input.
@Suite struct PythonLowercaseTests {
    @Test(arguments: [
        ("ΑΣ@example.com", "ας@example.com"),
        ("ΟΔΟΣ@ΕΛΛΑΣ.GR", "οδος@ελλασ.gr"),  // a period is case-ignorable: the next cased letter is G
        ("Σ@x.co", "σ@x.co"), ("AΣb@x.co", "aσb@x.co"), ("1Σ", "1σ"),
        ("ΑΣ'Α@x.co", "ασ'α@x.co"), ("ΑΣ'@x.co", "ας'@x.co"),
        ("Σ", "σ"), ("ΑΣ", "ας"), ("ΑΣΣ", "ασς"), ("Α\u{301}Σ", "α\u{301}ς"), ("ΑΣ\u{301}", "ας\u{301}"), ("ΑΣ.Α", "ασ.α"),
        ("İΣ", "i\u{307}ς"), ("ADA@Example.COM", "ada@example.com"), ("ẞ", "ß"),
    ])
    func lowercasesAsPythonDoes(input: String, expected: String) {
        #expect(Array(input.pythonLowercased.unicodeScalars) == Array(expected.unicodeScalars))
    }
}

import Testing

@testable import TaskAPI

@Suite struct StringTrimmingTests {
    /// Unicode's White_Space characters, which Rust's `trim` (and so Pydantic) removes.
    static let whiteSpace: Set<UInt32> = Set([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000] + Array(0x2000...0x200A))

    /// Every first and last character, ASCII or not, against a trim by that list; the fast path
    /// must never skip a trim that is due.
    @Test func trimsExactlyUnicodeWhiteSpace() {
        let edges: [String] = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
            + ["\u{85}", "\u{A0}", "\u{1680}", "\u{180E}", "\u{2000}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "é", "😀", " \u{301}"]
        func expected(_ text: String) -> String {
            var scalars = Array(text.unicodeScalars)
            while let first = scalars.first, Self.whiteSpace.contains(first.value) { scalars.removeFirst() }
            while let last = scalars.last, Self.whiteSpace.contains(last.value) { scalars.removeLast() }
            return String(String.UnicodeScalarView(scalars))
        }
        for first in edges {
            for last in edges {
                for middle in ["", "x", " a b "] {
                    let text = first + middle + last
                    #expect(text.trimmedOfWhitespace == expected(text), "\(text.debugDescription)")
                }
            }
        }
        #expect("".trimmedOfWhitespace == "")
        #expect("\u{200B}".trimmedOfWhitespace == "\u{200B}", "the service we replace keeps a zero-width space")
    }

    /// Python's `str.strip()` (emails) takes the information separators U+001C to U+001F too,
    /// which its `isspace()` counts and Unicode's White_Space does not.
    @Test func pythonStripTakesTheInformationSeparatorsToo() {
        #expect("\u{1C}\u{1D} a@b.co\u{1E}\u{1F}".pythonStripped == "a@b.co")
        #expect("\u{1F}a@b.co".trimmedOfWhitespace == "\u{1F}a@b.co")
        #expect("\u{85}\u{3000}a b\u{2029}".pythonStripped == "a b")
        #expect("\u{200B}a\u{1B}".pythonStripped == "\u{200B}a\u{1B}", "nor a zero-width space nor an escape")
        #expect("\u{1C}".pythonStripped == "" && "".pythonStripped == "")
    }
}

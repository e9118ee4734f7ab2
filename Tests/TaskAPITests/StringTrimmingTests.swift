import Foundation
import Testing

@testable import TaskAPI

@Suite struct StringTrimmingTests {
    /// The fast path must never skip a trim Foundation would make: every first and last
    /// character, ASCII or not, against `trimmingCharacters(in: .whitespacesAndNewlines)`.
    @Test func trimsExactlyAsFoundationDoes() {
        let edges: [String] = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
            + ["\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "é", "😀"]
        for first in edges {
            for last in edges {
                for middle in ["", "x", " a b "] {
                    let text = first + middle + last
                    #expect(text.trimmedOfWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
                }
            }
        }
        #expect("".trimmedOfWhitespace == "")
    }
}

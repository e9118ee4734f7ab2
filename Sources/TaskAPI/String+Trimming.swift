extension String {
    /// The text without the Unicode White_Space characters at either end, as Pydantic's
    /// `strip_whitespace` (Rust's `trim`) leaves it. Not Foundation's `.whitespacesAndNewlines`,
    /// which also takes a zero-width space (U+200B) that the service we replace kept.
    var trimmedOfWhitespace: String { trimmed(of: { $0.properties.isWhitespace }) }

    /// The text as Python's `str.strip()` leaves it, which the old service applied to emails:
    /// Unicode White_Space and the four information separators (U+001C to U+001F) that Python's
    /// `isspace()` counts too.
    var pythonStripped: String { trimmed(of: { $0.properties.isWhitespace || (0x1C...0x1F).contains($0.value) }) }

    /// Skipped when the text starts and ends with a visible ASCII character (nearly always): the
    /// trim was 5% of a task create.
    private func trimmed(of isSpace: (Unicode.Scalar) -> Bool) -> String {
        guard let first = utf8.first, let last = utf8.last, !Self.isVisibleASCII(first) || !Self.isVisibleASCII(last) else {
            return self
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

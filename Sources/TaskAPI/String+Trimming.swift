extension String {
    /// The text without the Unicode White_Space characters at either end, as Pydantic's
    /// `strip_whitespace` (Rust's `trim`) leaves it. Not Foundation's `.whitespacesAndNewlines`,
    /// which also takes a zero-width space (U+200B) that the service we replace kept.
    /// Skipped when the text starts and ends with a visible ASCII character (nearly always): the
    /// trim was 5% of a task create.
    var trimmedOfWhitespace: String {
        guard let first = utf8.first, let last = utf8.last, !Self.isVisibleASCII(first) || !Self.isVisibleASCII(last) else {
            return self
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

import Foundation

extension String {
    /// Foundation's trim of `.whitespacesAndNewlines`, skipped when the text starts and ends with
    /// a visible ASCII character (nearly always): the trim was 5% of a task create.
    var trimmedOfWhitespace: String {
        guard let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) else {
            return trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return self
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

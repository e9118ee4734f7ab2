/// `q=`: whether a task's text contains the query, ignoring case. Lowercasing every title and
/// description per request cost 14 ms over 10,000 tasks; plain ASCII text (nearly all of it) is
/// now compared byte by byte with ASCII case folding, allocating nothing. Anything else goes
/// through `lowercased()` as before, so both paths agree: Unicode case mappings, and "\r\n"
/// being one Character, only ever occur on the slow path.
struct TextSearch: Sendable {
    let needle: String
    private let needleBytes: [UInt8]
    private let needleIsPlainASCII: Bool

    init(_ query: String) {
        needle = query.lowercased()
        needleBytes = Array(needle.utf8)
        needleIsPlainASCII = needleBytes.allSatisfy(Self.isPlainASCII)
    }

    func matches(_ text: String) -> Bool {
        if let found = asciiContains(text) { return found }
        return text.lowercased().contains(needle)
    }

    /// nil when `text` is not plain ASCII and the byte comparison cannot answer.
    private func asciiContains(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { haystack -> Bool? in
            guard haystack.allSatisfy(Self.isPlainASCII) else { return nil }
            // Lowercased plain ASCII is plain ASCII: it cannot hold anything else.
            guard needleIsPlainASCII else { return false }
            guard !needleBytes.isEmpty else { return true }
            guard haystack.count >= needleBytes.count else { return false }
            for start in 0...(haystack.count - needleBytes.count) {
                var matched = true
                for offset in 0..<needleBytes.count where Self.folded(haystack[start + offset]) != needleBytes[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            return false
        }
    }

    /// ASCII other than carriage return (which pairs with "\n" into one Character).
    private static func isPlainASCII(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x0D }

    private static func folded(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

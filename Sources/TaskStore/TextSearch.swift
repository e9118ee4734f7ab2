/// `q=`: whether a task's text contains the query, ignoring case, as the service we replace
/// matched it (PostgreSQL's `lower(title) LIKE lower('%q%')` under C.UTF-8): each code point
/// lowercased on its own (simple case mapping: "İ" is "i", "Σ" is always "σ", "ß" stays), then
/// code points compared, so two spellings of one letter ("é" and "e\u{301}") are different text.
/// Plain ASCII text (nearly all of it) is compared byte by byte, allocating nothing:
/// lowercasing every title and description per request cost 14 ms over 10,000 tasks.
struct TextSearch: Sendable {
    private let needle: [Unicode.Scalar]
    /// The lowercased query's bytes when it is all ASCII, for the byte-by-byte path.
    private let asciiNeedle: [UInt8]?

    init(_ query: String) {
        needle = query.unicodeScalars.map(Self.lowercase)
        asciiNeedle = needle.allSatisfy(\.isASCII) ? needle.map { UInt8($0.value) } : nil
    }

    func matches(_ text: String) -> Bool {
        if let found = asciiContains(text) { return found }
        return Self.contains(text.unicodeScalars.map(Self.lowercase)[...], needle[...])
    }

    /// A code point's simple lowercase mapping: the one scalar its full mapping is, except for
    /// "İ" (U+0130), the only letter whose full mapping is two ("i" and U+0307).
    static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII { return Unicode.Scalar(folded(UInt8(scalar.value))) }
        if scalar.value == 0x130 { return "i" }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first! : scalar
    }

    /// nil when `text` is not ASCII and the byte comparison cannot answer.
    private func asciiContains(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { haystack -> Bool? in
            guard haystack.allSatisfy({ $0 < 0x80 }) else { return nil }
            // Lowercased ASCII is ASCII: it cannot hold anything else.
            guard let asciiNeedle else { return false }
            return Self.contains(haystack.lazy.map(Self.folded)[...], asciiNeedle[...])
        }
    }

    private static func contains<Haystack: Collection, Needle: Collection>(_ haystack: Haystack, _ needle: Needle) -> Bool
    where Haystack.Element == Needle.Element, Haystack.Element: Equatable {
        // An empty needle is found at the start: `starts(with:)` holds of anything.
        var start = haystack.startIndex
        while haystack.distance(from: start, to: haystack.endIndex) >= needle.count {
            if haystack[start...].starts(with: needle) { return true }
            haystack.formIndex(after: &start)
        }
        return false
    }

    private static func folded(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

/// A request's Content-Type as the service we replace looked at it: the text before the first
/// `;`, stripped and lowercased (its `split(";", 1)[0].strip().lower()`), as bytes.
///
/// Bytes, not a `String`: Swift compares strings by canonical equivalence, under which a Greek
/// question mark (U+037E) is a `;`, and trims Unicode spaces such as U+00A0. Python read the
/// header as Latin-1, so to it a UTF-8 no-break space was "Â" and a Latin-1 one, and "Â" stayed:
/// only ASCII whitespace ever reached the ends of its text, and of that an HTTP field value can
/// hold only spaces and tabs. Lowercasing ASCII alone is enough for the same reason: every name
/// compared with is ASCII, and no Latin-1 letter lowercases to ASCII.
struct MediaType: Equatable {
    let bytes: [UInt8]

    static let json = MediaType(bytes: Array("application/json".utf8))
    static let urlencodedForm = MediaType(bytes: Array("application/x-www-form-urlencoded".utf8))
    static let multipartForm = MediaType(bytes: Array("multipart/form-data".utf8))

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// nil for no Content-Type or an empty one, which the old service's `if content_type` took for none.
    init?(contentType: String?) {
        guard let contentType, !contentType.isEmpty else { return nil }
        // What nearly every client sends, taken without a copy (splitting and lowercasing it cost 4% of a create).
        if contentType.utf8.elementsEqual(Self.json.bytes) {
            self = .json
            return
        }
        let utf8 = contentType.utf8
        var text = utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while let first = text.first, Self.isSpace(first) { text.removeFirst() }
        while let last = text.last, Self.isSpace(last) { text.removeLast() }
        bytes = text.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
    }

    /// JSON as the old service's `email.message` told it: one `/`, `application` before it, and
    /// after it `json` or a name ending in `+json`. A type with a second `/` was `text/plain` to it.
    var isJSON: Bool {
        guard bytes.count(where: { $0 == UInt8(ascii: "/") }) == 1, bytes.starts(with: Self.applicationPrefix) else { return false }
        let subtype = bytes.dropFirst(Self.applicationPrefix.count)
        return subtype.elementsEqual("json".utf8) || subtype.reversed().starts(with: "+json".utf8.reversed())
    }

    private static let applicationPrefix = Array("application/".utf8)

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}

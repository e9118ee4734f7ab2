/// Text compared and hashed by its UTF-8 bytes, as the service we replace compared text
/// (Python's `str`, PostgreSQL's under C.UTF-8): two spellings of one letter ("é" and
/// "e\u{301}") are two texts, where Swift's `String ==` takes them for one.
public struct ExactText: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ExactText, b: ExactText) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

    public func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
    }
}

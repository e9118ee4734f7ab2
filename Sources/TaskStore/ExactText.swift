/// Text compared and hashed by its UTF-8 bytes, as the service we replace compared text
/// (Python's `str`, PostgreSQL's under C.UTF-8): two spellings of one letter ("é" and
/// "e\u{301}") are two texts, where Swift's `String ==` takes them for one.
public struct ExactText: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ExactText, b: ExactText) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

    /// The bytes in one call rather than a call a byte: access tokens, some 200 bytes, are
    /// hashed on every read. (`withUTF8` is mutating only to make a bridged string native.)
    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

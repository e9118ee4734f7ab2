/// A category name as the service we replace compared names, for uniqueness and lookup
/// (PostgreSQL's `lower(name)` under C.UTF-8): each code point lowercased on its own, as `q=`
/// lowercases text, then compared code point by code point. So "İstanbul" and "istanbul" are one
/// name, and "é" and "e\u{301}" two, where Swift's `lowercased()` and `==` had it the other way.
public struct FoldedName: Hashable, Sendable {
    /// A `String` compared by its bytes rather than the bytes themselves, so that a short name
    /// (most are) needs no allocation.
    private let text: ExactText

    init(_ name: String) {
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            text = ExactText(name.lowercased())  // for ASCII, the same as lowercasing each code point
        } else {
            var scalars = String.UnicodeScalarView()
            for scalar in name.unicodeScalars { scalars.append(TextSearch.lowercase(scalar)) }
            text = ExactText(String(scalars))
        }
    }
}

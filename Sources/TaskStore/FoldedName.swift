/// A category name as the service we replace compared names, for uniqueness and lookup
/// (PostgreSQL's `lower(name)` under C.UTF-8): each code point lowercased on its own, as `q=`
/// lowercases text, then compared code point by code point. So "İstanbul" and "istanbul" are one
/// name, and "é" and "e\u{301}" two, where Swift's `lowercased()` and `==` had it the other way.
public struct FoldedName: Hashable, Sendable {
    private let utf8: [UInt8]

    init(_ name: String) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            UTF8.encode(TextSearch.lowercase(scalar)) { utf8.append($0) }
        }
        self.utf8 = utf8
    }
}

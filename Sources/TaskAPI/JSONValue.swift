/// A parsed JSON document. Objects keep their members in order, each key once, as a Python dict
/// holds them (see `ObjectMembers`).
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written, so integers stay exact.
    case number(String)
    case string(String)
    /// A string holding an escaped lone surrogate (`"\ud800"`), which no Unicode string can
    /// hold; `replaced` has U+FFFD in its place. Fields refuse it with `string_unicode`.
    case unpairedSurrogateString(replaced: String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.unpairedSurrogateString(let a), .unpairedSurrogateString(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}

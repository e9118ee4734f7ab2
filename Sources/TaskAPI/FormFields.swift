/// `application/x-www-form-urlencoded` bodies, as a JSON object of strings, so form fields
/// validate like JSON ones.
enum FormFields {
    static func parse(_ bytes: [UInt8]) -> JSONValue {
        object(QueryString(String(decoding: bytes, as: UTF8.self)).fields)
    }

    /// Form fields (urlencoded or multipart) as FastAPI holds them, a dict: a repeated name keeps
    /// its first place and its last value, so an error's `input` shows each name once.
    static func object(_ fields: [(String, String)]) -> JSONValue {
        var members: [(String, JSONValue)] = []
        var positions: [String: Int] = [:]
        for (name, value) in fields {
            if let position = positions[name] {
                members[position].1 = .string(value)
            } else {
                positions[name] = members.count
                members.append((name, .string(value)))
            }
        }
        return .object(members)
    }
}

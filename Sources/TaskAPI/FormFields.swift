import HTTPTypes

/// `application/x-www-form-urlencoded` bodies, as a JSON object of strings, so form fields
/// validate like JSON ones.
enum FormFields {
    /// The old service's form parser (Starlette's) took 1,000 fields, urlencoded or multipart,
    /// and answered more with this 400.
    static let maximumCount = 1000
    static let tooMany = APIError(.badRequest, "Too many fields. Maximum number of fields is \(maximumCount).")

    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let fields = QueryString(String(decoding: bytes, as: UTF8.self)).fields
        guard fields.count <= maximumCount else { throw tooMany }
        return object(fields)
    }

    /// Form fields (urlencoded or multipart) as FastAPI holds them, a dict (`ObjectMembers`), so
    /// an error's `input` shows each name once.
    static func object(_ fields: [(String, String)]) -> JSONValue {
        var members = ObjectMembers()
        for (name, value) in fields { members.set(name, to: .string(value)) }
        return .object(members.members)
    }
}

/// A request's query parameters read as Starlette reads them (`parse_qsl` with blank values
/// kept), and an urlencoded form's fields, which it reads alike: fields split on `&`, empty
/// ones skipped, a field without `=` a name with an empty value, `+` a space and percent
/// escapes decoded in names and values alike. Hummingbird's own reading decodes neither `+`
/// nor names, so `q=hello+world`, as most HTTP clients and every HTML form send a space,
/// searched for a plus sign.
struct QueryString: Sendable {
    /// Every field, in the order sent.
    let fields: [(name: String, value: String)]

    init(_ query: String?) {
        guard let query else {
            fields = []
            return
        }
        fields = query.split(separator: "&", omittingEmptySubsequences: true).map { field in
            guard let equals = field.utf8.firstIndex(of: UInt8(ascii: "=")) else { return (PercentDecoding.decode(field, plusAsSpace: true), "") }
            return (
                PercentDecoding.decode(field[..<equals], plusAsSpace: true),
                PercentDecoding.decode(field[field.utf8.index(after: equals)...], plusAsSpace: true)
            )
        }
    }

    /// Every value given for `name`, in the order sent.
    func all(_ name: String) -> [String] {
        fields.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The last value given for `name`: of a one-value parameter given twice the last counts, as
    /// in FastAPI (Starlette keeps the last of each name), so `limit=abc&limit=5` is a page of 5.
    func last(_ name: String) -> String? {
        fields.last { $0.name == name }?.value
    }
}

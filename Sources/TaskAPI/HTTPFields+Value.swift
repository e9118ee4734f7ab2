import HTTPTypes

extension HTTPFields {
    /// What `self[name]` answers: every field of that name joined as HTTP combines them. Without
    /// the generic lazy join when there is one field, as there nearly always is (the join was
    /// 1.5% of a create, for three headers a request).
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if found != nil { return self[name] }
            found = field.value
        }
        return found
    }

    /// The value of the first field named `name`, as Starlette's `headers.get` reads it, for
    /// fields that hold one value (`Authorization`, `Content-Type`): of two, the old service
    /// took the first, where their join (`Bearer a, Bearer b`) is neither.
    func firstValue(of name: HTTPField.Name) -> String? {
        first { $0.name == name }?.value
    }
}

/// One problem with a request, in FastAPI's shape: `{"type", "loc", "msg", "input", "ctx"}`.
struct ValidationIssue: Sendable {
    enum Location: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var type: String
    /// Starts with "body", "query", "path" or "header".
    var loc: [Location]
    var msg: String
    var input: JSONValue?
    var ctx: [(String, JSONValue)] = []

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("type")
        writer.string(type)
        writer.key("loc")
        writer.beginArray()
        for part in loc {
            switch part {
            case .key(let name): writer.string(name)
            case .index(let index): writer.int(index)
            }
        }
        writer.endArray()
        writer.key("msg")
        writer.string(msg)
        writer.key("input")
        writer.value(input ?? .null)
        if !ctx.isEmpty {
            writer.key("ctx")
            writer.value(.object(ctx))
        }
        writer.endObject()
    }
}

/// Every problem found in a request: answered 422 with all of them.
struct ValidationFailure: Error {
    var issues: [ValidationIssue]
}

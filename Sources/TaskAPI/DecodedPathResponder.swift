import Hummingbird

/// Routes a request by its percent-decoded path, as the service taskd replaces did (uvicorn
/// decodes the path before Starlette routes it), where Hummingbird's router matches the path
/// as sent: `/t%61sks` and `/tasks%2F{id}` are `/tasks` and `/tasks/{id}`, and a fragment
/// (`/tasks#top`, which no client should send but some do) is cut off.
struct DecodedPathResponder<Routes: HTTPResponder>: HTTPResponder {
    let routes: Routes

    func respond(to request: Request, context: Routes.Context) async throws -> Response {
        guard let target = request.head.path, let decoded = Self.decodedTarget(target) else {
            return try await routes.respond(to: request, context: context)
        }
        var head = request.head
        head.path = decoded
        return try await routes.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// The request target with its path decoded, its query as sent and its fragment dropped; nil
    /// when there is nothing to decode or drop (almost every request: one scan of the path).
    static func decodedTarget(_ target: String) -> String? {
        let utf8 = target.utf8
        let pathEnd = utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? utf8.endIndex
        let path = target[..<pathEnd]
        let hasFragment = pathEnd != utf8.endIndex && utf8[pathEnd] == UInt8(ascii: "#")
        guard hasFragment || path.utf8.contains(UInt8(ascii: "%")) else { return nil }
        let query = hasFragment ? "" : target[pathEnd...]
        // What decodes to `%`, `?`, `#`, a space or a control character is escaped again: the
        // router must see one path (HTTP field values, which a path is one of, lose their outer
        // spaces), and the path parameters, decoded when read (PathParameter), then hold what
        // Starlette's held.
        var escaped = ""
        for scalar in PercentDecoding.decode(path).unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F || scalar == "%" || scalar == "?" || scalar == "#" {
                escaped += "%" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + query
    }
}

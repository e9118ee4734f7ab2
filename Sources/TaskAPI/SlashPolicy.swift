import Hummingbird
import HTTPTypes

/// Paths whose slashes do not match a route exactly, answered as the service we replace
/// (FastAPI on Starlette) answered them, where Hummingbird's router would serve the route they
/// resemble: a known path with a trailing slash is a 307 to it without the slash, the query
/// kept (so a client that follows redirects ends where it did before, method and body intact);
/// a path with an empty segment inside (`//tasks`) is a 404.
struct SlashPolicy: Sendable {
    let paths: MethodNotAllowed

    /// The answer, and the route to log it under, for a path with misplaced slashes; nil for a
    /// path that can be routed as it is.
    func answer(for request: Request) -> (response: Response, route: String)? {
        let path = request.uri.path
        guard path.utf8.last == UInt8(ascii: "/") || Self.hasEmptySegment(path.utf8) else { return nil }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty, !Self.hasEmptySegment(trimmed.utf8), let route = paths.route(for: String(trimmed)) else {
            return (APIError(.notFound, "Not Found").response, "unmatched")
        }
        // Relative, unlike Starlette's absolute one: right behind a proxy too.
        let location = String(trimmed) + (request.uri.query.map { "?" + $0 } ?? "")
        return (Response(status: .temporaryRedirect, headers: [.location: location]), route.path)
    }

    /// Whether the path holds "//". By bytes, in one pass: this runs on every request
    /// (`String.contains` goes through NSString, and a zip of the UTF-8 view with its own
    /// `dropFirst` took 1.4% of a `GET /tasks/{id}`).
    private static func hasEmptySegment<Path: Collection<UInt8>>(_ path: Path) -> Bool {
        var previous: UInt8 = 0
        for byte in path {
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }
}

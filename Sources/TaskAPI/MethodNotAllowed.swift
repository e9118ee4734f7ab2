import Hummingbird
import HTTPTypes

/// The paths the API knows and their methods: a known path asked with any other method (TRACE,
/// QUERY, ...) gets 405 with `Allow`, an unknown path 404.
struct MethodNotAllowed: Sendable {
    private let patterns: [(path: String, segments: [Substring], methods: [HTTPRequest.Method])]

    init(routes: [APIRoute]) {
        patterns = Dictionary(grouping: routes, by: \.path).map { path, routes in
            let methods = routes.map(\.method)
            return (path, path.split(separator: "/"), methods.contains(.get) ? methods + [.head] : methods)
        }
    }

    /// The route `path` matches (as written in the route table, e.g. `/tasks/{task_id}`) and the
    /// methods it answers to; nil when no route has that path.
    func route(for path: String) -> (path: String, methods: [HTTPRequest.Method])? {
        let segments = path.split(separator: "/")
        return patterns.first { pattern in
            pattern.segments.count == segments.count
                && zip(pattern.segments, segments).allSatisfy { expected, actual in expected.hasPrefix("{") || expected == actual }
        }.map { ($0.path, $0.methods) }
    }

    /// The 405 for a known path asked with a method it does not answer, and that path's route
    /// (for the request's log line and metrics); nil when the path is unknown or the method allowed.
    func error(for request: Request) -> (error: APIError, route: String)? {
        guard let route = route(for: request.uri.path), !route.methods.contains(request.method) else { return nil }
        let allow = route.methods.map(\.rawValue).joined(separator: ", ")
        return (APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow]), route.path)
    }
}

import Hummingbird
import HTTPTypes

/// The paths the API knows and their methods: a known path asked with any other method (TRACE,
/// QUERY, ...) gets 405 with `Allow`, an unknown path 404.
struct MethodNotAllowed: Sendable {
    private let patterns: [(segments: [Substring], methods: [HTTPRequest.Method])]

    init(routes: [APIRoute]) {
        patterns = Dictionary(grouping: routes, by: \.path).map { path, routes in
            let methods = routes.map(\.method)
            return (path.split(separator: "/"), methods.contains(.get) ? methods + [.head] : methods)
        }
    }

    /// The methods `path` answers to; nil when no route has that path.
    func allowedMethods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        return patterns.first { pattern in
            pattern.segments.count == segments.count
                && zip(pattern.segments, segments).allSatisfy { expected, actual in expected.hasPrefix("{") || expected == actual }
        }?.methods
    }

    func error(for request: Request) -> APIError? {
        guard let allowed = allowedMethods(for: request.uri.path), !allowed.contains(request.method) else { return nil }
        return APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
    }
}

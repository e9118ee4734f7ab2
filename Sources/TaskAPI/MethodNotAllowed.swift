import Hummingbird
import HTTPTypes

/// A known path asked with a method it does not have: 405 with `Allow`.
enum MethodNotAllowed {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    static func responder(allowing allowed: [HTTPRequest.Method]) -> @Sendable (Request, TaskRequestContext) async throws -> Response {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return { _, _ in throw APIError(.methodNotAllowed, "Method Not Allowed", headers: [.allow: allow]) }
    }
}

import Hummingbird
import HTTPTypes

/// One operation of the API: the route table that the router, the 405 answers and the
/// OpenAPI test all read.
struct APIRoute: Sendable {
    let method: HTTPRequest.Method
    /// OpenAPI's form: `/tasks/{task_id}`.
    let path: String
    let handler: @Sendable (Request, TaskRequestContext) async throws -> Response

    init(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, TaskRequestContext) async throws -> Response) {
        self.method = method
        self.path = path
        self.handler = handler
    }

    /// Hummingbird's form: `/tasks/:task_id`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }
}

import HTTPTypes
import Hummingbird
import NIOCore
import TaskStore

/// The one error type at the HTTP edge. Every failure becomes one of these, with the body
/// `{"detail": ...}` (a string, or FastAPI's list of validation issues for 422).
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let detail: Detail
    var headers: HTTPFields = [:]

    enum Detail {
        case message(String)
        case issues([ValidationIssue])
    }

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .message(message)
        self.headers = headers
    }

    init(validation issues: [ValidationIssue]) {
        status = .unprocessableContent
        detail = .issues(issues)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// `{"detail": ...}`.
    var body: ByteBuffer {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("detail")
        switch detail {
        case .message(let message): writer.string(message)
        case .issues(let issues):
            writer.beginArray()
            for issue in issues { issue.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
        return writer.byteBuffer
    }

    static let notAuthenticated = unauthorized("Not authenticated")
    static let invalidCredentials = unauthorized("Could not validate credentials")

    static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// Maps what the engine refuses to the status API.md gives it.
    init(_ error: DomainError) {
        switch error {
        case .taskNotFound: self.init(.notFound, "Task not found")
        case .categoryNotFound: self.init(.notFound, "Category not found")
        case .categoryNameTaken: self.init(.conflict, "Category already exists")
        case .versionMismatch: self.init(.preconditionFailed, "Precondition Failed: the task has changed")
        case .emailTaken: self.init(.conflict, "Email already registered")
        }
    }

    /// Storage failures are never shown as text: the client learns only that writes are off.
    static let storageUnavailable = APIError(.serviceUnavailable, "Storage unavailable: writes are not being accepted")
}

import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Reads and checks request bodies: the 1 MiB limit (413), the content type (415), and JSON
/// that must be an object (422 with FastAPI's shapes).
enum RequestBody {
    static let limit = 1 << 20
    static let tooLarge = APIError(.contentTooLarge, "Content Too Large: the request body is limited to 1 MiB")

    /// The body's bytes, refused past the limit before more is read. A body the HTTP layer
    /// cannot read (a malformed chunk size, say) is a 400: left to propagate, its error was a 500.
    static func bytes(of request: Request) async throws -> [UInt8] {
        if let declared = request.headers.value(of: .contentLength).flatMap(Int.init), declared > limit { throw tooLarge }
        var bytes: [UInt8] = []
        do {
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= limit else { throw tooLarge }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, "Bad Request: the request body could not be read (\(error))")
        }
        return bytes
    }

    static func mediaType(of request: Request) -> MediaType? {
        MediaType(contentType: request.headers.firstValue(of: .contentType))
    }

    /// 415 for a body sent with a content type other than JSON; a body without one is read as JSON.
    /// A chunked body counts as sent even when it is empty, as the old service's `has_body`
    /// counted any Transfer-Encoding; an empty body of declared length does not.
    static func requireJSON(_ request: Request, bodyLength: Int) throws {
        let hasBody = bodyLength > 0 || request.headers[.transferEncoding] != nil
        if hasBody, let mediaType = mediaType(of: request), !mediaType.isJSON {
            throw APIError(.unsupportedMediaType, "Unsupported Media Type: send application/json")
        }
    }

    /// The body as a JSON object, or the 422 that FastAPI would give. Text that is not JSON is
    /// refused by itself, as FastAPI decodes a body before it validates anything; an empty body,
    /// or JSON that is not an object, is listed after the problems found `earlier` (in the path).
    /// `model`: the Pydantic model that the old service validated the body with by hand, not as
    /// a FastAPI body parameter (login's `LoginRequest`); JSON that is not an object is then
    /// Pydantic's `model_type`, which names it.
    static func jsonObject(
        _ bytes: [UInt8], after earlier: [ValidationIssue] = [], model: String? = nil, maximumDepth: Int = JSONParser.bodyMaximumDepth
    ) throws -> JSONValue {
        guard !bytes.isEmpty else {
            throw APIError(validation: earlier + [ValidationIssue(type: "missing", loc: [.key("body")], msg: "Field required", input: .null)])
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        } catch {
            throw APIError(validation: [
                ValidationIssue(
                    type: "json_invalid", loc: [.key("body"), .index(error.offset)], msg: "JSON decode error", input: .object([]),
                    ctx: [("error", .string(error.message))])
            ])
        }
        guard case .object = value else {
            let issue =
                if let model {
                    ValidationIssue(
                        type: "model_type", loc: [.key("body")], msg: "Input should be a valid dictionary or instance of \(model)", input: value,
                        ctx: [("class_name", .string(model))])
                } else {
                    ValidationIssue(
                        type: "model_attributes_type", loc: [.key("body")],
                        msg: "Input should be a valid dictionary or object to extract fields from", input: value)
                }
            throw APIError(validation: earlier + [issue])
        }
        return value
    }

    /// The body's fields, read after the path's (`path`): FastAPI lists the path's problems first.
    static func fields(_ bytes: [UInt8], after path: FieldReader) throws -> FieldReader {
        FieldReader(try jsonObject(bytes, after: path.issues), after: path.issues)
    }

    /// Reads a JSON request's body: size, content type, then JSON. For routes whose body is required.
    static func json(of request: Request) async throws -> JSONValue {
        let bytes = try await bytes(of: request)
        try requireJSON(request, bodyLength: bytes.count)
        return try jsonObject(bytes)
    }
}

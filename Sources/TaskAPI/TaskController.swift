import Hummingbird
import HTTPTypes
import TaskStore

/// `/tasks` and `/tasks/{task_id}`.
struct TaskController {
    let services: APIServices

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/tasks", create),
            APIRoute(.get, "/tasks", list),
            APIRoute(.get, "/tasks/{task_id}", get),
            APIRoute(.patch, "/tasks/{task_id}", update),
            APIRoute(.delete, "/tasks/{task_id}", delete),
        ]
    }

    private var store: TaskStore { services.store }

    @Sendable func create(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let bytes = try await RequestBody.bytes(of: request)
        try RequestBody.requireJSON(request, bodyLength: bytes.count)
        let userID = try services.authenticatedUser(request)
        var fields = FieldReader(try RequestBody.jsonObject(bytes))
        let title = fields.requiredText("title", trim: true, minLength: 1, maxLength: 200)
        let description = fields.nullableText("description", maxLength: 10_000)
        let status = fields.value("status").map { fields.enumeration($0, "status", as: TaskStatus.self) } ?? .todo
        let priority = fields.value("priority").map { fields.enumeration($0, "priority", as: TaskPriority.self) } ?? .medium
        let dueDate = fields.nullableDateTime("due_date")
        let categoryName = fields.nullableText("category_name", trim: true, minLength: 1, maxLength: 50)
        let idempotencyKey = Self.idempotencyKey(request, &fields)
        try fields.finish()
        let draft = TaskDraft(
            title: title!, description: description.value ?? nil, status: status!, priority: priority!, dueDate: dueDate.value ?? nil,
            categoryName: categoryName.value ?? nil)
        let creation = try await services.perform {
            try await store.acknowledged(await store.user(userID).createTask(draft, idempotencyKey: idempotencyKey))
        }
        var headers: HTTPFields = [.location: "/tasks/\(creation.task.id.lowercased)", .eTag: Self.etag(creation.task)]
        if creation.isReplay { headers[Self.replayedHeader] = "true" }
        return jsonResponse(.created, headers: headers) { $0.task(creation.view) }
    }

    @Sendable func list(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let query = try TaskListQuery.parse(QueryString(request.uri.query))
        let (page, views) = try await services.perform {
            try await store.acknowledged(
                await store.user(userID).read { state in
                    let page = query.run(on: state)
                    return (page.total, page.items.map(state.view(of:)))
                })
        }
        return jsonResponse(capacity: 64 + views.count * JSONWriter.bytesPerTask) { writer in
            writer.beginObject()
            writer.key("items")
            writer.beginArray()
            for view in views { writer.task(view) }
            writer.endArray()
            writer.key("total")
            writer.int(page)
            writer.key("limit")
            writer.int(query.limit)
            writer.key("offset")
            writer.int(query.offset)
            writer.endObject()
        }
    }

    @Sendable func get(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let taskID = try Self.taskID(context)
        let view = try await services.perform {
            try await store.acknowledged(await store.user(userID).readTask(taskID))
        }
        guard let view else { throw APIError(DomainError.taskNotFound) }
        let etag = Self.etag(view.task)
        // Weak comparison, as RFC 9110 asks of If-None-Match: W/"3" names version 3 too.
        if let noneMatch = request.headers.value(of: .ifNoneMatch),
            Self.tags(noneMatch).contains(where: { $0 == etag || $0 == "W/" + etag || $0 == "*" })
        {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        return jsonResponse(headers: [.eTag: etag]) { $0.task(view) }
    }

    @Sendable func update(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let bytes = try await RequestBody.bytes(of: request)
        try RequestBody.requireJSON(request, bodyLength: bytes.count)
        let userID = try services.authenticatedUser(request)
        var path = FieldReader(.object([]), section: "path")
        let taskID = PathParameter.uuid(context, "task_id", into: &path)
        var fields = try RequestBody.fields(bytes, after: path)
        var patch = TaskPatch()
        if let title = fields.value("title") {
            patch.title = fields.text(title, "title", trim: true, minLength: 1, maxLength: 200).map { .set($0) } ?? .unchanged
        }
        patch.description = fields.nullableText("description", maxLength: 10_000)
        if let status = fields.value("status") { patch.status = fields.enumeration(status, "status", as: TaskStatus.self).map { .set($0) } ?? .unchanged }
        if let priority = fields.value("priority") {
            patch.priority = fields.enumeration(priority, "priority", as: TaskPriority.self).map { .set($0) } ?? .unchanged
        }
        patch.dueDate = fields.nullableDateTime("due_date")
        patch.categoryName = fields.nullableText("category_name", trim: true, minLength: 1, maxLength: 50)
        try fields.finish()
        guard let taskID else { preconditionFailure("finish() throws for a bad task_id") }
        let precondition = Self.precondition(request)
        let view = try await services.perform {
            try await store.acknowledged(await store.user(userID).updateTask(taskID, patch, ifVersion: precondition))
        }
        return jsonResponse(headers: [.eTag: Self.etag(view.task)]) { $0.task(view) }
    }

    @Sendable func delete(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let taskID = try Self.taskID(context)
        let precondition = Self.precondition(request)
        try await services.perform { try await store.acknowledged(await store.user(userID).deleteTask(taskID, ifVersion: precondition)) }
        return Response(status: .noContent)
    }

    // MARK: Pieces

    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    /// `Idempotency-Key`: 1 to 255 visible ASCII characters; a 422 at `["header", "idempotency-key"]` otherwise.
    private static func idempotencyKey(_ request: Request, _ fields: inout FieldReader) -> String? {
        guard let key = request.headers.value(of: idempotencyKeyHeader) else { return nil }
        let valid = (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        guard valid else {
            fields.issues.append(
                ValidationIssue(
                    type: "string_pattern_mismatch", loc: [.key("header"), .key("idempotency-key")],
                    msg: "String should match pattern '^[\\x21-\\x7e]{1,255}$'", input: .string(key),
                    ctx: [("pattern", .string("^[\\x21-\\x7e]{1,255}$"))]))
            return nil
        }
        return key
    }

    static func etag(_ task: TaskRecord) -> String { "\"\(task.version)\"" }

    private static func tags(_ header: String) -> [String] { header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    /// `If-Match`: absent or `*`, no precondition; otherwise the versions of its strong tags
    /// (a weak or malformed tag matches nothing, as RFC 9110 has it). A tag is compared as the
    /// text it is: `"01"` and `"+1"` are not the `"1"` this server sends.
    private static func precondition(_ request: Request) -> VersionPrecondition? {
        guard let header = request.headers.value(of: .ifMatch) else { return nil }
        let tags = tags(header)
        if tags.contains("*") { return nil }
        return VersionPrecondition(versions: Set(tags.compactMap { tag in
            guard tag.count >= 3, tag.hasPrefix("\""), tag.hasSuffix("\"") else { return nil }
            let text = tag.dropFirst().dropLast()
            guard let version = UInt32(text), String(version) == text else { return nil }
            return version
        }))
    }

    static func taskID(_ context: TaskRequestContext) throws -> TaskID {
        try PathParameter.uuid(context, "task_id")
    }
}

import Foundation

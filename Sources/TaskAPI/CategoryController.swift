import Foundation
import Hummingbird
import TaskStore

/// `/categories` and `/categories/{category_id}`.
struct CategoryController {
    let services: APIServices

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/categories", list),
            APIRoute(.post, "/categories", create),
            APIRoute(.patch, "/categories/{category_id}", rename),
            APIRoute(.delete, "/categories/{category_id}", delete),
        ]
    }

    private var store: TaskStore { services.store }

    @Sendable func list(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let categories = try await services.perform {
            try await store.acknowledged(
                await store.user(userID).read { state in
                    // By code point, as the service we replace sorted them (PostgreSQL, C.UTF-8):
                    // "Work" before "errands". Names are unique regardless of case, so never tied.
                    state.categories.values.sorted { a, b in
                        let order = a.name.compareCodePoints(b.name)
                        return order != 0 ? order < 0 : a.id.isOrdered(before: b.id)
                    }
                })
        }
        return jsonResponse { writer in
            writer.beginArray()
            for category in categories { writer.category(category) }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let (userID, name, _) = try await nameRequest(request)
        let category = try await services.perform { try await store.acknowledged(await store.user(userID).createCategory(named: name)) }
        return jsonResponse(.created) { $0.category(category) }
    }

    @Sendable func rename(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let (userID, name, categoryID) = try await nameRequest(request, context: context)
        guard let categoryID else { preconditionFailure("nameRequest throws for a bad category_id") }
        let category = try await services.perform { try await store.acknowledged(await store.user(userID).renameCategory(categoryID, to: name)) }
        return jsonResponse { $0.category(category) }
    }

    @Sendable func delete(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let categoryID = try PathParameter.uuid(context, "category_id")
        try await services.perform { try await store.acknowledged(await store.user(userID).deleteCategory(categoryID)) }
        return Response(status: .noContent)
    }

    /// A body `{"name"}`: trimmed, 1 to 50 characters; checked after size, type and credentials,
    /// together with the path's `category_id` when there is one (`context`).
    private func nameRequest(_ request: Request, context: TaskRequestContext? = nil) async throws -> (UserID, String, CategoryID?) {
        let bytes = try await RequestBody.bytes(of: request)
        try RequestBody.requireJSON(request, bodyLength: bytes.count)
        let userID = try services.authenticatedUser(request)
        var path = FieldReader(.object([]), section: "path")
        let categoryID = context.flatMap { PathParameter.uuid($0, "category_id", into: &path) }
        var fields = try RequestBody.fields(bytes, after: path)
        let name = fields.requiredText("name", trim: true, minLength: 1, maxLength: 50)
        try fields.finish()
        return (userID, name!, categoryID)
    }
}

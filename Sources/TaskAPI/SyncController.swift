import Foundation
import Hummingbird
import TaskStore

/// `GET /sync?since=<cursor>`: the user's changes after a cursor, oldest first, 500 at most.
struct SyncController {
    let services: APIServices

    var routes: [APIRoute] { [APIRoute(.get, "/sync", changes)] }

    /// Cursors are `1-<position>`: the version prefix lets the format change without
    /// misreading old cursors.
    static func cursor(_ position: UInt64) -> String { "1-\(position)" }

    /// nil for what is not a cursor; a number too large for any position reads as the largest,
    /// which no user has reached (410: start over), like any cursor this user was not given.
    static func position(of cursor: String) -> UInt64? {
        let digits = cursor.dropFirst(2)
        guard cursor.hasPrefix("1-"), !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return UInt64(digits) ?? .max
    }

    @Sendable func changes(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        var since: UInt64?
        if let raw = request.uri.queryParameters.get("since") {
            guard let position = Self.position(of: raw) else {
                throw APIError(validation: [
                    ValidationIssue(
                        type: "value_error", loc: [.key("query"), .key("since")], msg: "Value error, not a cursor this server gave out",
                        input: .string(raw), ctx: [("error", .string("not a cursor"))])
                ])
            }
            since = position
        }
        let store = services.store
        let page: ChangeFeed.Page
        do {
            page = try await services.perform {
                try await store.acknowledged(await store.user(userID).read { state in try state.changes(after: since) })
            }
        } catch ChangeFeed.Failure.cursorGone {
            throw APIError(.gone, "Gone: the cursor is older than the retained history; sync again without since")
        }
        return jsonResponse(capacity: 64 + page.changes.count * JSONWriter.bytesPerTask) { writer in
            writer.beginObject()
            writer.key("changes")
            writer.beginArray()
            for change in page.changes { writer.change(change) }
            writer.endArray()
            writer.key("cursor")
            writer.string(Self.cursor(page.cursor))
            writer.key("has_more")
            writer.bool(page.hasMore)
            writer.endObject()
        }
    }
}

extension JSONWriter {
    mutating func change(_ change: ChangeFeed.Change) {
        beginObject()
        key("kind")
        switch change {
        case .task(let view):
            string("task")
            key("op")
            string("upsert")
            key("task")
            task(view)
        case .category(let record):
            string("category")
            key("op")
            string("upsert")
            key("category")
            category(record)
        case .taskDeleted(let id):
            string("task")
            key("op")
            string("delete")
            key("id")
            uuid(id)
        case .categoryDeleted(let id):
            string("category")
            key("op")
            string("delete")
            key("id")
            uuid(id)
        }
        endObject()
    }
}

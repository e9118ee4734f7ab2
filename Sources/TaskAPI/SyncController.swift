import Foundation
import Hummingbird
import TaskStore

/// `GET /sync?since=<cursor>`: the user's changes after a cursor, oldest first, 500 at most.
struct SyncController {
    let services: APIServices

    var routes: [APIRoute] { [APIRoute(.get, "/sync", changes)] }

    /// What a `since` parameter names.
    enum Since: Equatable {
        case position(UInt64)
        /// A cursor of another history: the data directory was restored, repaired or recovered
        /// from a machine crash since.
        case otherHistory
    }

    /// Cursors are `2-<history id>-<position>`: the version prefix lets the format change
    /// without misreading old cursors, and the history id (`TaskStore.historyID`) tells a
    /// position from before a restore, a repair or a machine crash that lost unsynced writes
    /// (see `UnsyncedRunMarker`) from the same number handed out again.
    static func cursor(_ position: UInt64, history: String) -> String { "2-\(history)-\(position)" }

    /// nil for what is not a cursor. A number too large for any position reads as the largest,
    /// which no user has reached (410: start over), like any cursor this user was not given.
    /// `1-<position>`, the format before history ids, is read as of this history.
    static func since(_ cursor: String, history: String) -> Since? {
        let parts = cursor.split(separator: "-", omittingEmptySubsequences: false)
        let digits: Substring
        switch (parts.first, parts.count) {
        case ("1", 2): digits = parts[1]
        case ("2", 3) where HistoryID.isWellFormed(parts[1]): digits = parts[2]
        default: return nil
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        if parts.count == 3, parts[1] != history { return .otherHistory }
        return .position(UInt64(digits) ?? .max)
    }

    @Sendable func changes(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        let store = services.store
        var since: UInt64?
        if let raw = QueryString(request.uri.query).last("since") {
            guard let named = Self.since(raw, history: store.historyID) else {
                throw APIError(validation: [
                    ValidationIssue(
                        type: "value_error", loc: [.key("query"), .key("since")], msg: "Value error, not a cursor this server gave out",
                        input: .string(raw), ctx: [("error", .string("not a cursor"))])
                ])
            }
            guard case .position(let position) = named else {
                throw APIError(.gone, "Gone: the cursor is from before the data was restored, repaired or recovered from a machine crash; sync again without since")
            }
            since = position
        }
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
            writer.string(Self.cursor(page.cursor, history: store.historyID))
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

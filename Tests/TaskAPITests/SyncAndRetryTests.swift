import Foundation
import HTTPTypes
@testable import TaskStore
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

@Suite struct ConcurrencyAndIdempotencyTests {
    @Test func dozensOfPatchesWithTheSameIfMatchHaveExactlyOneWinner() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let id = try await api.send(.post, "/tasks", json: #"{"title":"contended"}"#, token: token).object["id"] as! String
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"writer \#(index)"}"#, token: token, headers: [.ifMatch: "\"1\""]).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 39)
            #expect(try await api.send(.get, "/tasks/\(id)", token: token).object["version"] as? Int == 2)
        }
    }

    /// Registrations of one email that arrive together all find it free before they hash the
    /// password; the store's own check must turn all but one into a 409.
    @Test func registrationsOfOneEmailAtOnceMakeOneAccount() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let replies = try await withThrowingTaskGroup(of: APIClient.Reply.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await api.send(.post, "/auth/register", json: #"{"email":"same@example.com","password":"password \#(index)"}"#)
                    }
                }
                return try await group.reduce(into: [APIClient.Reply]()) { $0.append($1) }
            }
            #expect(replies.filter { $0.status == .created }.count == 1)
            let refused = replies.filter { $0.status == .conflict }
            #expect(refused.count == 11 && refused.allSatisfy { $0.detail == "Email already registered" })
        }
    }

    @Test func aRetriedCreateWithItsKeyYieldsOneTaskAcrossRestartAndSnapshot() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let shared = TokenBox()
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let headers: HTTPFields = [TaskController.idempotencyKeyHeader: "order-42"]
            let first = try await api.send(.post, "/tasks", json: #"{"title":"once","category_name":"Work"}"#, token: token, headers: headers)
            let again = try await api.send(.post, "/tasks", json: #"{"title":"different body, same key"}"#, token: token, headers: headers)
            #expect(first.status == .created && again.status == .created)
            #expect(again.body == first.body && again.headers[.location] == first.headers[.location])
            #expect(again.headers[TaskController.replayedHeader] == "true" && first.headers[TaskController.replayedHeader] == nil)
            let bad = try await api.send(.post, "/tasks", json: #"{"title":"x"}"#, token: token, headers: [TaskController.idempotencyKeyHeader: "has space"])
            #expect(bad.issues == ["string_pattern_mismatch@header.idempotency-key"])
            let (other, _) = try await api.signUp("bob@example.com")
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"bob's"}"#, token: other, headers: headers).headers[TaskController.replayedHeader] == nil, "keys are per user")
            shared.set(access: token, revoked: first.body, live: "")
        }
        let store = try harness.openStore()
        try await store.snapshotNow()
        for run in 0..<2 {
            try await harness.run(store: run == 0 ? store : nil) { api in
                let (token, firstBody, _) = shared.get()
                let again = try await api.send(.post, "/tasks", json: #"{"title":"retry"}"#, token: token, headers: [TaskController.idempotencyKeyHeader: "order-42"])
                #expect(again.body == firstBody && again.headers[TaskController.replayedHeader] == "true", "run \(run)")
                #expect(try await api.send(.get, "/tasks", token: token).object["total"] as? Int == 1)
            }
        }
    }
}

/// A client that keeps a copy of the user's tasks and categories by following `/sync`.
final class SyncingClient: @unchecked Sendable {
    var tasks: [String: String] = [:]
    var categories: [String: String] = [:]
    var cursor: String?
    var pages = 0

    func sync(_ api: APIClient, token: String) async throws {
        while true {
            let query = cursor.map { "?since=\($0)" } ?? ""
            let reply = try await api.send(.get, "/sync\(query)", token: token)
            #expect(reply.status == .ok, "\(reply.body)")
            pages += 1
            for change in reply.object["changes"] as? [[String: Any]] ?? [] {
                let kind = change["kind"] as! String
                let op = change["op"] as! String
                if op == "delete" {
                    let id = change["id"] as! String
                    if kind == "task" { tasks[id] = nil } else { categories[id] = nil }
                } else if kind == "task", let task = change["task"] as? [String: Any] {
                    tasks[task["id"] as! String] = Self.canonical(task)
                } else if let category = change["category"] as? [String: Any] {
                    categories[category["id"] as! String] = Self.canonical(category)
                }
            }
            cursor = reply.object["cursor"] as? String
            if reply.object["has_more"] as? Bool != true { return }
        }
    }

    /// What the server holds now, from full listings.
    static func serverState(_ api: APIClient, token: String) async throws -> (tasks: [String: String], categories: [String: String]) {
        var tasks: [String: String] = [:]
        var offset = 0
        while true {
            let page = try await api.send(.get, "/tasks?limit=100&offset=\(offset)", token: token).object
            let items = page["items"] as? [[String: Any]] ?? []
            for task in items { tasks[task["id"] as! String] = canonical(task) }
            offset += 100
            if offset >= page["total"] as? Int ?? 0 { break }
        }
        let list = try await api.send(.get, "/categories", token: token).json as? [[String: Any]] ?? []
        return (tasks, Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! String, canonical($0)) }))
    }

    static func canonical(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

@Suite struct SyncFeedTests {
    @Test func anIncrementalClientEndsWithExactlyTheServersStateAcrossARestartAndPages() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let client = SyncingClient()
        let tokens = TokenBox()
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            tokens.set(access: token, revoked: "", live: "")
            var ids: [String] = []
            for index in 0..<12 {
                let body = #"{"title":"task \#(index)","category_name":"\#(["Work", "Home", "Errands"][index % 3])"}"#
                ids.append(try await api.send(.post, "/tasks", json: body, token: token).object["id"] as! String)
            }
            try await client.sync(api, token: token)
            _ = try await api.send(.patch, "/tasks/\(ids[0])", json: #"{"status":"done","category_name":"Home"}"#, token: token)
            _ = try await api.send(.delete, "/tasks/\(ids[1])", token: token)
            let categories = try await api.send(.get, "/categories", token: token).json as! [[String: Any]]
            let work = categories.first { $0["name"] as? String == "Work" }!["id"] as! String
            let errands = categories.first { $0["name"] as? String == "Errands" }!["id"] as! String
            _ = try await api.send(.patch, "/categories/\(work)", json: #"{"name":"Office"}"#, token: token)
            _ = try await api.send(.delete, "/categories/\(errands)", token: token)
            try await client.sync(api, token: token)
            let server = try await SyncingClient.serverState(api, token: token)
            #expect(client.tasks == server.tasks && client.categories == server.categories)
        }
        try await harness.run { api in
            let (token, _, _) = tokens.get()
            // The cursor from before the restart still works.
            for index in 0..<520 { _ = try await api.send(.post, "/tasks", json: #"{"title":"bulk \#(index)","category_name":"Bulk"}"#, token: token) }
            let pagesBefore = client.pages
            try await client.sync(api, token: token)
            #expect(client.pages - pagesBefore == 2, "more than 500 changes take two pages")
            let server = try await SyncingClient.serverState(api, token: token)
            #expect(client.tasks.count == 531)
            #expect(client.tasks == server.tasks && client.categories == server.categories)
            // A fresh client gets everything in one go.
            let fresh = SyncingClient()
            try await fresh.sync(api, token: token)
            #expect(fresh.tasks == server.tasks && fresh.categories == server.categories)
        }
    }

    /// A client synced past a backup; the backup is restored, and the user writes again, so the
    /// positions the client has seen are handed out to other changes. Its cursor must get 410:
    /// taken as it was, it would skip exactly those changes (an empty page, as if up to date).
    @Test func aClientAheadOfARestoredBackupIsToldToStartOverNotLeftSkippingChanges() async throws {
        let harness = APIHarness()
        var restored = APIHarness()
        restored.directory.remove()  // the harness made one; the restore makes its own
        restored.directory = TemporaryDirectory(path: TemporaryDirectory.unusedPath("-restored"))
        let archive = harness.directory.path + ".backup"
        defer {
            harness.directory.remove()
            restored.directory.remove()
            try? FileManager.default.removeItem(atPath: archive)
        }
        let tokens = TokenBox()
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            _ = try await api.send(.post, "/tasks", json: #"{"title":"in the backup"}"#, token: token)
            _ = try DataDirectoryBackup(directory: harness.directory.path).write(to: archive)
            for index in 0..<3 { _ = try await api.send(.post, "/tasks", json: #"{"title":"after the backup \#(index)"}"#, token: token) }
            let cursor = try await api.send(.get, "/sync", token: token).object["cursor"] as! String
            tokens.set(access: token, revoked: cursor, live: "")
        }
        _ = try DataDirectoryRestore(archivePath: archive, directory: restored.directory.path).run()
        try await restored.run { api in
            let (token, cursor, _) = tokens.get()
            for index in 0..<3 { _ = try await api.send(.post, "/tasks", json: #"{"title":"after the restore \#(index)"}"#, token: token) }
            let reply = try await api.send(.get, "/sync?since=\(cursor)", token: token)
            #expect(reply.status == .gone, "\(reply.status): \(reply.body)")
            let fresh = try await api.send(.get, "/sync", token: token).object["changes"] as? [[String: Any]]
            #expect(fresh?.count == 4, "the task in the backup and the three written after the restore")
        }
    }

    @Test func aCursorFromBeforeThePrunedHistoryIsGone() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let store = try harness.openStore()
        let clock = harness.clock
        try await harness.run(store: store) { api in
            var (token, _) = try await api.signUp()
            let early = try await api.send(.get, "/sync", token: token).object["cursor"] as! String
            let id = try await api.send(.post, "/tasks", json: #"{"title":"short-lived"}"#, token: token).object["id"] as! String
            _ = try await api.send(.delete, "/tasks/\(id)", token: token)
            #expect(try await api.send(.get, "/sync?since=\(early)", token: token).status == .ok)
            clock.advance(seconds: 31 * 24 * 60 * 60)
            #expect(await store.housekeepNow() == 1)
            // A month on, the access token has long expired: log in again.
            token = try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#).object["access_token"] as! String
            let gone = try await api.send(.get, "/sync?since=\(early)", token: token)
            #expect(gone.status == .gone && gone.detail?.contains("without since") == true)
            #expect(try await api.send(.get, "/sync", token: token).status == .ok)
            #expect(try await api.send(.get, "/sync?since=bogus", token: token).issues == ["value_error@query.since"])
            #expect(try await api.send(.get, "/sync?since=bogus&since=\(early)", token: token).status == .gone, "the last since counts")
            #expect(try await api.send(.get, "/sync?since=1-999999", token: token).status == .gone, "a cursor this user was never given")
        }
    }
}

@Suite struct CursorParsingTests {
    @Test func cursorsParseStrictlyAndHugeOnesReadAsUnreached() {
        let history = "0123456789abcdef"
        #expect(SyncController.since("2-\(history)-42", history: history) == .position(42))
        #expect(SyncController.since("2-\(history)-99999999999999999999999", history: history) == .position(.max))
        #expect(SyncController.since("2-fedcba9876543210-42", history: history) == .otherHistory)
        #expect(SyncController.since("1-42", history: history) == .position(42), "a cursor from before history ids")
        #expect(SyncController.since(SyncController.cursor(7, history: history), history: history) == .position(7))
        for bad in ["", "1-", "2-5", "1-4a", "1--3", "42", "2-\(history)-", "2-\(history)-4a", "2-XYZ-4", "2-0123456789ABCDEF-4", "2-0123456789abcdef0-4", "2-0123456789abcdeg-4", "3-\(history)-4", "2-\(history)-4-4", "1-+4", "2-\(history)-+4", "1- 4"] {
            #expect(SyncController.since(bad, history: history) == nil, "\(bad)")
        }
    }

    /// After `taskd restore` or a `wal repair` that cut the log, the positions after the backup
    /// or the cut are handed out again, to other changes: a cursor from before must be refused,
    /// or a client holding one would skip the changes numbered up to it. The directory's
    /// history id changes, and so every earlier cursor gets 410.
    @Test func aCursorFromBeforeTheHistoryWasRenewedIsGone() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let tokens = TokenBox()
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            _ = try await api.send(.post, "/tasks", json: #"{"title":"before"}"#, token: token)
            let cursor = try await api.send(.get, "/sync", token: token).object["cursor"] as! String
            tokens.set(access: token, revoked: cursor, live: "")
        }
        try await harness.run { api in
            let (token, cursor, _) = tokens.get()
            let afterRestart = try await api.send(.get, "/sync?since=\(cursor)", token: token)
            #expect(afterRestart.status == .ok, "a restart keeps the history")
        }
        try HistoryID.renew(in: harness.directory.path, fileSystem: POSIXFileSystem())
        try await harness.run { api in
            let (token, cursor, _) = tokens.get()
            let gone = try await api.send(.get, "/sync?since=\(cursor)", token: token)
            #expect(gone.status == .gone && gone.detail?.contains("restored, repaired or recovered from a machine crash") == true)
            let fresh = try await api.send(.get, "/sync", token: token)
            #expect(fresh.status == .ok && (fresh.object["cursor"] as? String) != cursor)
        }
    }
}

import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

@Suite struct CategoryRouteTests {
    @Test func categoriesAreListedByNameWithTaskCountsAndNamesAreUniquePerUser() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (ada, _) = try await api.signUp("ada@example.com")
            let (bob, _) = try await api.signUp("bob@example.com")
            let work = try await api.send(.post, "/categories", json: #"{"name":"  Work "}"#, token: ada)
            #expect(work.status == .created && work.object["name"] as? String == "Work" && work.object["task_count"] as? Int == 0)
            #expect(try await api.send(.post, "/categories", json: #"{"name":"Errands"}"#, token: ada).status == .created)
            let clash = try await api.send(.post, "/categories", json: #"{"name":"WORK"}"#, token: ada)
            #expect(clash.status == .conflict && clash.detail == "Category already exists")
            #expect(try await api.send(.post, "/categories", json: #"{"name":"Work"}"#, token: bob).status == .created, "per user")
            _ = try await api.send(.post, "/tasks", json: #"{"title":"t","category_name":"work"}"#, token: ada)
            let list = try await api.send(.get, "/categories", token: ada)
            let categories = list.json as? [[String: Any]] ?? []
            #expect(categories.map { $0["name"] as! String } == ["Errands", "Work"])
            #expect(categories.map { $0["task_count"] as! Int } == [0, 1])
            // By code point, as PostgreSQL under C.UTF-8: "e" and a combining accent before "é".
            for name in ["éa", "e\u{301}x"] {
                #expect(try await api.send(.post, "/categories", json: #"{"name":"\#(name)"}"#, token: bob).status == .created)
            }
            let bobs = try await api.send(.get, "/categories", token: bob).json as? [[String: Any]] ?? []
            #expect(bobs.map { $0["name"] as! String } == ["Work", "e\u{301}x", "éa"])
        }
    }

    @Test func renameAndDeleteAnswer404And409AndDeletingLeavesTasksUncategorized() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let task = try await api.send(.post, "/tasks", json: #"{"title":"t","category_name":"Work"}"#, token: token).object
            let workID = (task["category"] as! [String: Any])["id"] as! String
            _ = try await api.send(.post, "/categories", json: #"{"name":"Home"}"#, token: token)
            #expect(try await api.send(.patch, "/categories/\(workID)", json: #"{"name":"home"}"#, token: token).status == .conflict)
            let renamed = try await api.send(.patch, "/categories/\(workID)", json: #"{"name":"Office"}"#, token: token)
            #expect(renamed.status == .ok && renamed.object["name"] as? String == "Office")
            let missing = try await api.send(.patch, "/categories/\(UUID().uuidString)", json: #"{"name":"x"}"#, token: token)
            #expect(missing.status == .notFound && missing.detail == "Category not found")
            #expect(try await api.send(.delete, "/categories/\(workID)", token: token).status == .noContent)
            #expect(try await api.send(.delete, "/categories/\(workID)", token: token).status == .notFound)
            let after = try await api.send(.get, "/tasks/\(task["id"] as! String)", token: token).object
            #expect(after["category"] is NSNull && after["version"] as? Int == 2)
            #expect(try await api.send(.post, "/categories", json: #"{"name":""}"#, token: token).issues == ["string_too_short@body.name"])
            let fifty = String(repeating: "n", count: 49) + "é"
            #expect(try await api.send(.post, "/categories", json: #"{"name":"  \#(fifty) "}"#, token: token).status == .created)
            #expect(try await api.send(.post, "/categories", json: #"{"name":"\#(fifty)x"}"#, token: token).issues == ["string_too_long@body.name"])
            #expect(try await api.send(.patch, "/categories/\(workID)", json: #"{"name":"\#(fifty)y"}"#, token: token).issues == ["string_too_long@body.name"])
            #expect(try await api.send(.patch, "/categories/nope", json: #"{"name":"x"}"#, token: token).issues == ["uuid_parsing@path.category_id"])
        }
    }

    /// By code point, as the service we replace listed them (PostgreSQL, C.UTF-8 collation);
    /// recorded from its answer for these names.
    @Test func categoriesAreListedInCodePointOrder() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            for name in ["b", "C", "a", "É", "e", "errands", "Work", "_x", "10", "9", "Zz"] {
                #expect(try await api.send(.post, "/categories", json: #"{"name":"\#(name)"}"#, token: token).status == .created)
            }
            let names = (try await api.send(.get, "/categories", token: token).json as? [[String: Any]] ?? []).map { $0["name"] as! String }
            #expect(names == ["10", "9", "C", "Work", "Zz", "_x", "a", "b", "e", "errands", "É"])
        }
    }
}

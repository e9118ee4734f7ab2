import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

@Suite struct TaskRouteTests {
    @Test func createAppliesDefaultsTrimsAndNormalizesThenGetReturnsIt() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let created = try await api.send(.post, "/tasks", json: #"{"title":"  Write report  ","due_date":"2026-12-01T10:00:00+02:00","category_name":" Work "}"#, token: token)
            #expect(created.status == .created)
            let task = created.object
            let id = try #require(task["id"] as? String)
            #expect(created.headers[.location] == "/tasks/\(id)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(task["title"] as? String == "Write report")
            #expect(task["status"] as? String == "todo" && task["priority"] as? String == "medium")
            #expect(task["description"] is NSNull && task["completed_at"] is NSNull)
            #expect(task["due_date"] as? String == "2026-12-01T08:00:00.000Z")
            #expect((task["category"] as? [String: Any])?["name"] as? String == "Work")
            #expect(task["version"] as? Int == 1)
            let fetched = try await api.send(.get, "/tasks/\(id)", token: token)
            #expect(fetched.status == .ok && fetched.body == created.body)
            #expect(fetched.headers[.eTag] == "\"1\"")
            let notModified = try await api.send(.get, "/tasks/\(id)", token: token, headers: [.ifNoneMatch: "\"1\""])
            #expect(notModified.status == .notModified && notModified.body.isEmpty)
            #expect(notModified.headers[.eTag] == "\"1\"", "a 304 names the version it stands for (RFC 9110)")
            // If-None-Match compares weakly (RFC 9110): W/"1" names version 1 too.
            #expect(try await api.send(.get, "/tasks/\(id)", token: token, headers: [.ifNoneMatch: "W/\"1\""]).status == .notModified)
            #expect(try await api.send(.get, "/tasks/\(id)", token: token, headers: [.ifNoneMatch: "\"01\""]).status == .ok)
            #expect(try await api.send(.get, "/tasks/\(id)", token: token, headers: [.ifNoneMatch: "*"]).status == .notModified, "* names any version")
        }
    }

    @Test func patchChangesOnlyWhatIsSentAndTracksCompletion() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let created = #"{"title":"a","description":"d","priority":"high","category_name":"Work","due_date":"2026-12-01T09:00:00Z"}"#
            let id = try await api.send(.post, "/tasks", json: created, token: token).object["id"] as! String
            let done = try await api.send(.patch, "/tasks/\(id)", json: #"{"status":"done","description":null}"#, token: token)
            #expect(done.status == .ok && done.headers[.eTag] == "\"2\"")
            #expect(done.object["status"] as? String == "done" && done.object["completed_at"] is String)
            #expect(done.object["description"] is NSNull && done.object["priority"] as? String == "high" && done.object["title"] as? String == "a")
            #expect(done.object["due_date"] as? String == "2026-12-01T09:00:00.000Z")
            let reopened = try await api.send(.patch, "/tasks/\(id)", json: #"{"status":"todo","category_name":null,"due_date":null}"#, token: token)
            #expect(reopened.object["completed_at"] is NSNull && reopened.object["category"] is NSNull && reopened.object["version"] as? Int == 3)
            #expect(reopened.object["due_date"] is NSNull, "null clears the due date")
            let nulls = try await api.send(.patch, "/tasks/\(id)", json: #"{"title":null,"status":null,"priority":"urgent"}"#, token: token)
            #expect(nulls.issues == ["string_type@body.title", "enum@body.status", "enum@body.priority"])
            #expect(nulls.messages == ["Input should be a valid string", "Input should be 'todo', 'in_progress' or 'done'", "Input should be 'low', 'medium' or 'high'"])
            #expect(try await api.send(.get, "/tasks/\(id)", token: token).object["version"] as? Int == 3, "a refused patch changes nothing")
        }
    }

    /// Each length limit at its bound, in a create and in a patch: the most is taken, one more
    /// is a 422 naming the field. Titles and category names count after trimming.
    @Test func everyLengthLimitHoldsAtItsBound() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            func text(_ count: Int, of letter: String = "x") -> String { String(repeating: letter, count: count) }
            let longest = #"{"title":" \#(text(200)) ","description":"\#(text(10_000))","category_name":" \#(text(50)) "}"#
            let created = try await api.send(.post, "/tasks", json: longest, token: token)
            #expect(created.status == .created)
            let id = try #require(created.object["id"] as? String)
            let tooLong = #"{"title":"\#(text(201))","description":"\#(text(10_001))","category_name":"\#(text(51))"}"#
            let refused = ["string_too_long@body.title", "string_too_long@body.description", "string_too_long@body.category_name"]
            let tooLongReply = try await api.send(.post, "/tasks", json: tooLong, token: token)
            #expect(tooLongReply.issues == refused)
            #expect(tooLongReply.messages.first == "String should have at most 200 characters")
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"  "}"#, token: token).messages == ["String should have at least 1 character"])
            #expect(try await api.send(.patch, "/tasks/\(id)", json: tooLong, token: token).issues == refused)
            let patched = try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"  y  ","category_name":" \#(text(50, of: "y")) "}"#, token: token)
            #expect(patched.status == .ok && patched.object["title"] as? String == "y")
            #expect((patched.object["category"] as? [String: Any])?["name"] as? String == text(50, of: "y"))

            let key = HTTPFields([HTTPField(name: TaskController.idempotencyKeyHeader, value: text(255, of: "k"))])
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"keyed"}"#, token: token, headers: key).status == .created)
            let longerKey = HTTPFields([HTTPField(name: TaskController.idempotencyKeyHeader, value: text(256, of: "k"))])
            #expect(try await api.send(.post, "/tasks", json: #"{"title":"keyed"}"#, token: token, headers: longerKey).issues == ["string_pattern_mismatch@header.idempotency-key"])
        }
    }

    @Test func ifMatchGuardsPatchAndDelete() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let id = try await api.send(.post, "/tasks", json: #"{"title":"a"}"#, token: token).object["id"] as! String
            let stale = try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"b"}"#, token: token, headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            // Tags are compared as text, as the old service compared them: "01" and "+1" are not "1".
            for other in ["\"01\"", "\"+1\"", "W/\"1\"", "x1\"", "1\"", "\"1", "1"] {
                #expect(try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"c"}"#, token: token, headers: [.ifMatch: other]).status == .preconditionFailed, "\(other)")
            }
            #expect(try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"b"}"#, token: token, headers: [.ifMatch: "\"9\", \"1\""]).status == .ok)
            #expect(try await api.send(.delete, "/tasks/\(id)", token: token, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await api.send(.get, "/tasks/\(id)", token: token).object["title"] as? String == "b")
            #expect(try await api.send(.delete, "/tasks/\(id)", token: token, headers: [.ifMatch: "*"]).status == .noContent)
            let gone = try await api.send(.get, "/tasks/\(id)", token: token)
            #expect(gone.status == .notFound && gone.detail == "Task not found")
            #expect(try await api.send(.delete, "/tasks/\(id)", token: token).status == .notFound)
        }
    }

    @Test func anotherUsersTaskIsNotFound() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (ada, _) = try await api.signUp("ada@example.com")
            let (bob, _) = try await api.signUp("bob@example.com")
            let id = try await api.send(.post, "/tasks", json: #"{"title":"private"}"#, token: ada).object["id"] as! String
            #expect(try await api.send(.get, "/tasks/\(id)", token: bob).status == .notFound)
            #expect(try await api.send(.patch, "/tasks/\(id)", json: #"{"title":"mine"}"#, token: bob).status == .notFound)
            #expect(try await api.send(.delete, "/tasks/\(id)", token: bob).status == .notFound)
            #expect(try await api.send(.get, "/tasks", token: bob).object["total"] as? Int == 0)
            #expect(try await api.send(.get, "/tasks/\(id)", token: ada).status == .ok)
        }
    }

    @Test func listFiltersSortsAndPages() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let bodies = [
                #"{"title":"Pay rent","priority":"high","due_date":"2026-12-01T00:00:00Z","category_name":"Home"}"#,
                #"{"title":"Write report","description":"Quarterly NUMBERS","status":"in_progress","category_name":"Work"}"#,
                #"{"title":"Call dentist","priority":"low","due_date":"2026-11-30T00:00:00Z"}"#,
                #"{"title":"Plan offsite","status":"done","category_name":"work"}"#,
            ]
            for body in bodies { #expect(try await api.send(.post, "/tasks", json: body, token: token).status == .created) }
            func titles(_ query: String) async throws -> [String] {
                let reply = try await api.send(.get, "/tasks?\(query)", token: token)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return (reply.object["items"] as? [[String: Any]] ?? []).map { $0["title"] as! String }
            }
            #expect(try await titles("") == ["Plan offsite", "Call dentist", "Write report", "Pay rent"])
            #expect(try await titles("status=todo&status=in_progress&sort=title") == ["Call dentist", "Pay rent", "Write report"])
            #expect(try await titles("category=WORK&sort=created_at") == ["Write report", "Plan offsite"])
            #expect(try await titles("category=Home&category=WORK&sort=created_at") == ["Write report", "Plan offsite"], "the last of a repeated parameter, as FastAPI reads it")
            #expect(try await titles("q=numbers") == ["Write report"])
            #expect(try await titles("priority=low&sort=title") == ["Call dentist"])
            #expect(try await titles("priority=low&priority=high&sort=title") == ["Call dentist", "Pay rent"])
            let categories = try await api.send(.get, "/categories", token: token).json as? [[String: Any]] ?? []
            let home = try #require(categories.first { $0["name"] as? String == "Home" }?["id"] as? String)
            #expect(try await titles("category_id=\(home)") == ["Pay rent"])
            #expect(try await titles("category_id=\(UUID().uuidString.lowercased())").isEmpty)
            // Undated tasks sort last either way; between themselves, by id.
            let byDue = try await titles("sort=due_date")
            #expect(Array(byDue.prefix(2)) == ["Call dentist", "Pay rent"] && Set(byDue.suffix(2)) == ["Write report", "Plan offsite"])
            let byDueDescending = try await titles("sort=-due_date")
            #expect(Array(byDueDescending.prefix(2)) == ["Pay rent", "Call dentist"])
            #expect(try await titles("due_after=2026-11-30T00:00:00Z") == ["Pay rent"], "bounds are strict")
            #expect(try await titles("due_before=2026-12-01T00:00:00Z") == ["Call dentist"])
            #expect(try await titles("sort=-priority&limit=1") == ["Pay rent"])
            #expect(try await titles("sort=-priority&limit=1&offset=3") == ["Call dentist"])
            let page = try await api.send(.get, "/tasks?limit=2&offset=1", token: token).object
            #expect(page["total"] as? Int == 4 && page["limit"] as? Int == 2 && page["offset"] as? Int == 1)
            #expect((page["items"] as? [Any])?.count == 2)
            // Past the last match: no items, whichever way the page is found.
            for query in ["offset=9", "offset=9&sort=title", "offset=9&status=todo", "offset=2&q=numbers"] {
                let past = try await api.send(.get, "/tasks?\(query)", token: token)
                #expect(past.status == .ok && (past.object["items"] as? [Any])?.isEmpty == true, "\(query): \(past.body)")
                #expect(past.object["total"] as? Int == (query.contains("status") ? 2 : query.contains("q=") ? 1 : 4), "\(query)")
            }
        }
    }

    @Test func badQueryValuesAreA422AtTheirLocation() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let reply = try await api.send(.get, "/tasks?limit=0&offset=-1&status=todo&status=bogus&sort=x&due_before=yesterday&category_id=nope&priority=urgent", token: token)
            #expect(reply.status == .unprocessableContent)
            #expect(
                Set(reply.issues) == [
                    "enum@query.status.1", "enum@query.priority.0", "uuid_parsing@query.category_id", "datetime_from_date_parsing@query.due_before",
                    "literal_error@query.sort", "greater_than_equal@query.limit", "greater_than_equal@query.offset",
                ])
            #expect(try await api.send(.get, "/tasks?limit=101", token: token).issues == ["less_than_equal@query.limit"])
            let sort = (try await api.send(.get, "/tasks?sort=bogus", token: token).object["detail"] as? [[String: Any]])?.first
            let values = "'created_at', '-created_at', 'updated_at', '-updated_at', 'due_date', '-due_date', 'priority', '-priority', 'title' or '-title'"
            #expect(sort?["msg"] as? String == "Input should be \(values)", "recorded from the old service")
            #expect((sort?["ctx"] as? [String: String]) == ["expected": values])
            #expect(try await api.send(.get, "/tasks?limit=ten", token: token).issues == ["int_parsing@query.limit"])
            // Of a one-value parameter given twice the last counts, as in FastAPI (recorded from the old service).
            #expect(try await api.send(.get, "/tasks?limit=ten&limit=5&sort=bogus&sort=title&category_id=x&category_id=\(UUID())", token: token).status == .ok)
            #expect(try await api.send(.get, "/tasks?limit=5&limit=ten", token: token).issues == ["int_parsing@query.limit"])
            #expect(try await api.send(.get, "/tasks/not-a-uuid", token: token).issues == ["uuid_parsing@path.task_id"])
            let bad = try await api.send(.get, "/tasks/2a88e907-60b6-4760-9f23-c810a7e0a8c", token: token).object["detail"] as? [[String: Any]]
            #expect(bad?.first?["msg"] as? String == "Input should be a valid UUID, invalid group length in group 4: expected 12, found 11")
        }
    }

    /// As Pydantic reads them: `1_0`, `5.0`, whitespace; a number past 64 bits is out of bounds.
    @Test func limitAndOffsetAreReadAsTheServiceWeReplaceReadThem() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let page = try await api.send(.get, "/tasks?limit=1_0&offset=5.0", token: token).object
            #expect(page["limit"] as? Int == 10 && page["offset"] as? Int == 5)
            let huge = "100000000000000000000"
            #expect(try await api.send(.get, "/tasks?limit=\(huge)&offset=\(huge)", token: token).issues == ["less_than_equal@query.limit", "less_than_equal@query.offset"])
            #expect(try await api.send(.get, "/tasks?limit=-\(huge)&offset=-\(huge)", token: token).issues == ["greater_than_equal@query.limit", "greater_than_equal@query.offset"])
            #expect(try await api.send(.get, "/tasks?offset=\(String(repeating: "1", count: 4301))", token: token).issues == ["int_parsing_size@query.offset"])
        }
    }

    /// Ids in any form Pydantic reads reach the same task; the path is percent-decoded first.
    @Test func aTaskIsFoundByEveryFormOfItsId() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let id = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token).object["id"] as! String
            for form in [id.uppercased(), id.filter { $0 != "-" }, "{\(id)}", "%7B\(id)%7D", "urn:uuid:\(id)", "%" + String(id.utf8.first!, radix: 16) + id.dropFirst()] {
                let reply = try await api.send(.get, "/tasks/\(form)", token: token)
                #expect(reply.status == .ok && reply.object["id"] as? String == id, "\(form)")
            }
        }
    }

    /// The old service routed by the decoded path (uvicorn decodes it, then Starlette routes)
    /// and read queries with `parse_qsl`, `+` a space and names decoded too; answers recorded from it.
    @Test func pathsAndQueriesAreDecodedAsTheServiceWeReplaceDecodedThem() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let id = try await api.send(.post, "/tasks", json: #"{"title":"hello world"}"#, token: token).object["id"] as! String
            // A body reaches the route by a decoded path too.
            #expect(try await api.send(.post, "/t%61sks", json: #"{"title":"a+b"}"#, token: token).status == .created)
            for path in ["/t%61sks", "/tasks#top", "/%74asks?limit=5#x"] {
                #expect(try await api.send(.get, path, token: token).object["total"] as? Int == 2, "\(path)")
            }
            #expect(try await api.send(.get, "/tasks%2F\(id)", token: token).object["id"] as? String == id)
            #expect(try await api.send(.get, "/tasks/\(id)#x?y", token: token).object["id"] as? String == id)
            let redirect = try await api.send(.get, "/t%61sks/?limit=1", token: token)
            #expect(redirect.status == .temporaryRedirect && redirect.headers[.location] == "/tasks?limit=1")
            // A path parameter is decoded once, whatever it decodes to.
            for (form, input) in [("\(id)%20", id + " "), ("%2525", "%25"), ("%3F", "?"), ("%23", "#"), ("%ff", "\u{FFFD}"), ("%zz", "%zz")] {
                let issue = (try await api.send(.get, "/tasks/\(form)", token: token).object["detail"] as? [[String: Any]])?.first
                #expect(issue?["type"] as? String == "uuid_parsing" && issue?["input"] as? String == input, "\(form)")
            }
            func titles(_ query: String) async throws -> [String] {
                let items = try await api.send(.get, "/tasks?\(query)", token: token).object["items"] as? [[String: Any]] ?? []
                return items.compactMap { $0["title"] as? String }
            }
            #expect(try await titles("q=hello+world") == ["hello world"])
            #expect(try await titles("q=a%2Bb") == ["a+b"])
            #expect(try await titles("q=a+b").isEmpty)
            #expect(try await titles("%71=hello") == ["hello world"])
            #expect(try await titles("l%69mit=1&sort=title").count == 1)
        }
    }

    /// FastAPI lists a bad path id and a bad body together, path first; a body that is not
    /// JSON at all is reported by itself.
    @Test func aBadIdAndABadBodyAreReportedTogether() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            #expect(
                try await api.send(.patch, "/tasks/x", json: #"{"title":null,"status":"zz"}"#, token: token).issues == [
                    "uuid_parsing@path.task_id", "string_type@body.title", "enum@body.status",
                ])
            #expect(try await api.send(.patch, "/tasks/x", json: "[]", token: token).issues == ["uuid_parsing@path.task_id", "model_attributes_type@body"])
            #expect(try await api.send(.patch, "/tasks/x", json: "", token: token).issues == ["uuid_parsing@path.task_id", "missing@body"])
            #expect(try await api.send(.patch, "/tasks/x", json: "{", token: token).issues == ["json_invalid@body.1"])
            #expect(
                try await api.send(.patch, "/categories/x", json: #"{"name":""}"#, token: token).issues == [
                    "uuid_parsing@path.category_id", "string_too_short@body.name",
                ])
            #expect(try await api.send(.patch, "/categories/x", json: "{", token: token).issues == ["json_invalid@body.1"])
        }
    }

    /// API.md takes RFC 3339 date-times with an offset. The old service answered a time without
    /// one, and a non-string other than a number, with the same issues; it took a Unix timestamp,
    /// which taskd refuses (README, "Where taskd answers differently").
    @Test func dueDatesMustBeDateTimeStringsWithAnOffset() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            for value in ["1700000000", "1700000000.5", "true", #"{"a":1}"#, "[]"] {
                let reply = try await api.send(.post, "/tasks", json: #"{"title":"t","due_date":\#(value)}"#, token: token)
                #expect(reply.issues == ["datetime_type@body.due_date"], "\(value)")
                #expect(reply.object["detail"].flatMap { ($0 as? [[String: Any]])?.first?["msg"] as? String } == "Input should be a valid datetime")
            }
            let naive = try await api.send(.post, "/tasks", json: #"{"title":"t","due_date":"2026-01-01T10:00:00"}"#, token: token)
            #expect(naive.issues == ["timezone_aware@body.due_date"])
            let created = try await api.send(.post, "/tasks", json: #"{"title":"t"}"#, token: token)
            let id = try #require(created.object["id"] as? String)
            let patched = try await api.send(.patch, "/tasks/\(id)", json: #"{"due_date":"2026-01-01"}"#, token: token)
            #expect(patched.issues == ["timezone_aware@body.due_date"])
            #expect(try await api.send(.get, "/tasks?due_after=2026-01-01T10:00:00", token: token).issues == ["timezone_aware@query.due_after"])
            #expect(try await api.send(.get, "/tasks/\(id)", token: token).object["due_date"] is NSNull, "nothing was changed")
        }
    }

    /// A due date Python's datetime could not hold was refused by the service we replace; taskd
    /// stored it and wrote it back with a wrapped year.
    @Test func dueDatesPastYearNineThousandNineHundredNinetyNineAre422() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (token, _) = try await api.signUp()
            let late = try await api.send(.post, "/tasks", json: #"{"title":"t","due_date":"9999-12-31T23:59:59-01:00"}"#, token: token)
            #expect(late.issues == ["datetime_out_of_range@body.due_date"])
            #expect(try await api.send(.get, "/tasks?due_before=0000-06-01T00:00:00Z", token: token).issues == ["datetime_parsing@query.due_before"])
            let last = try await api.send(.post, "/tasks", json: #"{"title":"t","due_date":"9999-12-31T23:59:59.999Z"}"#, token: token)
            #expect(last.status == .created && last.object["due_date"] as? String == "9999-12-31T23:59:59.999Z")
        }
    }
}

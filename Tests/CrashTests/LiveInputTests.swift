import Foundation
import NIOHTTP1
import TaskStoreTestSupport
import Testing

/// Input a real socket can carry that the in-process client cannot: a 10 MiB body, declared or
/// streamed, and bodies that end early.
@Suite(.serialized) struct LiveInputTests {
    @Test func hugeAndTruncatedBodiesGet4xxAndTheServerCarriesOn() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path)
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let token = try await client.signUp("ada@example.com")
        let huge = Data(#"{"title":"t","description":""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: 10 << 20) + Data(#""}"#.utf8)
        let tooLarge = try await client.send(.POST, "/tasks", token: token, headers: [("Content-Type", "application/json")], body: huge)
        #expect(tooLarge.status == 413)
        for body in [#"{"title":"#, #"{"title":"t""#, "", "\u{FEFF}{}", "{\"title\":\"t\"}\u{0}"] {
            let reply = try await client.send(.POST, "/tasks", token: token, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
            #expect(reply.status == 422, "\(body.debugDescription) -> \(reply.status)")
        }
        let formOnTasks = try await client.send(.POST, "/tasks", token: token, headers: [("Content-Type", "multipart/form-data; boundary=x")], body: Data("--x--".utf8))
        #expect(formOnTasks.status == 415)
        #expect(try await client.send(.GET, "/tasks", token: token).object["total"] as? Int == 0, "nothing was created")
        #expect(try await client.send(.GET, "/health").status == 200)
        #expect(await server.stop() == 0)
    }
}

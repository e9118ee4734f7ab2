import Foundation
import NIOHTTP1
import TaskStoreTestSupport
import Testing

/// A data directory on a small filesystem that fills up: writes get 503, reads keep working,
/// `/health` says why, nothing unacknowledged is claimed, and after space is freed a restart
/// has every acknowledged write. Needs root to mount a size-limited tmpfs.
@Suite(.serialized) struct DiskFullTests {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = TemporaryDirectory()
        defer { probe.remove() }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) == 0 else { return false }
        return run("/bin/umount", [probe.path]) == 0
    }()

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null) }
        guard let process = try? ChildProcess(tool, arguments, output: null) else { return -1 }
        process.waitUntilExit()
        return process.status ?? -1
    }

    @Test(.enabled(if: canMount, "needs root to mount a size-limited tmpfs"))
    func aFullDiskRefusesWritesKeepsReadsAndLosesNothingAcknowledged() async throws {
        let root = TemporaryDirectory()
        defer { root.remove() }
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", root.path]) == 0)
        defer { Self.run("/bin/umount", ["-l", root.path]) }
        let data = root.file("data")
        var server = try ServerProcess(dataDirectory: data, extraArguments: ["--snapshot-every", "0"])
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let token = try await client.signUp("ada@example.com")
        // Text that deflate cannot shrink much, so the WAL fills the disk in a few hundred
        // writes; repeated words took thousands, over a minute on a slow machine.
        let description = (0..<50).map { _ in UUID().uuidString }.joined()
        var acknowledged: [String] = []
        var refused = 0
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while refused < 5 && acknowledged.count < 5000 && ContinuousClock.now < deadline {
            let reply = try await client.send(.POST, "/tasks", json: #"{"title":"t\#(acknowledged.count)","description":"\#(description)"}"#, token: token)
            switch reply.status {
            case 201: acknowledged.append(reply.object["id"] as! String)
            case 503: refused += 1
            default: Issue.record("unexpected \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
            }
        }
        #expect(refused == 5, "the disk filled up after \(acknowledged.count) tasks")
        #expect(acknowledged.count > 10)
        let list = try await client.send(.GET, "/tasks?limit=1", token: token)
        #expect(list.status == 200 && list.object["total"] as? Int == acknowledged.count, "reads work and show exactly the acknowledged writes")
        let health = try await client.send(.GET, "/health")
        #expect(health.status == 503 && (health.object["detail"] as? String)?.contains("No space left on device") == true)
        _ = await server.stop()

        #expect(Self.run("/bin/mount", ["-o", "remount,size=64m", root.path]) == 0)
        server = try ServerProcess(dataDirectory: data, extraArguments: ["--snapshot-every", "0"])
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        let after = try await client.send(.GET, "/tasks?limit=1", token: token)
        #expect(after.object["total"] as? Int == acknowledged.count)
        for id in acknowledged.shuffled().prefix(50) {
            #expect(try await client.send(.GET, "/tasks/\(id)", token: token).status == 200)
        }
        #expect(try await client.send(.POST, "/tasks", json: #"{"title":"with space again"}"#, token: token).status == 201)
        #expect(await server.stop() == 0)
    }
}

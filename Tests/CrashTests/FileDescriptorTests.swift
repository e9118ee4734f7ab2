import Foundation
import NIOHTTP1
import TaskStoreTestSupport
import Testing

/// File descriptors through the real binary: taskd takes all its hard limit allows, and when
/// client connections hold every one of them, writes on the connections it has go on, a
/// snapshot waits for a descriptor, and nothing acknowledged is lost.
@Suite struct FileDescriptorTests {
    @Test func theSoftLimitIsRaisedToTheHardOne() async throws {
        var own = rlimit()
        #expect(getrlimit(__rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue)), &own) == 0)
        let data = TemporaryDirectory()
        defer { data.remove() }
        let server = try ServerProcess(dataDirectory: data.path, ulimit: "-Sn 256")
        #expect(await server.waitUntilServing(client: TestHTTPClient(port: server.port)))
        let limits = try String(contentsOfFile: "/proc/\(server.pid)/limits", encoding: .utf8)
        let openFiles = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let values = openFiles.split(separator: " ").dropFirst(3).prefix(2).map(String.init)
        #expect(values == [String(own.rlim_max), String(own.rlim_max)], "\(openFiles)")
        if own.rlim_max > 256 {
            #expect(server.log.contains("from=256 to=\(own.rlim_max)"), "the raise is logged")
        }
        #expect(await server.stop() == 0)
    }

    @Test func outOfDescriptorsWritesGoOnSnapshotsWaitAndNothingIsLost() async throws {
        let data = TemporaryDirectory()
        defer { data.remove() }
        var server = try ServerProcess(dataDirectory: data.path, extraArguments: ["--snapshot-every", "20"], ulimit: "-n 64")
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let token = try await client.signUp("ada@example.com")
        let health = "GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n"
        let writer = try RawConnection(port: server.port)
        try writer.send(health)
        #expect(try await writer.read(until: { $0.hasSuffix("}") }, for: .seconds(10)).text.hasPrefix("HTTP/1.1 200 OK"))

        // Connections until taskd holds all 64 descriptors; the rest wait in the listen queue.
        let hoard = try (0..<100).map { _ in try RawConnection(port: server.port) }
        let deadline = ContinuousClock.now + .seconds(30)
        while !Self.usesEveryDescriptor(below: 64, pid: server.pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.usesEveryDescriptor(below: 64, pid: server.pid))
        let queued = try RawConnection(port: server.port)
        try queued.send(health)
        #expect(try await queued.read(for: .milliseconds(500)).text.isEmpty, "not accepted while no descriptor is free")

        for index in 0..<30 {
            let body = #"{"title":"written out of descriptors \#(index)"}"#
            try writer.send(
                "POST /tasks HTTP/1.1\r\nHost: taskd\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let reply = try await writer.read(until: { $0.hasSuffix("\"version\":1}") }, for: .seconds(10))
            #expect(reply.text.hasPrefix("HTTP/1.1 201 Created"), "create \(index): \(reply.text.prefix(200))")
        }
        while !server.log.contains("snapshot failed") && ContinuousClock.now < deadline + .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let failure = try #require(server.log.split(separator: "\n").first { $0.contains("snapshot failed") })
        #expect(failure.contains("Too many open files") && failure.contains("retry_in="), "\(failure)")

        // Descriptors free again: the queued connection is served, a snapshot is published.
        for connection in hoard { connection.close() }
        #expect(try await queued.read(until: { $0.hasSuffix("}") }, for: .seconds(10)).text.hasPrefix("HTTP/1.1 200 OK"))
        let published = ContinuousClock.now + .seconds(20)
        while !data.names().contains(where: { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") }) && ContinuousClock.now < published {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(data.names().contains { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") })
        #expect(!server.log.contains("write-ahead log failed"))
        writer.close()
        queued.close()

        await server.crash()
        server = try ServerProcess(dataDirectory: data.path)
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let list = try await client.send(.GET, "/tasks?limit=1", token: token)
        #expect(list.object["total"] as? Int == 30)
        #expect(await server.stop() == 0)
    }

    /// Whether `pid` has every descriptor number it may open in use. Counting them would not
    /// do: descriptors inherited from the test runner, numbered above the limit, count too.
    static func usesEveryDescriptor(below limit: Int, pid: Int32) -> Bool {
        let open = Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap { Int($0) })
        return (0..<limit).allSatisfy(open.contains)
    }
}

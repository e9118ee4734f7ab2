import Foundation
import NIOHTTP1
import TaskStoreTestSupport
import Testing

/// File descriptors through the real binary: taskd takes all its hard limit allows, and keeps
/// client connections short of it, so that writes and snapshots go on while more connections
/// wait, and nothing acknowledged is lost.
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

    /// Client connections stop short of the open-file limit: past the limit taskd sets below it,
    /// new ones wait in the listen queue (and the log says so), while writes on the connections
    /// it has go on and snapshots still get the descriptors they need. Before the limit, the
    /// connections took every descriptor and snapshots failed with EMFILE until some closed.
    @Test func pastTheConnectionLimitNewConnectionsWaitWhileWritesAndSnapshotsGoOn() async throws {
        let data = TemporaryDirectory()
        defer { data.remove() }
        var server = try ServerProcess(dataDirectory: data.path, extraArguments: ["--snapshot-every", "20"], ulimit: "-n 64")
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        #expect(server.log.contains("client connections limited by the open file limit"), "\(server.log)")
        #expect(!server.log.contains("raised the open file limit"), "soft and hard limit are one: nothing was raised")
        let token = try await client.signUp("ada@example.com")
        let health = "GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n"
        let writer = try RawConnection(port: server.port)
        try writer.send(health)
        #expect(try await writer.read(until: { $0.hasSuffix("}") }, for: Patience.forWhatIsExpected).text.hasPrefix("HTTP/1.1 200 OK"))

        // Far more connections than 64 descriptors could hold; those past the limit wait.
        let hoard = try (0..<100).map { _ in try RawConnection(port: server.port) }
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while !server.log.contains("connection limit reached") && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let warning = try #require(server.log.split(separator: "\n").first { $0.contains("connection limit reached") })
        #expect(warning.contains("warning") && warning.contains("limit="), "\(warning)")
        #expect(!Self.usesEveryDescriptor(below: 64, pid: server.pid), "descriptors are left for the storage")
        let queued = try RawConnection(port: server.port)
        try queued.send(health)
        #expect(try await queued.read(for: .milliseconds(500)).text.isEmpty, "not accepted while at the limit")
        // /metrics counts the connections and gives the limit (NIO may accept a few past it in one read).
        try writer.send("GET /metrics HTTP/1.1\r\nHost: taskd\r\n\r\n")
        let metrics = try await writer.read(until: Self.isWholeResponse, for: Patience.forWhatIsExpected).text
        func gauge(_ name: String) -> Double? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        let limit = try #require(gauge("taskd_http_connection_limit"), "\(metrics)")
        let open = try #require(gauge("taskd_http_connections"))
        #expect(warning.contains("limit=\(Int(limit))") && open >= limit && open <= limit + 4, "\(open) open, limit \(limit)")

        for index in 0..<30 {
            let body = #"{"title":"written at the connection limit \#(index)"}"#
            try writer.send(
                "POST /tasks HTTP/1.1\r\nHost: taskd\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let reply = try await writer.read(until: { $0.hasSuffix("\"version\":1}") }, for: Patience.forWhatIsExpected)
            #expect(reply.text.hasPrefix("HTTP/1.1 201 Created"), "create \(index): \(reply.text.prefix(200))")
        }
        // A snapshot is due after 20 records, and is published while the connections stay.
        let published = ContinuousClock.now + Patience.forWhatIsExpected
        while !data.names().contains(where: { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") }) && ContinuousClock.now < published {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(data.names().contains { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") })
        #expect(!server.log.contains("snapshot failed") && !server.log.contains("write-ahead log failed"), "\(server.log)")

        // Connections close: the queued one is served.
        for connection in hoard { connection.close() }
        #expect(try await queued.read(until: { $0.hasSuffix("}") }, for: Patience.forWhatIsExpected).text.hasPrefix("HTTP/1.1 200 OK"))
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

    /// A limit that leaves less than the descriptors kept from connections still serves: one
    /// connection at a time, not none.
    @Test func aLimitBelowTheReserveServesOneConnectionAtATime() async throws {
        let data = TemporaryDirectory()
        defer { data.remove() }
        let server = try ServerProcess(dataDirectory: data.path, ulimit: "-n 33")
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        #expect(server.log.contains("client connections limited by the open file limit") && server.log.contains("maximum=1"), "\(server.log)")
        let token = try await client.signUp("ada@example.com")
        #expect(try await client.send(.POST, "/tasks", json: #"{"title":"one at a time"}"#, token: token).status == 201)
        #expect(await server.stop() == 0)
    }

    /// Whether `text` is one response's head and all the body its Content-Length announces.
    static func isWholeResponse(_ text: String) -> Bool {
        guard let headEnd = text.range(of: "\r\n\r\n"),
            let field = text[..<headEnd.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
            let length = Int(field.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return text[headEnd.upperBound...].utf8.count >= length
    }

    /// Whether `pid` has every descriptor number it may open in use. Counting them would not
    /// do: descriptors inherited from the test runner, numbered above the limit, count too.
    static func usesEveryDescriptor(below limit: Int, pid: Int32) -> Bool {
        let open = Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap { Int($0) })
        return (0..<limit).allSatisfy(open.contains)
    }
}

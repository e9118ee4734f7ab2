import Foundation
import Hummingbird
import HummingbirdTesting
import TaskStore
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Connections that hold a file descriptor without using it are closed after the idle
/// timeout: one that never sends, one that never finishes its headers, one kept alive after
/// its last answer. One that is waiting for its answer, or sends often enough, is not.
@Suite struct IdleConnectionTests {
    static let idleTimeout = Duration.seconds(1)

    @Test func idleAndUnfinishedConnectionsAreClosedAndBusyOnesAreNot() async throws {
        var harness = APIHarness()
        let fileSystem = FaultInjectingFileSystem()
        harness.fileSystem = fileSystem
        defer { harness.directory.remove() }
        let store = try harness.openStore()
        let configuration = APIConfiguration(
            jwtSecret: harness.secret, bcryptCost: 4, loginRateLimit: 0, clock: harness.clock.reading, idleTimeout: Self.idleTimeout)
        let app = try await TaskAPIServer.application(
            store: store, configuration: configuration, metrics: APIMetrics(), host: "127.0.0.1", port: 0, logger: harness.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let token = try await APIClient(client: client).signUp().access

            let silent = try RawConnection(port: port)
            let unfinished = try RawConnection(port: port)
            try unfinished.send("GET /health HTTP/1.1\r\nHost: taskd\r\n")
            let keptAlive = try RawConnection(port: port)
            try keptAlive.send("GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n")

            // A write whose fsync the disk has not answered yet waits past the timeout.
            fileSystem.holdSyncs()
            defer { fileSystem.releaseSyncs() }  // also when an expectation throws: the store's close waits for the WAL
            let waiting = try RawConnection(port: port)
            let body = #"{"title":"waits for its fsync"}"#
            try waiting.send(
                "POST /tasks HTTP/1.1\r\nHost: taskd\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")

            // Requests a fifth of the timeout apart keep a connection open for longer than it.
            let busy = try RawConnection(port: port)
            try await busy.send("GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n", times: 6, every: Self.idleTimeout / 5)
            let answers = { (text: String) in text.components(separatedBy: "HTTP/1.1 200 OK").count - 1 }
            let busyRead = try await busy.read(until: { answers($0) == 6 && $0.hasSuffix("}") }, for: .seconds(10))
            #expect(!busyRead.closed)
            #expect(answers(busyRead.text) == 6)

            let limit = Duration.seconds(10)
            #expect(try await silent.read(for: limit) == RawConnection.Read(text: "", closed: true))
            #expect(try await unfinished.read(for: limit) == RawConnection.Read(text: "", closed: true))
            let keptAliveRead = try await keptAlive.read(for: limit)
            #expect(keptAliveRead.closed)
            #expect(keptAliveRead.text.hasPrefix("HTTP/1.1 200 OK"))

            // Half a timeout more than the connections opened before it had.
            try await Task.sleep(for: Self.idleTimeout / 2)
            let stillWaiting = try await waiting.read(for: .milliseconds(50))
            #expect(stillWaiting == RawConnection.Read(text: "", closed: false), "no answer yet, and not closed")
            fileSystem.releaseSyncs()
            let answered = try await waiting.read(until: { $0.contains("waits for its fsync") }, for: limit)
            #expect(answered.text.hasPrefix("HTTP/1.1 201 Created"))
            for connection in [silent, unfinished, keptAlive, waiting, busy] { connection.close() }
        }
    }
}

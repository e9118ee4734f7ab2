import Foundation
import Hummingbird
import HummingbirdTesting
import TaskStore
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

/// Connections through the server `taskd serve` runs, over raw sockets.
@Suite struct ConnectionTests {
    static let idleTimeout = Duration.seconds(1)

    /// Connections that hold a file descriptor without using it are closed after the idle
    /// timeout: one that never sends, one that never finishes its headers, one kept alive after
    /// its last answer. One that is waiting for its answer, or sends often enough, is not.
    @Test func idleAndUnfinishedConnectionsAreClosedAndBusyOnesAreNot() async throws {
        var harness = APIHarness()
        let fileSystem = FaultInjectingFileSystem()
        harness.fileSystem = fileSystem
        defer { harness.directory.remove() }
        try await harness.runLive(idleTimeout: Self.idleTimeout) { port, client in
            let token = try await client.signUp().access

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

    static let burst = 2000

    /// Room for a burst: the kernel's cap on listen queues above it, and descriptors for both
    /// ends of every connection (server and client are this process), raising the soft limit
    /// to the hard one as taskd does if need be.
    static let roomForABurst: Bool = {
        let somaxconn = (try? String(contentsOfFile: "/proc/sys/net/core/somaxconn", encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let resource = __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue))
        var limit = rlimit()
        guard somaxconn > burst + 100, getrlimit(resource, &limit) == 0 else { return false }
        let needed = rlim_t(2 * burst + 1000)
        if limit.rlim_cur < needed && limit.rlim_max >= needed {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(resource, &limit)
            _ = getrlimit(resource, &limit)
        }
        return limit.rlim_cur >= needed
    }()

    /// A burst of new connections, far more than Hummingbird's default listen queue of 256,
    /// is queued by the kernel until taskd accepts them: none is dropped, which would cost its
    /// client a second before its SYN is sent again.
    @Test(.enabled(if: roomForABurst, "needs net.core.somaxconn and RLIMIT_NOFILE above the burst"))
    func aBurstOfNewConnectionsIsQueuedNotDropped() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.runLive { port, _ in
            var connections: [RawConnection] = []
            defer { for connection in connections { connection.close() } }
            var slowest = Duration.zero
            for _ in 0..<Self.burst {
                let started = ContinuousClock.now
                connections.append(try RawConnection(port: port))
                slowest = max(slowest, ContinuousClock.now - started)
            }
            #expect(slowest < .milliseconds(900), "a connect took \(slowest): its SYN was dropped and sent again")
            for connection in connections.suffix(100) { try connection.send("GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n") }
            for connection in connections.suffix(100) {
                #expect(try await connection.read(until: { $0.hasSuffix("}") }, for: .seconds(10)).text.hasPrefix("HTTP/1.1 200 OK"))
            }
        }
    }
}

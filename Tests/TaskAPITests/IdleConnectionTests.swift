import Foundation
import Hummingbird
import HummingbirdTesting
import TaskStore
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

#if canImport(Glibc)
import Glibc
#endif

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
            unfinished.send("GET /health HTTP/1.1\r\nHost: taskd\r\n")
            let keptAlive = try RawConnection(port: port)
            keptAlive.send("GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n")

            // A write whose fsync the disk has not answered yet waits past the timeout.
            fileSystem.holdSyncs()
            defer { fileSystem.releaseSyncs() }  // also when an expectation throws: the store's close waits for the WAL
            let waiting = try RawConnection(port: port)
            let body = #"{"title":"waits for its fsync"}"#
            waiting.send(
                "POST /tasks HTTP/1.1\r\nHost: taskd\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")

            // Requests a fifth of the timeout apart keep a connection open for longer than it.
            let busy = try RawConnection(port: port)
            await busy.send("GET /health HTTP/1.1\r\nHost: taskd\r\n\r\n", times: 6, every: Self.idleTimeout / 5)
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

/// A TCP connection driven byte by byte, to send what an HTTP client library would not:
/// nothing at all, or half a request. Reads poll without blocking a thread.
final class RawConnection: Sendable {
    struct Read: Equatable {
        var text: String
        /// The server closed the connection.
        var closed: Bool
    }

    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw RawConnectionError(operation: "connect to 127.0.0.1:\(port)", errno: errno) }
    }

    func send(_ text: String) {
        #expect(sendAll(text), "send: \(String(cString: strerror(errno)))")
    }

    private func sendAll(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Sends `text` `times` times, `interval` apart, from a thread of its own: a task's sleep
    /// can overrun by seconds while other tests hold the cooperative pool's threads.
    func send(_ text: String, times: Int, every interval: Duration) async {
        let microseconds = useconds_t(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
        let sent = await withCheckedContinuation { (finished: CheckedContinuation<Int, Never>) in
            Thread { [self] in
                var sent = 0
                for index in 0..<times {
                    if index > 0 { usleep(microseconds) }
                    if sendAll(text) { sent += 1 }
                }
                finished.resume(returning: sent)
            }.start()
        }
        #expect(sent == times, "sent \(sent) of \(times)")
    }

    /// What arrives within `limit`, or until the server closes the connection.
    func read(for limit: Duration) async throws -> Read {
        try await read(until: { _ in false }, for: limit)
    }

    /// What arrives until `done` holds for it, the server closes the connection, or `limit` passes.
    func read(until done: (String) -> Bool, for limit: Duration) async throws -> Read {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                received += buffer[0..<count]
                if done(String(decoding: received, as: UTF8.self)) { break }
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return Read(text: String(decoding: received, as: UTF8.self), closed: true)
            }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return Read(text: String(decoding: received, as: UTF8.self), closed: false)
    }

    func close() { Glibc.close(fd) }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32
    var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

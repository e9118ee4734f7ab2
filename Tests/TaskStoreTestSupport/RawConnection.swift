import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection driven byte by byte, to send what an HTTP client library would not:
/// nothing at all, or half a request. Reads poll without blocking a thread.
public final class RawConnection: Sendable {
    public struct Read: Equatable, Sendable {
        public var text: String
        /// The server closed the connection.
        public var closed: Bool

        public init(text: String, closed: Bool) {
            self.text = text
            self.closed = closed
        }
    }

    private let fd: Int32

    /// Connects to 127.0.0.1:`port`, from `source` when given (any loopback address, so that
    /// the server sees a client of another address).
    public init(port: Int, from source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        func loopback(_ host: String, port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            return address
        }
        func call(_ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, _ address: sockaddr_in) -> Int32 {
            withUnsafePointer(to: address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        let bound = source.map { call(bind, loopback($0, port: 0)) } ?? 0
        let connected = fd >= 0 && bound == 0 ? call(connect, loopback("127.0.0.1", port: port)) : -1
        guard fd >= 0, connected == 0 else {
            let code = errno
            if fd >= 0 { Glibc.close(fd) }
            throw RawConnectionError(operation: "connect to 127.0.0.1:\(port)\(source.map { " from \($0)" } ?? "")", errno: code)
        }
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        guard sendAll(bytes) else { throw RawConnectionError(operation: "send", errno: errno) }
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Sends `text` `times` times, `interval` apart, from a thread of its own: a task's sleep
    /// can overrun by seconds while other tests hold the cooperative pool's threads.
    public func send(_ text: String, times: Int, every interval: Duration) async throws {
        let microseconds = useconds_t(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
        let sent = await SeparateThread.run { [self] in
            var sent = 0
            for index in 0..<times {
                if index > 0 { usleep(microseconds) }
                if sendAll(Array(text.utf8)) { sent += 1 }
            }
            return sent
        }
        guard sent == times else { throw RawConnectionError(operation: "send: \(sent) of \(times) sent", errno: nil) }
    }

    /// What arrives within `limit`, or until the server closes the connection.
    public func read(for limit: Duration) async throws -> Read {
        try await read(until: { _ in false }, for: limit)
    }

    /// What arrives until `done` holds for it, the server closes the connection, or `limit` passes.
    public func read(until done: (String) -> Bool, for limit: Duration) async throws -> Read {
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

    /// Tells the server nothing more is coming (shutdown for writing): it answers what it has,
    /// then closes.
    public func finishSending() { _ = shutdown(fd, Int32(SHUT_WR)) }

    public func close() { Glibc.close(fd) }
}

public struct RawConnectionError: Error, CustomStringConvertible {
    public var operation: String
    /// nil when no system call failed.
    public var errno: Int32?
    public var description: String { errno.map { "\(operation): \(String(cString: strerror($0)))" } ?? operation }
}

import NIOHTTP1
import Foundation
import TaskStoreTestSupport

/// The real `taskd` binary, started on a free loopback port over a data directory.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let dataDirectory: String
    let logPath: String
    private let process: ChildProcess

    /// The binary `swift test` built beside the test bundle.
    static var binary: String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("taskd").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/taskd"
    }

    /// `ulimit`: arguments of the shell's `ulimit` to start taskd with (`-n 64`), which the
    /// shell sets and then replaces itself with taskd, so `pid` is taskd's.
    init(dataDirectory: String, extraArguments: [String] = [], environment: [String: String] = [:], ulimit: String? = nil) throws {
        port = try Self.freePort()
        self.dataDirectory = dataDirectory
        // Its own log, also when a server restarts on the same data dir: the server it replaces
        // removes its log when it is dropped, which comes after this one is started.
        logPath = dataDirectory + ".\(port).log"
        let arguments = ["serve", "--port", String(port), "--data-dir", dataDirectory, "--bcrypt-cost", "4", "--login-rate-limit", "0"] + extraArguments
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(log) }
        let environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        if let ulimit {
            process = try ChildProcess(
                "/bin/sh", ["-c", "ulimit \(ulimit) && exec \"$0\" \"$@\"", Self.binary] + arguments, environment: environment, output: log)
        } else {
            process = try ChildProcess(Self.binary, arguments, environment: environment, output: log)
        }
    }

    /// The log outlives the process for the test's checks, not the test; nor does the process
    /// outlive the test: one whose test failed before stopping it would run on, holding a port
    /// and a data directory, and taking CPU from every test after it.
    deinit {
        process.signal(SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var pid: Int32 { process.pid }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits (bounded) until `/health` answers; false if the process exited or time ran out.
    func waitUntilServing(client: TestHTTPClient, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if !process.isRunning { return false }
            if let reply = try? await client.send(.GET, "/health", timeout: .milliseconds(500)), reply.status < 500 || reply.status == 503 { return true }
            // The deadline is read after an attempt, never after a sleep alone: while other suites
            // hold the cooperative pool's threads, a 50 ms sleep can end past the deadline, and the
            // server may have been serving for seconds by then.
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func signal(_ number: Int32) { process.signal(number) }

    /// Waits (bounded) for the process to exit; returns its exit status, nil if it did not exit.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.status
    }

    /// SIGKILL: no shutdown, no flush; what the WAL made durable is all that is left.
    func crash() async {
        signal(SIGKILL)
        _ = await waitForExit()
    }

    /// SIGTERM and wait; the exit status.
    func stop() async -> Int32? {
        signal(SIGTERM)
        return await waitForExit()
    }

    /// A loopback port nothing is bound to, below the kernel's ephemeral range. A port the
    /// kernel picks for a bind to port 0 comes from that range, which every outgoing connection
    /// of the tests draws from too: in the time taskd takes to start and bind it, another test's
    /// client could take it as its source port, and taskd would exit with "address in use".
    static func freePort() throws -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
        let ephemeralStart = range.first ?? 32768
        let candidates = ephemeralStart > 12_000 ? 10_000..<ephemeralStart : 1_024..<10_000
        for _ in 0..<100 {
            let port = Int.random(in: candidates)
            if isFree(port) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

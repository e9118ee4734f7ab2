import Foundation

/// Where log lines go (standard error), written by a thread of its own. A `write(2)` per
/// request line, made on the event loop that answered the request, cost `GET /tasks/{id}`
/// 10 – 20% of its throughput at the default level when standard error was a file. Lines are
/// appended to a buffer instead, and the writer takes everything gathered in one write, so
/// under load one system call carries many lines.
///
/// Lines at `warning` and above are written before the call returns, after what is buffered,
/// so a line that says why the process is about to stop is never lost with it; a process
/// killed outright loses at most the info lines of its last 2 ms. Until `startBuffering`
/// (once the server is serving) every line is written at once: what start-up logs is out
/// before anyone can ask the server anything. Lines stay whole and in the order they were
/// given. Should the writer fall behind (a full pipe), the thread that finds the buffer over
/// `bufferLimit` writes it itself, as every thread did before.
final class LogOutput: @unchecked Sendable {
    static let standardError = LogOutput(fd: STDERR_FILENO)

    private let fd: Int32
    private let bufferLimit: Int
    /// Guards `pending` and `buffering`.
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var buffering = false
    /// Held while lines taken from `pending` are written, so that what was taken earlier is
    /// written first, whichever thread writes it.
    private let writing = NSLock()

    init(fd: Int32, bufferLimit: Int = 1 << 20) {
        self.fd = fd
        self.bufferLimit = bufferLimit
        let thread = Thread { [self] in run() }
        thread.start()
    }

    /// `line` ends with its newline. `immediately`: written before this returns.
    func write(_ line: [UInt8], immediately: Bool) {
        condition.lock()
        guard buffering && !immediately else {
            condition.unlock()
            return writeEverything(appending: line)
        }
        let wasEmpty = pending.isEmpty
        pending += line
        let full = pending.count > bufferLimit
        if wasEmpty { condition.signal() }
        condition.unlock()
        if full { writeEverything(appending: []) }
    }

    /// From now on lines below `warning` are gathered and written by the writer thread.
    func startBuffering() {
        condition.lock()
        buffering = true
        condition.unlock()
    }

    /// Writes what is buffered before returning.
    func flush() { writeEverything(appending: []) }

    private func writeEverything(appending line: [UInt8]) {
        writing.lock()
        defer { writing.unlock() }
        condition.lock()
        var bytes = pending
        pending = []
        condition.unlock()
        bytes += line
        Self.writeAll(bytes, to: fd)
    }

    private func run() {
        try? "taskd-log".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            condition.unlock()
            // Lines gather for a moment, so that one wake and one write carry many: woken for
            // each line, the writer cost more than the write(2)s it saved.
            usleep(2000)
            writeEverything(appending: [])
        }
    }

    /// All of `bytes`, through short writes and interruptions; given up on an error, as a log
    /// with nowhere to go cannot say so.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

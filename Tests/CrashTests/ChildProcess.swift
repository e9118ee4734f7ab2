import Foundation
import Synchronization

/// A child process of the tests, started with `posix_spawn`. Foundation's `Process.run()` on
/// Linux (Swift 6.3.1) copies each `/proc/self/fd` entry as a whole 256-byte `d_name`, reading
/// past glibc's readdir buffer when an entry ends it and the next page is unmapped: now and
/// then the whole test process died of SIGSEGV in a `memcpy` inside it (CI at 2e790cc, a local
/// run at ec4dd52; swift-corelibs-foundation pull request 5472).
final class ChildProcess: Sendable {
    let pid: pid_t
    /// The wait status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments`; `environment` nil passes the tests' own, and
    /// `output` (nil: the tests' own) takes its standard output and error. It gets no other
    /// descriptor of the tests', and every signal at its default, unblocked, as a shell starts
    /// a program: the test runner ignores SIGPIPE, and an ignored signal stays ignored across
    /// exec, so a server that forgot to ignore it itself passed the test that its log's reader
    /// may go away.
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, output: Int32? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, output, STDERR_FILENO)
        }
        guard Self.addCloseFrom(&actions, 3) == 0 else { throw POSIXError(.ENOSYS) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var every = sigset_t()
        sigfillset(&every)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let result = envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv, $0) } ?? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 on), which Swift's Glibc
    /// module does not declare.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")!, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    var isRunning: Bool { reap(blocking: false) == nil }

    /// The exit code, or 128 plus the signal that ended it; nil while it runs.
    var status: Int32? {
        reap(blocking: false).map { status in
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
    }

    /// Ended by `exit` (not by a signal) with code 0.
    var exitedCleanly: Bool { reap(blocking: false) == 0 }

    func waitUntilExit() { _ = reap(blocking: true) }

    func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    private func reap(blocking: Bool) -> Int32? {
        reaped.withLock { reaped in
            if reaped == nil {
                var status: Int32 = 0
                var result: pid_t
                repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
                if result == pid { reaped = status }
            }
            return reaped
        }
    }
}

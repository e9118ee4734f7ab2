import Foundation
import Synchronization

/// Starts the tests' child processes one at a time. Foundation's `Process.run()` on Linux
/// crashed the whole test process once (SIGSEGV in a memcpy inside it, CI at 2e790cc) while
/// suites running in parallel started servers at the same moment. A launch takes milliseconds,
/// so waiting for one's turn costs nothing that shows.
enum ProcessLaunch {
    private static let turn = Mutex(())

    static func run(_ process: Process) throws {
        try turn.withLock { _ in try process.run() }
    }
}

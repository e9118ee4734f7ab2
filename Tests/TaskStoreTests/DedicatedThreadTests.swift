import Foundation
import Testing

@testable import TaskStore

@Suite struct DedicatedThreadTests {
    /// What the kernel knows of the calling thread: its name and nice value.
    static func currentThread() -> (name: String, nice: Int32) {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return (name.trimmingCharacters(in: .newlines), nice)
    }

    /// Snapshots run in the background: under load they must not take the cores from requests.
    @Test func backgroundWorkRunsNamedAtNiceTen() async throws {
        let normal = try await DedicatedThread.run(named: "taskd-test") { Self.currentThread() }
        #expect(normal.name == "taskd-test" && normal.nice == 0)
        let background = try await DedicatedThread.run(named: "taskd-a-long-name-cut-short", priority: .background) { Self.currentThread() }
        #expect(background.name == "taskd-a-long-na" && background.nice == 10)
        #expect(Self.currentThread().nice == 0, "only the dedicated thread is lowered")
    }
}

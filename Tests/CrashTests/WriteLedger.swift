import NIOHTTP1
import Foundation

/// What the clients of one crash round were told: every acknowledged write, when, and which
/// writes were in flight (their outcome unknown) when the server died.
actor WriteLedger {
    struct KnownTask {
        var writer: Int
        var title: String
        var version: Int
        var deleted: Bool
        var acknowledgedAt: ContinuousClock.Instant
    }

    private(set) var tasks: [String: KnownTask] = [:]
    private(set) var uncertain: Set<String> = []
    private(set) var createsInFlight: [Int: Int] = [:]
    private(set) var registered: [String] = []
    private(set) var acknowledgedWrites = 0

    func tasks(of writer: Int) -> [String] { tasks.filter { $0.value.writer == writer && !$0.value.deleted }.map(\.key).sorted() }

    func beginCreate(_ writer: Int) { createsInFlight[writer, default: 0] += 1 }
    func endCreate(_ writer: Int) { createsInFlight[writer, default: 0] -= 1 }

    func begin(_ id: String) { uncertain.insert(id) }

    func acknowledge(_ id: String, writer: Int, title: String, version: Int, deleted: Bool = false) {
        tasks[id] = KnownTask(writer: writer, title: title, version: version, deleted: deleted, acknowledgedAt: .now)
        uncertain.remove(id)
        acknowledgedWrites += 1
    }

    func registered(_ email: String) {
        registered.append(email)
        acknowledgedWrites += 1
    }
}

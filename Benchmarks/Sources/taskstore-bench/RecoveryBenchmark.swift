import Foundation
import Logging
import TaskStore

/// Opens a data directory (newest snapshot, then WAL replay) and reports how long until the
/// store could serve, the replay rate, and resident memory per task.
struct RecoveryBenchmark {
    let directory: String
    let logger: Logger

    func run() async throws {
        let baseline = Measure.residentBytes()
        let start = ContinuousClock.now
        let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: directory, snapshotEvery: 0), logger: logger)
        let elapsed = Measure.seconds(ContinuousClock.now - start)
        let resident = Measure.residentBytes()
        let tasks = try await countTasks(store)
        print(String(format: "ready to serve in %.3f s: %d users, %d tasks", elapsed, store.userCount, tasks))
        if store.recoveredRecords > 0 {
            print(String(format: "replayed %d WAL records: %.0f records/s (including reading and inflating)", store.recoveredRecords, Double(store.recoveredRecords) / elapsed))
        }
        print(String(format: "resident memory: %.1f MiB over a %.1f MiB baseline, %.0f bytes per task", Double(resident - baseline) / 1_048_576, Double(baseline) / 1_048_576, Double(resident - baseline) / Double(max(1, tasks))))
        await store.close()
    }

    private func countTasks(_ store: TaskStore) async throws -> Int {
        let users = try await store.acknowledged(await store.accounts.read { Array($0.users.keys) })
        var tasks = 0
        for userID in users { tasks += try await store.acknowledged(await store.user(userID).read { $0.tasks.count }) }
        return tasks
    }
}

import Foundation
import Logging
import TaskStore

/// Recovers a data directory, then times writing a snapshot of it; then changes one task in
/// each of 1% of the users and times the next snapshot, which copies the users that did not
/// change when they are large enough to have frames of their own.
struct SnapshotBenchmark {
    let directory: String
    let logger: Logger

    func run() async throws {
        let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: directory, snapshotEvery: 0), logger: logger)
        guard try await timedSnapshot(of: store, named: "snapshot") != nil else {
            print("nothing changed since the last snapshot")
            return await store.close()
        }
        let userIDs = try await store.acknowledged(await store.accounts.read { Array($0.users.keys) })
        var patch = TaskPatch()
        patch.title = .set("Changed after the first snapshot")
        for userID in userIDs.prefix(max(1, userIDs.count / 100)) {
            let actor = await store.user(userID)
            guard let task = try await store.acknowledged(await actor.read { $0.tasks.values.first }) else { continue }
            _ = try await store.acknowledged(await actor.updateTask(task.id, patch))
        }
        _ = try await timedSnapshot(of: store, named: "after 1% of the users changed, snapshot")
        await store.close()
    }

    private func timedSnapshot(of store: TaskStore, named name: String) async throws -> SnapshotReport? {
        let start = ContinuousClock.now
        guard let report = try await store.snapshotNow() else { return nil }
        let elapsed = Measure.seconds(ContinuousClock.now - start)
        print(
            String(
                format: "%@ of %d users and %d tasks written in %.3f s (%d users and %d chunks of 512 tasks copied from the one before): %.1f MiB, %.1f bytes per task",
                name, report.users, report.tasks, elapsed, report.copiedUsers, report.copiedChunks, Double(report.bytes) / 1_048_576, Double(report.bytes) / Double(max(1, report.tasks))))
        return report
    }
}

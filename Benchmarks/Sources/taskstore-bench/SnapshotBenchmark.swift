import Foundation
import Logging
import TaskStore

/// Recovers a data directory, then times writing a snapshot of it.
struct SnapshotBenchmark {
    let directory: String
    let logger: Logger

    func run() async throws {
        let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: directory, snapshotEvery: 0), logger: logger)
        let start = ContinuousClock.now
        guard let report = try await store.snapshotNow() else {
            print("nothing changed since the last snapshot")
            return await store.close()
        }
        let elapsed = Measure.seconds(ContinuousClock.now - start)
        print(String(format: "snapshot of %d users and %d tasks written in %.3f s: %.1f MiB, %.1f bytes per task", report.users, report.tasks, elapsed, Double(report.bytes) / 1_048_576, Double(report.bytes) / Double(max(1, report.tasks))))
        await store.close()
    }
}

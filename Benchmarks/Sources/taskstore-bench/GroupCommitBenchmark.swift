import Foundation
import Logging
import TaskStore

/// Durable task creations per second at `--fsync always` with 1, 16 and 256 concurrent writers,
/// and the fsyncs that served them.
struct GroupCommitBenchmark {
    let directory: String
    let seconds: Double
    let logger: Logger

    func run() async throws {
        print("writers  events/s  fsyncs/s  events/fsync  bytes/event  mean fsync µs")
        var singleRate = 0.0
        for writers in [1, 16, 256] {
            let path = "\(directory)/group-commit-\(writers)"
            try? FileManager.default.removeItem(atPath: path)
            let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: path, snapshotEvery: 0), logger: logger)
            let users = (0..<writers).map { _ in UserID() }
            let before = store.wal.statistics
            let start = ContinuousClock.now
            let deadline = start + .milliseconds(Int(seconds * 1000))
            let events = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, userID) in users.enumerated() {
                    group.addTask {
                        let user = store.user(userID)
                        var count = 0
                        // Bounded in time and in count.
                        while ContinuousClock.now < deadline && count < 1_000_000 {
                            let draft = TaskDraft(
                                title: SampleTask.titles[(index + count) % SampleTask.titles.count],
                                description: SampleTask.descriptions[count % SampleTask.descriptions.count],
                                categoryName: SampleTask.categories[count % SampleTask.categories.count])
                            _ = try await store.acknowledged(await user.createTask(draft))
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = Measure.seconds(ContinuousClock.now - start)
            let after = store.wal.statistics
            await store.close()
            let records = after.recordsWritten - before.recordsWritten
            let fsyncs = after.fsyncs - before.fsyncs
            let rate = Double(events) / elapsed
            if writers == 1 { singleRate = rate }
            let meanFsync = Double(after.fsyncNanoseconds - before.fsyncNanoseconds) / Double(max(1, fsyncs)) / 1000
            print(
                String(
                    format: "%7d  %8.0f  %8.0f  %12.1f  %11.1f  %13.0f", writers, rate, Double(fsyncs) / elapsed,
                    Double(records) / Double(max(1, fsyncs)), Double(after.bytesWritten - before.bytesWritten) / Double(max(1, records)), meanFsync))
            if writers == 256 { print(String(format: "256 writers / 1 writer: %.1fx", rate / singleRate)) }
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

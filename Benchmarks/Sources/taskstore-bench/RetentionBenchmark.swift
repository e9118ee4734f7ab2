import CHeap
import Foundation
import Logging
import Synchronization
import TaskStore

/// What idempotency keys and `/sync` tombstones cost for 10,000 users over simulated days,
/// and that housekeeping keeps it bounded. Runs on a manual clock; heap in use comes from
/// glibc's `mallinfo2` (RSS would not show memory given back to malloc).
struct RetentionBenchmark {
    let directory: String
    let users: Int
    let logger: Logger

    private final class ManualClock: Sendable {
        let milliseconds = Mutex<Int64>(1_795_000_000_000)
        func advance(hours: Int64) { milliseconds.withLock { $0 += hours * 3_600_000 } }
        var reading: @Sendable () -> Timestamp { { [self] in Timestamp(milliseconds: milliseconds.withLock { $0 }) } }
    }

    func run() async throws {
        try? FileManager.default.removeItem(atPath: directory)
        let clock = ManualClock()
        let store = try TaskStore(
            configuration: StoreConfiguration(
                dataDirectory: directory, wal: .init(fsync: .never), snapshotEvery: 0, housekeepingInterval: nil, clock: clock.reading),
            logger: logger)
        let userIDs = (0..<users).map { _ in UserID() }
        print("users: \(users); each creates one task an hour with an Idempotency-Key and deletes one task every four hours")
        print("day  hour  keys        tombstones  tasks       heap in use (MiB)")
        func report(_ day: Int, _ hour: Int) async throws {
            var keys = 0
            var tombstones = 0
            var tasks = 0
            for userID in userIDs {
                let counts = try await store.acknowledged(await store.user(userID).read { ($0.idempotencyRecords.count, $0.tombstones.count, $0.tasks.count) })
                keys += counts.0
                tombstones += counts.1
                tasks += counts.2
            }
            print(String(format: "%3d  %4d  %10d  %10d  %10d  %8.1f", day, hour, keys, tombstones, tasks, Double(heap_bytes_in_use()) / 1_048_576))
        }
        try await report(0, 0)
        for day in 1...3 {
            for hour in 0..<24 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for slice in 0..<8 {
                        group.addTask {
                            for index in stride(from: slice, to: userIDs.count, by: 8) {
                                let user = store.user(userIDs[index])
                                let created = try await store.acknowledged(
                                    await user.createTask(TaskDraft(title: "Hourly check-in \(hour)"), idempotencyKey: "client-\(day)-\(hour)-\(index)"))
                                if hour % 4 == 0 { _ = try await store.acknowledged(await user.deleteTask(created.task.id)) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                clock.advance(hours: 1)
                await store.housekeepNow()  // what the background loop does every 10 minutes
            }
            try await report(day, 24)
        }
        clock.advance(hours: 31 * 24)
        await store.housekeepNow()
        print("31 days later, after housekeeping:")
        try await report(34, 0)
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import Foundation
import Logging
import TaskStore

/// Fills a data directory with `users` users and `tasks` tasks through the engine's normal
/// write path (fsync never, to fill it fast); the WAL then holds every event for replay.
struct Population {
    let directory: String
    let users: Int
    let tasks: Int
    let logger: Logger

    func run() async throws {
        try? FileManager.default.removeItem(atPath: directory)
        let store = try TaskStore(
            configuration: StoreConfiguration(dataDirectory: directory, wal: .init(fsync: .never), snapshotEvery: 0), logger: logger)
        let start = ContinuousClock.now
        var registered: [UserID] = []
        for index in 0..<users {
            let user = try await store.acknowledged(
                await store.accounts.register(email: "user\(index)@example.com", passwordHash: "$2b$12$" + String(repeating: "x", count: 53), fullName: "User \(index)"))
            registered.append(user.id)
        }
        let streams = 64
        let userIDs = registered
        let tasks = tasks
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stream in 0..<streams {
                group.addTask {
                    var index = stream
                    while index < tasks {
                        let draft = TaskDraft(
                            title: SampleTask.titles[index % SampleTask.titles.count],
                            description: SampleTask.descriptions[index % SampleTask.descriptions.count],
                            status: TaskStatus.allCases[index % 3], priority: TaskPriority.allCases[index % 3],
                            dueDate: index % 3 == 0 ? nil : Timestamp(milliseconds: 1_796_000_000_000 + Int64(index) * 1000),
                            categoryName: index % 4 == 0 ? nil : SampleTask.categories[index % SampleTask.categories.count])
                        _ = try await store.acknowledged(await store.user(userIDs[index % userIDs.count]).createTask(draft))
                        index += streams
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = Measure.seconds(ContinuousClock.now - start)
        let statistics = store.wal.statistics
        await store.close()
        print("populated \(users) users and \(tasks) tasks in \(String(format: "%.1f", elapsed)) s through the write path")
        print("WAL: \(statistics.recordsWritten) records, \(statistics.bytesWritten) bytes on disk, \(String(format: "%.1f", Double(statistics.bytesWritten) / Double(statistics.recordsWritten))) bytes/record (\(String(format: "%.1f", Double(statistics.uncompressedRecordBytes) / Double(statistics.recordsWritten))) before deflate)")
    }
}

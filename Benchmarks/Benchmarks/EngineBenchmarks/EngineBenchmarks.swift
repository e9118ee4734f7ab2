// Engine micro-benchmarks (ordo-one/benchmark): `swift package benchmark --target EngineBenchmarks`
// from Benchmarks/. Each measures one piece of the write or read path in isolation.
import Benchmark
import Foundation
import TaskStore

private func draft(_ index: Int) -> TaskDraft {
    TaskDraft(
        title: "Write quarterly report \(index)", description: "Collect numbers from finance and summarise the main trends.",
        priority: TaskPriority.allCases[index % 3], categoryName: "C\(index % 5)")
}

private func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "taskd-bench-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A user state with `count` tasks, built through the command handlers and `apply`.
private func state(tasks count: Int) -> UserState {
    var state = UserState(userID: UUID())
    var undo = UndoLog<UserUndoEntry>(recording: false)
    var lsn: LSN = 0
    for index in 0..<count {
        for event in state.createTask(draft(index), idempotencyKey: nil, decided: DecidedValues(now: Timestamp(milliseconds: Int64(index)))) {
            lsn += 1
            state.apply(event, lsn: lsn, undo: &undo)
        }
    }
    return state
}

/// Accounts holding one refresh-token family that has rotated `rotations` times.
private func accounts(withOneFamilyRotated rotations: Int) -> (AccountsState, RefreshFamilyID) {
    var state = AccountsState()
    var undo = UndoLog<AccountsUndoEntry>(recording: false)
    let family = RefreshFamilyID()
    let expiry = Timestamp(milliseconds: 1 << 50)
    state.apply(.refreshFamilyStarted(family, userID: UserID(), digest: TokenDigest(words: (0, 0, 0, 0)), expiresAt: expiry), lsn: 1, undo: &undo)
    for index in 1...rotations {
        state.apply(.refreshTokenRotated(family, digest: TokenDigest(words: (UInt64(index), 0, 0, 0)), expiresAt: expiry), lsn: LSN(index + 1), undo: &undo)
    }
    return (state, family)
}

/// A data directory holding 100,000 task creations in its WAL (10 users), made once and
/// awaited, never waited for with a semaphore (that would block the threads it needs).
private actor PopulatedDirectory {
    static let shared = PopulatedDirectory()
    private var made: (path: String, users: [UserID])?

    func get() async throws -> (path: String, users: [UserID]) {
        if let made { return made }
        let path = temporaryDirectory()
        let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: path, wal: .init(fsync: .never), snapshotEvery: 0, housekeepingInterval: nil))
        let users = (0..<10).map { _ in UUID() }
        for index in 0..<100_000 { _ = try await store.acknowledged(await store.user(users[index % 10]).createTask(draft(index))) }
        await store.close()
        made = (path, users)
        return (path, users)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5))

    Benchmark("apply: task created", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var state = UserState(userID: UUID())
        var undo = UndoLog<UserUndoEntry>(recording: false)
        let events = benchmark.scaledIterations.map { index in
            state.createTask(TaskDraft(title: "task \(index)"), idempotencyKey: nil, decided: DecidedValues(now: Timestamp(milliseconds: Int64(index))))[0]
        }
        benchmark.startMeasurement()
        for (index, event) in events.enumerated() { state.apply(event, lsn: LSN(index + 1), undo: &undo) }
        benchmark.stopMeasurement()
        blackHole(state)
    }

    // A snapshot holds a copy of each state it writes while the actor goes on: the actor's next
    // write then copies what it changes. One write on a user with 100,000 tasks whose state is
    // also held elsewhere, as a snapshot holds it.
    let hundredThousand = state(tasks: 100_000)
    Benchmark("apply while a snapshot holds the state: 100,000 tasks") { benchmark in
        var state = hundredThousand
        var undo = UndoLog<UserUndoEntry>(recording: false)
        let event = state.createTask(draft(0), idempotencyKey: nil, decided: DecidedValues(now: Timestamp(milliseconds: 1 << 40)))[0]
        benchmark.startMeasurement()
        state.apply(event, lsn: state.lastAppliedLSN + 1, undo: &undo)
        benchmark.stopMeasurement()
        blackHole(state)
    }

    // A login refreshed without pause keeps every token it retired (API.md: any of them
    // presented again revokes it), and all users' refreshes go through one accounts actor.
    // 100 rotations a sample, recorded for undo as the live path records them.
    let (longFamily, longFamilyID) = accounts(withOneFamilyRotated: 100_000)
    Benchmark("apply: 100 refresh-token rotations of a family with 100,000 retired tokens") { benchmark in
        var state = longFamily
        var undo = UndoLog<AccountsUndoEntry>(recording: true)
        var lsn = state.lastAppliedLSN
        func rotate() {
            lsn += 1
            state.apply(.refreshTokenRotated(longFamilyID, digest: TokenDigest(words: (lsn, 1, 1, 1)), expiresAt: Timestamp(milliseconds: 1 << 50)), lsn: lsn, undo: &undo)
        }
        rotate()  // the copy this state's first write makes of the shared one, as after a snapshot
        benchmark.startMeasurement()
        for _ in 0..<100 { rotate() }
        benchmark.stopMeasurement()
        blackHole(state)
    }

    let tenThousand = state(tasks: 10_000)
    Benchmark("GET /tasks query: 10,000 tasks, limit 20") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(TaskQuery().run(on: tenThousand)) }
    }
    Benchmark("GET /tasks query: 10,000 tasks, q= and sort=title") { benchmark in
        var query = TaskQuery()
        query.text = "report 99"
        query.sort = .title
        for _ in benchmark.scaledIterations { blackHole(query.run(on: tenThousand)) }
    }

    for policy in FsyncPolicy.allCases {
        Benchmark("WAL: create, one writer, --fsync \(policy.rawValue)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            let path = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: path, wal: .init(fsync: policy), snapshotEvery: 0, housekeepingInterval: nil))
            let user = store.user(UUID())
            // A fresh log's first append also writes its first zeros ahead (1 MiB): a start-up
            // cost, which one create per sample would measure instead of the append.
            _ = try await store.acknowledged(await user.createTask(draft(0)))
            benchmark.startMeasurement()
            for index in benchmark.scaledIterations { blackHole(try await store.acknowledged(await user.createTask(draft(index)))) }
            benchmark.stopMeasurement()
            await store.close()
        }
    }

    for writers in [16, 256] {
        Benchmark("group commit: \(writers) concurrent creates, --fsync always", configuration: .init(scalingFactor: .kilo)) { benchmark in
            let path = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: path, snapshotEvery: 0, housekeepingInterval: nil))
            let users = (0..<writers).map { _ in store.user(UUID()) }
            func round() async throws {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, user) in users.enumerated() { group.addTask { _ = try await store.acknowledged(await user.createTask(draft(index))) } }
                    try await group.waitForAll()
                }
            }
            try await round()  // the first zeros ahead, as above
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { try await round() }
            benchmark.stopMeasurement()
            await store.close()
        }
    }

    Benchmark("replay: 100,000 task creations", configuration: .init(maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let source = try await PopulatedDirectory.shared.get().path
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: source, snapshotEvery: 0, housekeepingInterval: nil))
            blackHole(store.recoveredRecords)
            await store.close()
        }
    }

    // A snapshot copies the frames of users that did not change since the one before, so it
    // costs what changed: measured with every user changed, and with one of the ten. One
    // measured snapshot a run, after set-up that is not measured.
    for changedUsers in [10, 1] {
        Benchmark("snapshot: 100,000 tasks in 10 users, \(changedUsers) changed", configuration: .init(maxDuration: .seconds(10), maxIterations: 5)) {
            benchmark in
            let (path, users) = try await PopulatedDirectory.shared.get()
            let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: path, snapshotEvery: 0, housekeepingInterval: nil))
            _ = try await store.snapshotNow()  // the one before
            for user in users.prefix(changedUsers) { _ = try await store.acknowledged(await store.user(user).createTask(draft(0))) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await store.snapshotNow()) }
            benchmark.stopMeasurement()
            await store.close()
        }
    }
}

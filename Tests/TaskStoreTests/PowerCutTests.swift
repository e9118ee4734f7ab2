import Foundation
import Synchronization
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// What kill -9 (KillNineTests) cannot show: a power cut, which loses whatever was not fsynced,
/// file contents and directory entries alike (new segments, renamed snapshots, removed files).
/// Writers create, update and delete tasks while snapshots and segment rollovers come every few
/// dozen records; the power is cut after a random number of acknowledged writes; after the
/// restart every acknowledged write is there.
@Suite struct PowerCutTests {
    /// What a writer was told, task by task: the version last acknowledged, or nil once its
    /// delete was. (A write that was not answered may survive a power cut or not: a create or
    /// an update leaves a task at its acknowledged version or later, but a delete is left out.)
    typealias Ledger = [TaskID: UInt32?]

    @Test(arguments: 0..<16)
    func everyAcknowledgedWriteSurvivesAPowerCutAtARandomMoment(seed: UInt64) async throws {
        let (fixture, ledgers) = try await cutPower(under: .always, seed: seed, keepingUnsyncedSectors: false)
        defer { fixture.directory.remove() }
        try await expectAcknowledged(ledgers, in: fixture, seed: seed)
    }

    /// A disk writes its cache back in any order: a power cut may keep some sectors written
    /// since the last fsync and lose others. Under `always` that costs no acknowledged write;
    /// under `never` (every frame unsynced but at segment rollovers) a start must still
    /// succeed, reading a hole followed by frames written while it was unsynced as a torn
    /// write, not as corruption.
    @Test(arguments: [FsyncPolicy.always, .never], 0..<8)
    func aPowerCutThatKeepsSomeUnsyncedSectors(policy: FsyncPolicy, seed: UInt64) async throws {
        let (fixture, ledgers) = try await cutPower(under: policy, seed: seed, keepingUnsyncedSectors: true)
        defer { fixture.directory.remove() }
        if policy == .always {
            try await expectAcknowledged(ledgers, in: fixture, seed: seed)
        } else {
            let store = try fixture.open()
            await store.close()
        }
    }

    /// Runs four writers under `policy` with 2 KiB segments and snapshots every 25 records,
    /// cuts the power after a random number of acknowledged writes, and then loses what a
    /// power cut loses. Returns the writers' ledgers by user.
    private func cutPower(
        under policy: FsyncPolicy, seed: UInt64, keepingUnsyncedSectors: Bool
    ) async throws -> (StoreFixture, [UserID: Ledger]) {
        let (base, fileSystem) = StoreFixture.faultInjecting(fsync: policy)
        var fixture = base
        fixture.snapshotEvery = 25
        fixture.segmentSize = 2048
        var random = SeededGenerator(seed: seed)
        let cutAfter = 20 + Int(random.next() % 600)
        let acknowledged = Counter()
        let store = try fixture.open()
        let ledgers = await withTaskGroup(of: (UserID, Ledger).self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let userID = UserID()
                    let ledger = await Self.write(as: userID, in: store, seed: seed &* 31 &+ UInt64(writer)) {
                        if acknowledged.increment() == cutAfter { fileSystem.cutPower() }
                    }
                    return (userID, ledger)
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(acknowledged.value >= cutAfter)
        // Closing writes nothing now (every write fails), and stops the snapshots, which would
        // otherwise go on trying once the power is back.
        await store.close()
        fileSystem.simulatePowerLoss(keepingUnsyncedSectors: keepingUnsyncedSectors ? { random.next() % 2 == 0 } : nil)
        return (fixture, ledgers)
    }

    private func expectAcknowledged(_ ledgers: [UserID: Ledger], in fixture: StoreFixture, seed: UInt64) async throws {
        let store = try fixture.open()
        var checked = 0
        for (userID, ledger) in ledgers {
            for (taskID, version) in ledger {
                let recovered = await store.user(userID).readTask(taskID).value
                if let version {
                    let found = try #require(recovered, "seed \(seed): an acknowledged task is gone")
                    #expect(found.task.version >= version, "seed \(seed): task \(taskID) went back from version \(version) to \(found.task.version)")
                } else {
                    #expect(recovered == nil, "seed \(seed): a task whose delete was acknowledged is back")
                }
                checked += 1
            }
        }
        #expect(checked > 0)
        await store.close()
    }

    /// Creates, updates and deletes tasks of one user until a write fails (the power is cut)
    /// or 400 writes are acknowledged; `onAcknowledged` runs after each.
    private static func write(as userID: UserID, in store: TaskStore, seed: UInt64, onAcknowledged: () -> Void) async -> Ledger {
        var random = SeededGenerator(seed: seed)
        var ledger: Ledger = [:]
        var live: [TaskID] = []
        let user = store.user(userID)
        for step in 0..<400 {
            do {
                let roll = random.next() % 10
                if live.isEmpty || roll < 4 {
                    let task = try await store.acknowledged(await user.createTask(TaskDraft(title: "step \(step)"))).task
                    ledger[task.id] = task.version
                    live.append(task.id)
                } else if roll < 8 {
                    let id = live[Int(random.next() % UInt64(live.count))]
                    var patch = TaskPatch()
                    patch.title = .set("step \(step)")
                    ledger[id] = try await store.acknowledged(await user.updateTask(id, patch)).task.version
                } else {
                    let id = live.remove(at: Int(random.next() % UInt64(live.count)))
                    // Until it is answered, a delete may or may not survive a power cut (its
                    // frame may have reached the disk): the task is checked for neither.
                    ledger[id] = nil
                    try await store.acknowledged(await user.deleteTask(id))
                    ledger[id] = .some(nil)
                }
                onAcknowledged()
            } catch {
                return ledger
            }
        }
        return ledger
    }

    private final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        /// Counts one more; returns the new count.
        func increment() -> Int { count.withLock { $0 += 1; return $0 } }
    }
}

import Foundation
import TaskStoreTestSupport
@testable import TaskStore

/// Random commands over many users, as clients would send them: creates, patches, deletes,
/// category changes, logins, refreshes and logouts. Seeded, so a failure can be replayed.
struct RandomWorkload {
    let store: TaskStore
    let userIDs: [UserID]

    static let titles = [
        "Write quarterly report", "Fix login redirect bug", "Review pull request #482", "Plan team offsite",
        "Update dependency versions", "Call dentist", "Prepare slides for demo", "Renew passport",
    ]
    static let descriptions: [String?] = [
        nil, "Collect numbers from finance and summarise the main trends for the board.",
        "Users are sent to the wrong page after signing in with SSO; reproduce and fix.", "", "Ünïcødé ✓ 测试 🚀",
    ]
    static let categoryNames = ["Work", "work", "Home", "Errands", "Health", "Side project"]

    /// Registers `count` users and returns the workload over them.
    static func registering(users count: Int, in store: TaskStore) async throws -> RandomWorkload {
        var ids: [UserID] = []
        for index in 0..<count {
            let user = try await store.acknowledged(
                await store.accounts.register(email: "user\(index)@example.com", passwordHash: "$2b$04$hash\(index)", fullName: index % 2 == 0 ? "User \(index)" : nil))
            ids.append(user.id)
        }
        return RandomWorkload(store: store, userIDs: ids)
    }

    /// Runs `commands` commands in `streams` concurrent streams; returns how many were acknowledged.
    @discardableResult
    func run(commands: Int, streams: Int, seed: UInt64) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for stream in 0..<streams {
                let share = commands / streams + (stream < commands % streams ? 1 : 0)
                group.addTask {
                    var rng = SeededGenerator(seed: seed &+ UInt64(stream) &* 7919)
                    var digests: [TokenDigest] = []
                    var acknowledged = 0
                    for _ in 0..<share {
                        if try await runOne(rng: &rng, digests: &digests) { acknowledged += 1 }
                    }
                    return acknowledged
                }
            }
            return try await group.reduce(0, +)
        }
    }

    private func runOne(rng: inout SeededGenerator, digests: inout [TokenDigest]) async throws -> Bool {
        let userID = userIDs.randomElement(using: &rng)!
        let user = store.user(userID)
        let state = try await store.acknowledged(await user.read { $0 })
        let taskID = state.tasks.keys.sorted { $0.uuidString < $1.uuidString }.randomElement(using: &rng)
        let categoryID = state.categories.keys.sorted { $0.uuidString < $1.uuidString }.randomElement(using: &rng)
        do {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<35:
                let draft = TaskDraft(
                    title: Self.titles.randomElement(using: &rng)!, description: Self.descriptions.randomElement(using: &rng)!,
                    status: TaskStatus.allCases.randomElement(using: &rng)!, priority: TaskPriority.allCases.randomElement(using: &rng)!,
                    dueDate: Bool.random(using: &rng) ? Timestamp(milliseconds: 1_796_000_000_000 + Int64.random(in: 0..<1_000_000, using: &rng)) : nil,
                    categoryName: Bool.random(using: &rng) ? Self.categoryNames.randomElement(using: &rng) : nil)
                let key = Int.random(in: 0..<4, using: &rng) == 0 ? "key-\(Int.random(in: 0..<20, using: &rng))" : nil
                _ = try await store.acknowledged(await user.createTask(draft, idempotencyKey: key))
            case 35..<60:
                guard let taskID else { return false }
                var patch = TaskPatch()
                if Bool.random(using: &rng) { patch.status = .set(TaskStatus.allCases.randomElement(using: &rng)!) }
                if Bool.random(using: &rng) { patch.title = .set(Self.titles.randomElement(using: &rng)!) }
                if Bool.random(using: &rng) { patch.description = .set(Self.descriptions.randomElement(using: &rng)!) }
                if Bool.random(using: &rng) { patch.priority = .set(TaskPriority.allCases.randomElement(using: &rng)!) }
                if Bool.random(using: &rng) { patch.categoryName = .set(Bool.random(using: &rng) ? nil : Self.categoryNames.randomElement(using: &rng)) }
                let version = Int.random(in: 0..<5, using: &rng) == 0 ? VersionPrecondition(UInt32.random(in: 1...3, using: &rng)) : nil
                _ = try await store.acknowledged(await user.updateTask(taskID, patch, ifVersion: version))
            case 60..<70:
                guard let taskID else { return false }
                _ = try await store.acknowledged(await user.deleteTask(taskID))
            case 70..<78:
                _ = try await store.acknowledged(await user.createCategory(named: Self.categoryNames.randomElement(using: &rng)! + " \(Int.random(in: 0..<3, using: &rng))"))
            case 78..<84:
                guard let categoryID else { return false }
                _ = try await store.acknowledged(await user.renameCategory(categoryID, to: Self.categoryNames.randomElement(using: &rng)!))
            case 84..<88:
                guard let categoryID else { return false }
                _ = try await store.acknowledged(await user.deleteCategory(categoryID))
            case 88..<93:
                let digest = TokenDigest(words: (rng.next(), rng.next(), rng.next(), rng.next()))
                _ = try await store.acknowledged(await store.accounts.startRefreshFamily(for: userID, digest: digest, expiresAt: Self.expiry(using: &rng)))
                digests.append(digest)
            case 93..<98:
                guard let presented = digests.randomElement(using: &rng) else { return false }
                let next = TokenDigest(words: (rng.next(), rng.next(), rng.next(), rng.next()))
                if case .rotated = try await store.acknowledged(await store.accounts.rotateRefreshToken(presented: presented, next: next, expiresAt: Self.expiry(using: &rng))) {
                    digests.append(next)
                }
            default:
                guard let presented = digests.randomElement(using: &rng) else { return false }
                _ = try await store.acknowledged(await store.accounts.revokeRefreshToken(presented: presented))
            }
            return true
        } catch is DomainError {
            return false
        }
    }

    /// Half the refresh tokens never expire; the others within the first second of the
    /// test clock (1 ms a reading), so later commands end their families as the run goes on.
    private static func expiry(using rng: inout SeededGenerator) -> Timestamp {
        Bool.random(using: &rng) ? Timestamp(milliseconds: Int64.max / 2) : Timestamp(milliseconds: 1_795_000_000_000 + Int64.random(in: 0..<1_000, using: &rng))
    }

    /// Every state the store holds for these users, as of now.
    func states() async throws -> StoreStates {
        var users: [UserID: UserState] = [:]
        for id in userIDs { users[id] = try await store.acknowledged(await store.user(id).read { $0 }) }
        return StoreStates(accounts: try await store.acknowledged(await store.accounts.read { $0 }), users: users)
    }
}

struct StoreStates: Equatable {
    var accounts: AccountsState
    var users: [UserID: UserState]

    var taskCount: Int { users.values.reduce(0) { $0 + $1.tasks.count } }

    /// Where `self` first differs from `other`, short enough to read in a failure; nil if equal.
    func firstDifference(from other: StoreStates) -> String? {
        if accounts != other.accounts {
            return "accounts differ: \(accounts.users.count) vs \(other.accounts.users.count) users, \(accounts.families.count) vs \(other.accounts.families.count) families, LSN \(accounts.lastAppliedLSN) vs \(other.accounts.lastAppliedLSN)"
        }
        for (id, state) in users.sorted(by: { $0.key.uuidString < $1.key.uuidString }) where state != other.users[id] {
            guard let theirs = other.users[id] else { return "user \(id) is missing" }
            for task in state.tasks.values where task != theirs.tasks[task.id] {
                return "user \(id) task \(task.id): \(task) vs \(String(describing: theirs.tasks[task.id]))"
            }
            return "user \(id): \(state.tasks.count) vs \(theirs.tasks.count) tasks, \(state.categories.count) vs \(theirs.categories.count) categories, \(state.tombstones.count) vs \(theirs.tombstones.count) tombstones, \(state.idempotencyRecords.count) vs \(theirs.idempotencyRecords.count) keys, LSN \(state.lastAppliedLSN) vs \(theirs.lastAppliedLSN)"
        }
        for (id, state) in users {
            // The index behind the default listing, rebuilt by recovery, must list the same.
            let listed = { (tasks: TaskTable) in tasks.hasCreationOrder ? tasks.creationOrder.page(descending: true, offset: 0, limit: .max) : nil }
            if let theirs = other.users[id], listed(state.tasks) != listed(theirs.tasks) {
                return "user \(id): the creation order differs (\(state.tasks.hasCreationOrder) vs \(theirs.tasks.hasCreationOrder) kept)"
            }
        }
        return users.count == other.users.count ? nil : "\(users.count) vs \(other.users.count) users"
    }
}

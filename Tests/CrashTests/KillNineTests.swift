import NIOHTTP1
import AsyncHTTPClient
import Foundation
import TaskStoreTestSupport
import Testing

/// taskd's promise: an answered write survives a crash. Start the real binary, write with
/// several clients, SIGKILL it at a random moment, restart it on the same data directory and
/// check every acknowledged write and the invariants between tasks and categories.
@Suite(.serialized) struct KillNineTests {
    struct Round: Sendable, CustomStringConvertible {
        var number: Int
        var seconds: Double
        var fsync: String
        var snapshotEvery: Int
        var description: String { "round \(number): \(String(format: "%.2f", seconds)) s, --fsync \(fsync), --snapshot-every \(snapshotEvery)" }
    }

    static let rounds: [Round] = (0..<20).map { number in
        var rng = SeededGenerator(seed: UInt64(number) &* 0x9E37_79B9 &+ 17)
        return Round(
            number: number, seconds: 0.1 + Double(rng.next() % 2400) / 1000, fsync: number % 4 == 3 ? "everysec" : "always",
            snapshotEvery: number % 3 == 1 ? 40 : 100_000)
    }

    @Test(arguments: rounds)
    func everyAcknowledgedWriteSurvivesKillNine(round: Round) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let arguments = ["--fsync", round.fsync, "--snapshot-every", String(round.snapshotEvery)]
        var server = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments)
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        let writers = 6
        var tokens: [String] = []
        for writer in 0..<writers { tokens.append(try await client.signUp("writer\(writer)@example.com")) }

        let ledger = WriteLedger()
        let load = Task { [client, tokens] in
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask { await Self.write(as: writer, token: tokens[writer], client: client, ledger: ledger, seed: UInt64(round.number * 100 + writer)) }
                }
                group.addTask { await Self.register(client: client, ledger: ledger, round: round.number) }
            }
        }
        try await Task.sleep(for: .milliseconds(Int(round.seconds * 1000)))
        // On a machine whose cores are busy elsewhere the writers may not have been answered
        // yet; a round meant to kill a writing server waits for its first answer (10 s at most).
        let patience = ContinuousClock.now + .seconds(10)
        while round.seconds >= 0.3, await ledger.acknowledgedWrites == 0, ContinuousClock.now < patience {
            try await Task.sleep(for: .milliseconds(10))
        }
        let killedAt = ContinuousClock.now
        await server.crash()
        await load.value

        server = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments)
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "restart after kill -9 failed:\n\(server.log)")
        let lost = try await Self.verify(ledger: ledger, tokens: tokens, client: client, killedAt: killedAt, allowLoss: round.fsync == "everysec")
        let acknowledged = await ledger.acknowledgedWrites
        #expect(acknowledged > 0 || round.seconds < 0.3, "the round wrote something")
        await CrashTotals.shared.add(acknowledged: acknowledged, lost: lost, everysec: round.fsync == "everysec")
        print("\(round): \(acknowledged) acknowledged writes verified, \(lost) lost (fsync \(round.fsync))")
        #expect(await server.stop() == 0)
    }

    /// Users large enough that snapshots write their tasks in chunks of 512 with frames of
    /// their own, snapshots often enough that they copy the chunks that did not change, and
    /// two kills: the second restart loads a snapshot whose frames were copied from the one the
    /// first restart loaded. Every acknowledged write survives both.
    @Test func largeUsersSurviveKillNineWhileSnapshotsCopyTheirChunks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let arguments = ["--fsync", "always", "--snapshot-every", "300"]
        var server = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments)
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        let writers = 2
        var tokens: [String] = []
        for writer in 0..<writers { tokens.append(try await client.signUp("large\(writer)@example.com")) }
        let ledger = WriteLedger()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                for lane in 0..<8 {
                    group.addTask { [client, tokens] in
                        for index in stride(from: lane, to: 4 * 512 + 100, by: 8) {
                            let title = "w\(writer) preload \(index)"
                            let reply = try await client.send(.POST, "/tasks", json: #"{"title":"\#(title)"}"#, token: tokens[writer])
                            let id = try #require(reply.status == 201 ? reply.object["id"] as? String : nil, "preload: \(reply.status)")
                            await ledger.acknowledge(id, writer: writer, title: title, version: 1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        var copiedChunks = 0
        for cycle in 0..<2 {
            let load = Task { [client, tokens] in
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask { await Self.write(as: writer, token: tokens[writer], client: client, ledger: ledger, seed: UInt64(7_000 + 10 * cycle + writer)) }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(2000))
            let killedAt = ContinuousClock.now
            copiedChunks += Self.copiedChunks(in: server.log)
            await server.crash()
            await load.value

            server = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments)
            client = TestHTTPClient(port: server.port)
            #expect(await server.waitUntilServing(client: client), "restart \(cycle + 1) after kill -9 failed:\n\(server.log)")
            #expect(try await Self.verify(ledger: ledger, tokens: tokens, client: client, killedAt: killedAt, allowLoss: false) == 0)
        }
        #expect(copiedChunks > 0, "no snapshot copied a chunk: the test did not test what it is for")
        print("large users: \(await ledger.acknowledgedWrites) acknowledged writes verified after two kills; snapshots copied \(copiedChunks) chunks")
        #expect(await server.stop() == 0)
    }

    /// The chunks the published snapshots in a server's log copied.
    static func copiedChunks(in log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("published snapshot") }.reduce(0) { total, line in
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("copied_chunks=") }) else { return total }
            return total + (Int(field.dropFirst("copied_chunks=".count)) ?? 0)
        }
    }

    /// One client's loop: creates, patches, deletes and category changes on its own user, until
    /// the server dies.
    static func write(as writer: Int, token: String, client: TestHTTPClient, ledger: WriteLedger, seed: UInt64) async {
        var rng = SeededGenerator(seed: seed)
        for step in 0..<100_000 {
            let mine = await ledger.tasks(of: writer)
            do {
                let roll = rng.next() % 10
                switch mine.isEmpty ? 0 : roll {  // nothing of its own yet: create
                case 0..<4:
                    let title = "w\(writer) s\(step)"
                    await ledger.beginCreate(writer)
                    let reply = try await client.send(.POST, "/tasks", json: #"{"title":"\#(title)","category_name":"C\#(rng.next() % 4)"}"#, token: token)
                    if reply.status == 201, let id = reply.object["id"] as? String { await ledger.acknowledge(id, writer: writer, title: title, version: 1) }
                    await ledger.endCreate(writer)
                case 4..<7:
                    let id = mine[Int(rng.next() % UInt64(mine.count))]
                    let title = "w\(writer) s\(step) patched"
                    let category = rng.next() % 3 == 0 ? "null" : "\"C\(rng.next() % 4)\""
                    await ledger.begin(id)
                    let reply = try await client.send(.PATCH, "/tasks/\(id)", json: #"{"title":"\#(title)","category_name":\#(category)}"#, token: token)
                    if reply.status == 200 { await ledger.acknowledge(id, writer: writer, title: title, version: reply.object["version"] as? Int ?? -1) }
                case 7:
                    let id = mine[Int(rng.next() % UInt64(mine.count))]
                    await ledger.begin(id)
                    if try await client.send(.DELETE, "/tasks/\(id)", token: token).status == 204 {
                        await ledger.acknowledge(id, writer: writer, title: "", version: 0, deleted: true)
                    }
                case 8:
                    _ = try await client.send(.POST, "/categories", json: #"{"name":"K\#(rng.next() % 6)"}"#, token: token)
                default:
                    let categories = try await client.send(.GET, "/categories", token: token).array
                    if let victim = categories.randomElement(using: &rng)?["id"] as? String {
                        if rng.next() % 2 == 0 {
                            _ = try await client.send(.DELETE, "/categories/\(victim)", token: token)
                        } else {
                            _ = try await client.send(.PATCH, "/categories/\(victim)", json: #"{"name":"R\#(rng.next() % 8)"}"#, token: token)
                        }
                    }
                }
            } catch {
                return  // the server is gone; whatever was in flight stays uncertain
            }
        }
    }

    static func register(client: TestHTTPClient, ledger: WriteLedger, round: Int) async {
        for index in 0..<100_000 {
            let email = "new\(round)-\(index)@example.com"
            guard let reply = try? await client.send(.POST, "/auth/register", json: #"{"email":"\#(email)","password":"crash test password"}"#) else { return }
            if reply.status == 201 { await ledger.registered(email) }
        }
    }

    /// Checks the restarted server against the ledger; returns how many acknowledged writes are
    /// missing (allowed only under everysec, and only from the last moments before the kill).
    static func verify(ledger: WriteLedger, tokens: [String], client: TestHTTPClient, killedAt: ContinuousClock.Instant, allowLoss: Bool) async throws -> Int {
        let known = await ledger.tasks
        let uncertain = await ledger.uncertain
        let createsInFlight = await ledger.createsInFlight
        var lost = 0
        func missing(_ task: WriteLedger.KnownTask, _ what: String) {
            if allowLoss && killedAt - task.acknowledgedAt < .milliseconds(1600) {
                lost += 1
            } else {
                Issue.record("\(what) (acknowledged \(killedAt - task.acknowledgedAt) before the kill)")
            }
        }
        for (writer, token) in tokens.enumerated() {
            var listed: [String: [String: Any]] = [:]
            var offset = 0
            while true {
                let page = try await client.send(.GET, "/tasks?limit=100&offset=\(offset)", token: token).object
                for task in page["items"] as? [[String: Any]] ?? [] { listed[task["id"] as! String] = task }
                offset += 100
                if offset >= page["total"] as? Int ?? 0 { break }
            }
            for (id, task) in known where task.writer == writer && !uncertain.contains(id) {
                let found = listed[id]
                if task.deleted {
                    if found != nil { missing(task, "writer \(writer): task \(id) was deleted, and is back") }
                } else if found?["title"] as? String != task.title || (found?["version"] as? Int ?? 0) < task.version {
                    // A later version with the same title is right: deleting a category bumps its tasks' versions.
                    missing(task, "writer \(writer): task \(id) should be \(task.title) v\(task.version), is \(String(describing: found?["title"])) v\(String(describing: found?["version"]))")
                }
            }
            let unknown = listed.keys.filter { known[$0] == nil }
            #expect(unknown.count <= (createsInFlight[writer] ?? 0), "writer \(writer): tasks nobody was told about: \(unknown)")
            // Invariants: counts, links and versions agree with the tasks.
            let categories = try await client.send(.GET, "/categories", token: token).array
            let categoryIDs = Set(categories.map { $0["id"] as! String })
            for task in listed.values {
                #expect((task["version"] as? Int ?? 0) >= 1)
                if let category = task["category"] as? [String: Any] { #expect(categoryIDs.contains(category["id"] as! String), "a task links a missing category") }
            }
            for category in categories {
                let counted = listed.values.filter { ($0["category"] as? [String: Any])?["id"] as? String == category["id"] as? String }.count
                #expect(category["task_count"] as? Int == counted, "category \(category["name"] ?? "?") counts \(category["task_count"] ?? "?"), has \(counted)")
            }
        }
        for email in await ledger.registered {
            let login = try await client.send(.POST, "/auth/login", json: #"{"email":"\#(email)","password":"crash test password"}"#)
            if login.status != 200 {
                if allowLoss { lost += 1 } else { Issue.record("registered user \(email) cannot log in after the crash") }
            }
        }
        return lost
    }
}

/// Totals over all rounds, printed at the end for the note.
actor CrashTotals {
    static let shared = CrashTotals()
    private var rounds = 0, acknowledged = 0, lostUnderEverysec = 0

    func add(acknowledged: Int, lost: Int, everysec: Bool) {
        rounds += 1
        self.acknowledged += acknowledged
        if everysec { lostUnderEverysec += lost }
        print("crash totals: \(rounds) rounds, \(self.acknowledged) acknowledged writes verified, \(lostUnderEverysec) lost under everysec")
    }
}

import Foundation
import NIOHTTP1
import TaskStore
import TaskStoreTestSupport
import Testing

/// Running taskd for real: live backup and restore, systemd readiness, JSON logs.
@Suite(.serialized) struct DeploymentTests {
    @Test func aBackupDuringWritesRestoresEveryWriteAcknowledgedBeforeIt() async throws {
        let directory = TemporaryDirectory()
        let restored = TemporaryDirectory(path: TemporaryDirectory.unusedPath("-restored"))
        let archive = directory.path + ".backup"
        defer {
            directory.remove()
            restored.remove()
            try? FileManager.default.removeItem(atPath: archive)
        }
        var server = try ServerProcess(dataDirectory: directory.path, extraArguments: ["--snapshot-every", "40"])
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let token = try await client.signUp("ada@example.com")
        let ledger = WriteLedger()
        let writers = Task { [client] in
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for step in 0..<100_000 where !Task.isCancelled {
                            let title = "w\(writer) s\(step)"
                            guard let reply = try? await client.send(.POST, "/tasks", json: #"{"title":"\#(title)"}"#, token: token), reply.status == 201 else { return }
                            await ledger.acknowledge(reply.object["id"] as! String, writer: writer, title: title, version: 1)
                        }
                    }
                }
            }
        }
        // Writes are under way (bounded wait: a loaded machine may be slow to get going).
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while await ledger.tasks.count < 20 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let before = await ledger.tasks  // everything acknowledged before the backup starts
        let backup = try await BinaryStorageTests.taskd(["backup", "--data-dir", directory.path, "--out", archive])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("verified"))
        try await Task.sleep(for: .milliseconds(200))
        writers.cancel()
        await writers.value
        #expect(await server.stop() == 0)
        #expect(before.count >= 20, "writes were under way: \(before.count)")
        #expect((try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int) == 0o600)

        let restore = try await BinaryStorageTests.taskd(["restore", "--from", archive, "--data-dir", restored.path])
        #expect(restore.status == 0, "\(restore.output)")
        let historyIDs = try [directory, restored].map { try String(contentsOfFile: $0.file("history-id"), encoding: .utf8) }
        #expect(historyIDs[0].count == 17 && historyIDs[1].count == 17 && historyIDs[0] != historyIDs[1], "a restored directory has a history of its own")
        #expect(try await BinaryStorageTests.taskd(["wal", "verify", "--data-dir", restored.path]).status == 0)
        server = try ServerProcess(dataDirectory: restored.path)
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        for (id, task) in before {
            let reply = try await client.send(.GET, "/tasks/\(id)", token: token)
            #expect(reply.status == 200 && reply.object["title"] as? String == task.title, "task \(id) acknowledged before the backup")
        }
        #expect(await server.stop() == 0)
    }

    /// `/metrics` as `taskd serve` wires it (API.md lists both): a histogram of the WAL's fsync
    /// latency with one observation per fsync, and, once a snapshot is published, its age and LSN.
    @Test func metricsCarryFsyncLatencyAndTheSnapshotAgeOnceOneIsPublished() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path, extraArguments: ["--snapshot-every", "3"])
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        func metrics() async throws -> String { String(decoding: try await client.send(.GET, "/metrics").body, as: UTF8.self) }
        func value(_ name: String, in text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last!) }
        }
        #expect(value("taskd_snapshot_age_seconds", in: try await metrics()) == nil, "no snapshot yet")
        let token = try await client.signUp("ada@example.com")
        for index in 0..<4 { #expect(try await client.send(.POST, "/tasks", json: #"{"title":"t\#(index)"}"#, token: token).status == 201) }
        // The snapshot is written in the background once 3 records are logged (bounded wait).
        var text = try await metrics()
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while value("taskd_snapshot_lsn", in: text) == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            text = try await metrics()
        }
        #expect(try #require(value("taskd_snapshot_lsn", in: text)) >= 3)
        let age = try #require(value("taskd_snapshot_age_seconds", in: text))
        #expect(age >= 0 && age < 60)
        let fsyncs = try #require(value("taskd_wal_fsyncs", in: text))
        #expect(fsyncs >= 6, "register, login and four creates, one after another, at --fsync always")
        #expect(value("taskd_wal_fsync_duration_seconds_count", in: text) == fsyncs)
        #expect(try #require(value("taskd_wal_fsync_duration_seconds_sum", in: text)) > 0)
        #expect(await server.stop() == 0)
    }

    @Test func restoreRefusesANonEmptyDirectoryAndDamagedArchives() async throws {
        let (source, _) = try await BinaryStorageTests.dataDirectory(tasks: 5)
        let archive = source.path + ".backup"
        defer {
            source.remove()
            try? FileManager.default.removeItem(atPath: archive)
        }
        #expect(try await BinaryStorageTests.taskd(["backup", "--data-dir", source.path, "--out", archive]).status == 0)
        // A backup that cannot be made names what stopped it.
        let noSource = try await BinaryStorageTests.taskd(["backup", "--data-dir", source.path + "-missing", "--out", archive + "2"])
        #expect(noSource.status != 0 && noSource.output.contains("backup failed: opendir \(source.path)-missing"), "\(noSource.output)")
        let noTarget = try await BinaryStorageTests.taskd(["backup", "--data-dir", source.path, "--out", source.path + "-missing/archive"])
        #expect(noTarget.status != 0 && noTarget.output.contains("backup failed: create \(source.path)-missing/archive"), "\(noTarget.output)")

        let occupied = TemporaryDirectory()
        defer { occupied.remove() }
        try "keep me".write(toFile: occupied.file("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try await BinaryStorageTests.taskd(["restore", "--from", archive, "--data-dir", occupied.path])
        #expect(refused.status != 0 && refused.output.contains("not empty"))
        #expect(occupied.names() == ["notes.txt"], "left untouched")

        let original = try Data(contentsOf: URL(fileURLWithPath: archive))
        for (label, damaged) in [("truncated", original.prefix(original.count - 10)), ("altered", { var d = original; d[d.count / 2] ^= 0xFF; return d }())] {
            try damaged.write(to: URL(fileURLWithPath: archive))
            let target = TemporaryDirectory(path: TemporaryDirectory.unusedPath("-\(label)"))
            defer { target.remove() }
            let result = try await BinaryStorageTests.taskd(["restore", "--from", archive, "--data-dir", target.path])
            #expect(result.status != 0 && result.output.contains("backup archive"), "\(label): \(result.output)")
            #expect(!FileManager.default.fileExists(atPath: target.path) || target.names().isEmpty, "\(label): nothing written")
        }
    }

    /// `NOTIFY_SOCKET` may name a socket in the abstract namespace (`@name`), as systemd's own
    /// does in some setups: the datagram goes there, not to a file named "@name".
    @Test func systemdHearsReadyOnAnAbstractSocket() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(abstract: true)
        defer { listener.close() }
        let server = try ServerProcess(dataDirectory: directory.path, environment: ["NOTIFY_SOCKET": listener.path])
        let ready = await listener.receive(timeout: .seconds(60))
        #expect(ready?.contains("READY=1") == true, "no READY=1 at \(listener.path): \(server.log)")
        #expect(await server.stop() == 0)
    }

    @Test func systemdHearsReadyOnlyAfterRecoveryAndStoppingOnSIGTERM() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // A WAL long enough that replaying it takes a while.
        let store = try TaskStore(configuration: StoreConfiguration(dataDirectory: directory.path, wal: .init(fsync: .never), snapshotEvery: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stream in 0..<16 {
                group.addTask {
                    let user = store.user(UserID())
                    for index in 0..<4000 { _ = try await store.acknowledged(await user.createTask(TaskDraft(title: "task \(stream)-\(index)"))) }
                }
            }
            try await group.waitForAll()
        }
        await store.close()

        let listener = try NotifyListener()
        defer { listener.close() }
        let server = try ServerProcess(dataDirectory: directory.path, environment: ["NOTIFY_SOCKET": listener.path])
        let ready = try #require(await listener.receive(timeout: .seconds(60)), "no READY=1: \(server.log)")
        #expect(ready.contains("READY=1"))
        #expect(server.log.contains("replayed the write-ahead log") && server.log.contains("records=64000"), "recovery finished before READY=1")
        let client = TestHTTPClient(port: server.port)
        #expect(try await client.send(.GET, "/health").status == 200, "serving as soon as READY=1 is sent")
        server.signal(SIGTERM)
        let stopping = await listener.receive(timeout: .seconds(30))
        #expect(stopping?.contains("STOPPING=1") == true)
        #expect(await server.waitForExit() == 0)
    }

    /// Under `--fsync everysec` a killed server's writes live on in the kernel, so the restart
    /// keeps the history and a `/sync` cursor from before it stays good. After a machine restart
    /// they may be gone: the next start renews the history and the cursor gets 410. (The reboot
    /// is pretended: the marker the killed run left is rewritten to name another boot.)
    @Test func aSyncCursorOutlivesAKilledServerButNotAMachineRestart() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let everysec = ["--fsync", "everysec"]
        // Three servers, none dropped before the end: dropping one deletes the log they share.
        let first = try ServerProcess(dataDirectory: directory.path, extraArguments: everysec)
        var client = TestHTTPClient(port: first.port)
        #expect(await first.waitUntilServing(client: client), "\(first.log)")
        #expect(try await client.send(.GET, "/health").object["fsync"] as? String == "everysec", "/health says which policy is on")
        let token = try await client.signUp("ada@example.com")
        #expect(try await client.send(.POST, "/tasks", json: #"{"title":"seen"}"#, token: token).status == 201)
        let cursor = try #require(try await client.send(.GET, "/sync", token: token).object["cursor"] as? String)
        await first.crash()

        let second = try ServerProcess(dataDirectory: directory.path, extraArguments: everysec)
        client = TestHTTPClient(port: second.port)
        #expect(await second.waitUntilServing(client: client), "\(second.log)")
        #expect(try await client.send(.GET, "/sync?since=\(cursor)", token: token).status == 200)
        await second.crash()

        let marker = directory.file("unsynced-run")
        #expect(FileManager.default.fileExists(atPath: marker), "left by the killed run")
        try Data("boot 00000000-0000-4000-8000-000000000000\n".utf8).write(to: URL(fileURLWithPath: marker))
        let third = try ServerProcess(dataDirectory: directory.path, extraArguments: everysec)
        client = TestHTTPClient(port: third.port)
        #expect(await third.waitUntilServing(client: client), "\(third.log)")
        #expect(try await client.send(.GET, "/sync?since=\(cursor)", token: token).status == 410)
        #expect(third.log.contains("the machine has restarted since"), "\(third.log)")
        #expect(await third.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "a clean stop leaves none")
    }

    /// Its log's reader going away (`taskd serve 2>&1 | head`, a log shipper restarting) does
    /// not end the server: SIGPIPE is ignored, the lines are lost, the requests are answered.
    @Test func theServerOutlivesTheReaderOfItsLog() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = try ServerProcess.freePort()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let process = try ChildProcess(
            ServerProcess.binary, ["serve", "--port", String(port), "--data-dir", directory.path, "--bcrypt-cost", "4", "--login-rate-limit", "0"],
            output: ends[1])
        close(ends[1])
        defer {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }
        // The first bytes of the log, then the reader is gone.
        let reader = ends[0]
        #expect(await !SeparateThread.run { FileHandle(fileDescriptor: reader, closeOnDealloc: false).availableData }.isEmpty)
        close(ends[0])

        let client = TestHTTPClient(port: port)
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? await client.send(.GET, "/health", timeout: .milliseconds(500)))?.status != 200 && process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let token = try await client.signUp("ada@example.com")
        for index in 0..<20 {
            #expect(try await client.send(.POST, "/tasks", json: #"{"title":"logged to no one \#(index)"}"#, token: token).status == 201)
        }
        #expect(process.isRunning, "exit status \(process.status ?? 0)")
        #expect(try await client.send(.GET, "/tasks?limit=1", token: token).object["total"] as? Int == 20)
        process.signal(SIGTERM)
        let stopped = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < stopped { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.exitedCleanly)
    }

    /// SIGHUP too: a terminal that closes sends it to the server started from it.
    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aStopSignalEndsTheServerCleanly(signal: Int32) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path)
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        _ = try await client.signUp("ada@example.com")
        server.signal(signal)
        #expect(await server.waitForExit() == 0, "signal \(signal): \(server.log)")
        #expect(server.log.contains("stopped cleanly"), "signal \(signal): \(server.log)")
    }

    @Test func theSigningKeyComesFromTheFlagOrTheEnvironmentAndIsAtLeast32Bytes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let key = ["TASKD_JWT_SECRET": String(repeating: "k", count: 32)]
        var server = try ServerProcess(dataDirectory: directory.path, environment: key)
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "\(server.log)")
        let token = try await client.signUp("ada@example.com")
        #expect(await server.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.file("jwt-secret")), "no key made when one is given")
        // The same key after a restart: the token still verifies.
        server = try ServerProcess(dataDirectory: directory.path, environment: key)
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        #expect(try await client.send(.GET, "/tasks", token: token).status == 200)
        #expect(await server.stop() == 0)

        // The error names the setting that was made: the flag, or the variable when the flag is absent.
        for (arguments, environment, named) in [
            (["--jwt-secret", "short"], [:], "--jwt-secret"), ([], ["TASKD_JWT_SECRET": "short"], "TASKD_JWT_SECRET"),
            (["--jwt-secret=short"], ["TASKD_JWT_SECRET": String(repeating: "k", count: 32)], "--jwt-secret"),
            (["--jwt-secret", String(repeating: "k", count: 31)], [:], "--jwt-secret"),
        ] {
            let refused = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments, environment: environment)
            #expect(await refused.waitForExit() != 0)
            #expect(refused.log.contains("\(named) must be at least 32 bytes"), "\(refused.log)")
        }
    }

    /// Each flag's default reads its variable and falls back to the built-in value when that does
    /// not parse: without the check, `TASKD_PORT=18a` served on 8080 and `TASKD_BCRYPT_COST=ten`
    /// hashed at cost 12, saying nothing.
    @Test func aVariableThatDoesNotParseStopsTheStartAndIsNamed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let cases = [
            ("TASKD_PORT", "18a", "TASKD_PORT must be a whole number, not '18a'"),
            ("TASKD_BCRYPT_COST", "ten", "TASKD_BCRYPT_COST must be a whole number, not 'ten'"),
            ("TASKD_TRUST_FORWARDED_FOR", "maybe", "TASKD_TRUST_FORWARDED_FOR must be 1, true, yes or on"),
            // Values that parse but are out of range are named as set too.
            ("TASKD_SNAPSHOT_EVERY", "-1", "TASKD_SNAPSHOT_EVERY must be 0 or more, not -1"),
            ("TASKD_FSYNC", "sometimes", "TASKD_FSYNC must be always, everysec or never, not 'sometimes'"),
            ("TASKD_LOG_LEVEL", "verbose", "TASKD_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, not 'verbose'"),
            ("TASKD_LOG_FORMAT", "xml", "TASKD_LOG_FORMAT must be text or json, not 'xml'"),
            ("TASKD_ACCESS_TOKEN_TTL", "0", "TASKD_ACCESS_TOKEN_TTL must be 1 to 3153600000 seconds (100 years), not 0"),
            // Longer overflowed the milliseconds times are counted in: the first login crashed.
            ("TASKD_ACCESS_TOKEN_TTL", "9223372036854775807", "TASKD_ACCESS_TOKEN_TTL must be 1 to 3153600000 seconds (100 years), not 9223372036854775807"),
            ("TASKD_REFRESH_TOKEN_TTL", "3153600001", "TASKD_REFRESH_TOKEN_TTL must be 1 to 3153600000 seconds (100 years), not 3153600001"),
            ("TASKD_SYNC_RETENTION", "-5", "TASKD_SYNC_RETENTION must be 1 to 3153600000 seconds (100 years), not -5"),
        ]
        for (variable, value, message) in cases {
            let refused = try ServerProcess(dataDirectory: directory.path, environment: [variable: value])
            #expect(await refused.waitForExit() != 0, "\(variable)=\(value)")
            #expect(refused.log.contains(message), "\(refused.log)")
        }
        // On the command line (the last of a repeated flag wins), named as the flag.
        for (arguments, message) in [
            (["--bcrypt-cost", "3"], "--bcrypt-cost must be 4 to 31, not 3"), (["--bcrypt-cost", "32"], "--bcrypt-cost must be 4 to 31, not 32"),
            (["--login-rate-limit=-1"], "--login-rate-limit must be 0 or more, not -1"), (["--port", "65536"], "--port must be 1 to 65535, not 65536"),
        ] {
            let refused = try ServerProcess(dataDirectory: directory.path, extraArguments: arguments)
            #expect(await refused.waitForExit() != 0, "\(arguments)")
            #expect(refused.log.contains(message), "\(refused.log)")
        }
        // A switch set from the environment takes effect (a debug build refused to start with it
        // on): logins from two forwarded addresses count apart.
        let accepted = try ServerProcess(
            dataDirectory: directory.path, extraArguments: ["--login-rate-limit", "1"], environment: ["TASKD_TRUST_FORWARDED_FOR": "on"])
        let client = TestHTTPClient(port: accepted.port)
        #expect(await accepted.waitUntilServing(client: client), "\(accepted.log)")
        let body = #"{"email":"nobody@example.com","password":"whatever1"}"#
        var statuses: [Int] = []
        for address in ["192.0.2.1", "192.0.2.2", "192.0.2.1"] {
            statuses.append(try await client.send(.POST, "/auth/login", json: body, headers: [("X-Forwarded-For", address)]).status)
        }
        #expect(statuses == [401, 401, 429])
        #expect(await accepted.stop() == 0)
    }

    @Test func textLogLinesHaveTheTimeLevelLabelSortedMetadataSourceAndMessage() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path)
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        _ = try await client.send(.GET, "/tasks")
        #expect(await server.stop() == 0)
        let shape = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info taskd: duration_ms=\d+\.\d{3} hb\.request\.id=[0-9a-f]+ method=GET route=\/tasks status=401 \[TaskAPI\] request/
        let lines = server.log.split(separator: "\n")
        #expect(lines.contains { $0.wholeMatch(of: shape) != nil }, "\(server.log)")
        #expect(lines.contains { $0.hasSuffix(" info taskd: [taskd] stopped cleanly") })
    }

    @Test func jsonLogsParseLineByLineAndCarryNoSecrets() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path, extraArguments: ["--log-format", "json"])
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let token = try await client.signUp("ada@example.com")
        let refresh = try await client.send(.POST, "/auth/login", json: #"{"email":"ada@example.com","password":"crash test password"}"#).object["refresh_token"] as! String
        _ = try await client.send(.POST, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
        _ = try await client.send(.POST, "/tasks", json: #"{"title":"logged"}"#, token: token)
        #expect(await server.stop() == 0)
        let lines = server.log.split(separator: "\n")
        #expect(lines.count > 5)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "not a JSON object: \(line)")
            #expect(object["level"] != nil && object["message"] != nil)
            #expect(object["time"]?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "UTC to the millisecond: \(line)")
            #expect(!line.contains("crash test password") && !line.contains(token) && !line.contains(refresh))
        }
        #expect(lines.contains { $0.contains(#""route":"\/tasks""#) || $0.contains(#""route":"/tasks""#) })
    }
}

/// A stand-in for systemd's notification socket: a datagram socket the test reads.
final class NotifyListener: @unchecked Sendable {
    /// What `NOTIFY_SOCKET` holds: a file's path, or `@name` for the abstract namespace.
    let path: String
    private let fd: Int32

    init(abstract: Bool = false) throws {
        let name = "notify-\(UUID().uuidString.prefix(8))"
        path = abstract ? "@taskd-tests-" + name : NSTemporaryDirectory() + name + ".sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        // An abstract name starts with a zero byte and is as long as the address says, no NUL after it.
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = abstract ? socklen_t(MemoryLayout<sa_family_t>.size + bytes.count) : socklen_t(MemoryLayout<sockaddr_un>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or nil after `timeout`.
    func receive(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            await Task.yield()
        }
        return nil
    }

    func close() {
        Glibc.close(fd)
        if !path.hasPrefix("@") { unlink(path) }
    }
}

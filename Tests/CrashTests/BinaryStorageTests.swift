import Foundation
import NIOHTTP1
import TaskStoreTestSupport
import Testing

/// The storage tools and failure modes, through the real binary: `wal verify` exit codes, a torn
/// tail cut at start, corruption refusing the start until `wal repair`, and the data-dir lock.
@Suite(.serialized) struct BinaryStorageTests {
    /// Runs `taskd` with `arguments`; its exit status and output, read on a thread of its own.
    static func taskd(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let process: ChildProcess
        do {
            defer { close(ends[1]) }
            process = try ChildProcess(ServerProcess.binary, arguments, output: ends[1])
        } catch {
            close(ends[0])
            throw error
        }
        let reader = ends[0]
        let data = await SeparateThread.run {
            let data = FileHandle(fileDescriptor: reader, closeOnDealloc: true).readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return (process.status ?? -1, String(decoding: data, as: UTF8.self))
    }

    /// A data dir with `count` tasks written through the binary, then stopped cleanly.
    static func dataDirectory(tasks count: Int) async throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        let server = try ServerProcess(dataDirectory: directory.path)
        let client = TestHTTPClient(port: server.port)
        guard await server.waitUntilServing(client: client) else { throw CancellationError() }
        let token = try await client.signUp("ada@example.com")
        for index in 0..<count { _ = try await client.send(.POST, "/tasks", json: #"{"title":"task \#(index)"}"#, token: token) }
        #expect(await server.stop() == 0)
        let segment = try #require(directory.names().first { $0.hasPrefix("wal-") })
        return (directory, directory.file(segment))
    }

    @Test func verifyExitCodesATornTailIsCutAndCorruptionStopsTheStartUntilRepair() async throws {
        let (directory, segment) = try await Self.dataDirectory(tasks: 20)
        defer { directory.remove() }
        #expect(try await Self.taskd(["wal", "verify", "--data-dir", directory.path]).status == 0)
        let dump = try await Self.taskd(["wal", "dump", "--data-dir", directory.path])
        #expect(dump.status == 0 && dump.output.split(separator: "\n").count == 22, "a registration, a login and 20 tasks")
        // A log that cannot be read at all is not a torn tail (1).
        for command in ["verify", "dump"] {
            let missing = try await Self.taskd(["wal", command, "--data-dir", directory.path + "-missing"])
            #expect(missing.status == 3 && missing.output.contains("cannot read the write-ahead log in \(directory.path)-missing"), "\(command): \(missing.output)")
        }

        // A torn tail: the last frame cut short.
        let size = try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int
        #expect(truncate(segment, off_t(size - 7)) == 0)
        let torn = try await Self.taskd(["wal", "verify", "--data-dir", directory.path])
        #expect(torn.status == 1 && torn.output.contains(segment))
        let tornDump = try await Self.taskd(["wal", "dump", "--data-dir", directory.path])
        #expect(tornDump.status == 1 && tornDump.output.contains("stopped at torn tail in \(segment) at byte offset"), "\(tornDump.output)")
        #expect(tornDump.output.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 21, "every record before the torn one")
        var server = try ServerProcess(dataDirectory: directory.path)
        var client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "a torn tail is cut, not fatal")
        #expect(server.log.contains("torn write"))
        #expect(await server.stop() == 0)
        #expect(try await Self.taskd(["wal", "verify", "--data-dir", directory.path]).status == 0)

        // Corruption: a flipped byte in the middle of the log.
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        try handle.seek(toOffset: 100)
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([~byte]))
        try handle.close()
        let corrupt = try await Self.taskd(["wal", "verify", "--data-dir", directory.path])
        #expect(corrupt.status == 2 && corrupt.output.contains(segment) && corrupt.output.contains("taskd wal repair"))
        let corruptDump = try await Self.taskd(["wal", "dump", "--data-dir", directory.path])
        #expect(corruptDump.status == 2 && corruptDump.output.contains("stopped at corruption in \(segment) at byte offset"), "\(corruptDump.output)")
        let refused = try await Self.taskd(["serve", "--data-dir", directory.path, "--port", String(try ServerProcess.freePort())])
        #expect(refused.status != 0 && refused.output.contains(segment) && refused.output.contains("byte offset") && refused.output.contains("wal repair"))

        let repair = try await Self.taskd(["wal", "repair", "--data-dir", directory.path])
        #expect(repair.status == 0 && repair.output.contains(".broken"))
        #expect(FileManager.default.fileExists(atPath: segment + ".broken"))
        #expect(try await Self.taskd(["wal", "verify", "--data-dir", directory.path]).status == 0)
        server = try ServerProcess(dataDirectory: directory.path)
        client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client), "after repair it starts")
        #expect(await server.stop() == 0)
    }

    /// A port another process listens on stops the start with the address in the message (it
    /// said "the server stopped: bind(…)", which named no address).
    @Test func aPortInUseStopsTheStartNamingTheAddress() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path)
        #expect(await server.waitUntilServing(client: TestHTTPClient(port: server.port)))
        let other = TemporaryDirectory()
        defer { other.remove() }
        let second = try await Self.taskd(["serve", "--data-dir", other.path, "--port", String(server.port)])
        #expect(second.status != 0)
        #expect(second.output.contains("cannot listen on 127.0.0.1:\(server.port)") && second.output.contains("Address already in use"), "\(second.output)")
        #expect(await server.stop() == 0)
    }

    @Test func aSecondServerOnTheSameDataDirectoryExitsAtOnceNamingIt() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try ServerProcess(dataDirectory: directory.path)
        let client = TestHTTPClient(port: server.port)
        #expect(await server.waitUntilServing(client: client))
        let started = ContinuousClock.now
        let second = try await Self.taskd(["serve", "--data-dir", directory.path, "--port", String(try ServerProcess.freePort())])
        #expect(second.status != 0)
        #expect(second.output.contains(directory.path) && second.output.contains("in use"))
        #expect(ContinuousClock.now - started < .seconds(30), "at once, not after a timeout")
        #expect(await server.stop() == 0)
    }
}

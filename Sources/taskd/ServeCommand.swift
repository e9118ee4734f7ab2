import ArgumentParser
import Foundation
import Logging
import TaskStore

/// Opens (recovers) the data directory and holds it until SIGINT or SIGTERM.
/// The HTTP API of API.md is not served yet: it is the next piece of work.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Recover the data directory and serve it (default command).")

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "always | everysec | never (env TASKD_FSYNC).")
    var fsync: String = Environment.value(for: "fsync") ?? "always"

    @Option(name: .customLong("snapshot-every"), help: "WAL records between snapshots (env TASKD_SNAPSHOT_EVERY).")
    var snapshotEvery: Int = Int(Environment.value(for: "snapshot-every") ?? "") ?? 100_000

    func validate() throws {
        guard FsyncPolicy(rawValue: fsync) != nil else { throw ValidationError("--fsync must be always, everysec or never, not '\(fsync)'") }
        guard snapshotEvery >= 0 else { throw ValidationError("--snapshot-every must be 0 or more") }
    }

    func run() async throws {
        let logger = Logger(label: "taskd")
        let configuration = StoreConfiguration(
            dataDirectory: dataDirectory.path, wal: .init(fsync: FsyncPolicy(rawValue: fsync)!), snapshotEvery: snapshotEvery)
        let store: TaskStore
        do {
            store = try TaskStore(configuration: configuration, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        logger.info("recovered the data directory; the HTTP API is not built yet, so nothing is served", metadata: ["data_dir": "\(dataDirectory.path)"])
        await ShutdownSignal.wait()
        logger.info("shutting down: making the write-ahead log durable")
        await store.close()
    }
}

import Hummingbird
import ServiceLifecycle
import UnixSignals
import ArgumentParser
import Foundation
import Logging
import TaskAPI
import TaskStore

/// `taskd serve`: recovers the data directory, then serves the HTTP API until SIGTERM, SIGINT
/// or SIGHUP, when it stops accepting, answers what is in flight, makes the WAL durable and
/// exits 0. SIGHUP is among them because a closed terminal sends it to a server started from
/// it: left to its default, it ended taskd at once, cutting off requests in flight.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the API (the default command). Every flag also reads TASKD_<FLAG>.")

    @Option(help: "Address to listen on (TASKD_HOST).")
    var host: String = Environment.value(for: "host") ?? "127.0.0.1"

    @Option(help: "Port to listen on (TASKD_PORT).")
    var port: Int = Int(Environment.value(for: "port") ?? "") ?? 8080

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "always | everysec | never (TASKD_FSYNC).")
    var fsync: String = Environment.value(for: "fsync") ?? "always"

    @Option(name: .customLong("snapshot-every"), help: "WAL records between snapshots; 0 turns them off (TASKD_SNAPSHOT_EVERY).")
    var snapshotEvery: Int = Int(Environment.value(for: "snapshot-every") ?? "") ?? 100_000

    @Option(name: .customLong("bcrypt-cost"), help: "4 to 31 (TASKD_BCRYPT_COST).")
    var bcryptCost: Int = Int(Environment.value(for: "bcrypt-cost") ?? "") ?? 12

    @Option(name: .customLong("login-rate-limit"), help: "Login attempts per minute per client; 0 turns it off (TASKD_LOGIN_RATE_LIMIT).")
    var loginRateLimit: Int = Int(Environment.value(for: "login-rate-limit") ?? "") ?? 5

    @Flag(name: .customLong("trust-forwarded-for"), help: "Take the client address from X-Forwarded-For (TASKD_TRUST_FORWARDED_FOR=1).")
    var trustForwardedForFlag = false

    /// The flag, else the environment: a `@Flag` must default to false (ArgumentParser refuses
    /// any other default in a debug build, so `TASKD_TRUST_FORWARDED_FOR=1 swift run taskd` failed).
    var trustForwardedFor: Bool { trustForwardedForFlag || Environment.isOn("trust-forwarded-for") }

    @Option(name: .customLong("access-token-ttl"), help: "Seconds (TASKD_ACCESS_TOKEN_TTL).")
    var accessTokenTTL: Int64 = Int64(Environment.value(for: "access-token-ttl") ?? "") ?? 900

    @Option(name: .customLong("refresh-token-ttl"), help: "Seconds (TASKD_REFRESH_TOKEN_TTL).")
    var refreshTokenTTL: Int64 = Int64(Environment.value(for: "refresh-token-ttl") ?? "") ?? 2_592_000

    @Option(name: .customLong("sync-retention"), help: "Seconds a delete stays in the /sync feed; older cursors get 410 (TASKD_SYNC_RETENTION).")
    var syncRetention: Int64 = Int64(Environment.value(for: "sync-retention") ?? "") ?? 2_592_000

    @Option(name: .customLong("jwt-secret"), help: "HS256 key (TASKD_JWT_SECRET); default: a random key made on first start and kept in the data dir.")
    var jwtSecretOption: String?

    /// The flag, else the environment (an optional option takes no default value).
    var jwtSecret: String? { jwtSecretOption ?? Environment.value(for: "jwt-secret") }

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (TASKD_LOG_LEVEL).")
    var logLevel: String = Environment.value(for: "log-level") ?? "info"

    @Option(name: .customLong("log-format"), help: "text or json: one JSON object a line (TASKD_LOG_FORMAT).")
    var logFormat: String = Environment.value(for: "log-format") ?? "text"

    func validate() throws {
        let wholeNumbers = ["port", "snapshot-every", "bcrypt-cost", "login-rate-limit", "access-token-ttl", "refresh-token-ttl", "sync-retention"]
        if let problem = Environment.malformed(wholeNumbers: wholeNumbers, switches: ["trust-forwarded-for"]) { throw ValidationError(problem) }
        guard FsyncPolicy(rawValue: fsync) != nil else { throw ValidationError("\(Environment.source(of: "fsync")) must be always, everysec or never, not '\(fsync)'") }
        guard (1...65535).contains(port) else { throw ValidationError("\(Environment.source(of: "port")) must be 1 to 65535, not \(port)") }
        guard snapshotEvery >= 0 else { throw ValidationError("\(Environment.source(of: "snapshot-every")) must be 0 or more, not \(snapshotEvery)") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("\(Environment.source(of: "bcrypt-cost")) must be 4 to 31, not \(bcryptCost)") }
        guard loginRateLimit >= 0 else { throw ValidationError("\(Environment.source(of: "login-rate-limit")) must be 0 or more, not \(loginRateLimit)") }
        for (flag, seconds) in [("sync-retention", syncRetention), ("access-token-ttl", accessTokenTTL), ("refresh-token-ttl", refreshTokenTTL)] {
            guard (1...Self.longestPeriod).contains(seconds) else {
                throw ValidationError("\(Environment.source(of: flag)) must be 1 to \(Self.longestPeriod) seconds (100 years), not \(seconds)")
            }
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("\(Environment.source(of: "log-level")) must be one of trace, debug, info, notice, warning, error, critical, not '\(logLevel)'") }
        guard LogLineHandler.Format(rawValue: logFormat) != nil else { throw ValidationError("\(Environment.source(of: "log-format")) must be text or json, not '\(logFormat)'") }
        if let jwtSecret, jwtSecret.utf8.count < 32 { throw ValidationError("\(Environment.source(of: "jwt-secret")) must be at least 32 bytes") }
    }

    /// The longest lifetime or retention, in seconds: 100 years of 365 days, far more than any
    /// use and far less than what overflows the 64-bit milliseconds times are counted in (about
    /// 9.2e15 seconds): `--access-token-ttl 9223372036854775807` crashed the server at the
    /// first login, and a refresh token's or a delete's time wrapped round into the past.
    static let longestPeriod: Int64 = 100 * 365 * 24 * 60 * 60

    /// File descriptors client connections may not take: the event loops' own (about a dozen)
    /// and what the storage opens as it goes (a few), with room to spare, since the server
    /// accepts up to four connections in one go before it checks the limit again.
    static let descriptorsKeptFromConnections = 32

    func run() async throws {
        // A log reader that goes away (a pipe into `head`, a log shipper restarting) must not
        // end the server: its next line would have raised SIGPIPE, whose default is to exit.
        // Lines written then are lost (EPIPE); requests and writes go on.
        signal(SIGPIPE, SIG_IGN)
        MallocSettings.apply()
        let level = Logger.Level(rawValue: logLevel)!
        let format = LogLineHandler.Format(rawValue: logFormat)!
        LoggingSystem.bootstrap { label in
            var handler = LogLineHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        // However the process exits (returning, or exit() on an error), the last lines go out.
        atexit { LogOutput.standardError.flush() }
        let logger = Logger(label: "taskd")
        if let raised = OpenFileLimit.raiseToHardLimit() {
            logger.info("raised the open file limit to the hard limit", metadata: ["from": "\(raised.from)", "to": "\(raised.to)"])
        }
        let metrics = APIMetrics()
        let storeConfiguration = StoreConfiguration(
            dataDirectory: dataDirectory.path,
            wal: .init(fsync: FsyncPolicy(rawValue: fsync)!, onFsync: { metrics.recordFsync($0) }),
            snapshotEvery: snapshotEvery, tombstoneRetention: syncRetention)
        let store: TaskStore
        let secret: [UInt8]
        do {
            store = try TaskStore(configuration: storeConfiguration, logger: logger)
            secret = try jwtSecret.map { Array($0.utf8) } ?? JWTSecretFile.loadOrCreate(in: dataDirectory.path)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        let maximumConnections = OpenFileLimit.connectionBudget(reserving: Self.descriptorsKeptFromConnections)
        if let maximumConnections {
            logger.info("client connections limited by the open file limit", metadata: ["maximum": "\(maximumConnections)"])
        }
        let apiConfiguration = APIConfiguration(
            jwtSecret: secret, bcryptCost: bcryptCost, loginRateLimit: loginRateLimit, trustForwardedFor: trustForwardedFor,
            accessTokenLifetime: accessTokenTTL, refreshTokenLifetime: refreshTokenTTL, maximumConnections: maximumConnections)
        let listening = ListeningFlag()
        let application = try await TaskAPIServer.application(
            store: store, configuration: apiConfiguration, metrics: metrics, host: host, port: port, logger: logger,
            onServerRunning: { [host] port in
                listening.set()
                logger.info("serving the API", metadata: ["address": "http://\(host):\(port)", "data_dir": "\(storeConfiguration.dataDirectory)"])
                LogOutput.standardError.startBuffering()
                SystemdNotifier.notify("READY=1\nSTATUS=serving on \(host):\(port)")
            })
        let services = ServiceGroup(
            configuration: .init(services: [application, StoppingNotifier()], gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger))
        do {
            try await services.run()
        } catch {
            logger.critical(listening.isSet ? "the server stopped: \(error)" : "cannot listen on \(host):\(port): \(error)")
            await store.close()
            throw ExitCode.failure
        }
        logger.info("stopped cleanly")
    }
}

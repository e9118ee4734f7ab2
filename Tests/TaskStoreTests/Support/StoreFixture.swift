import Logging
import TaskStoreTestSupport
@testable import TaskStore

/// Opens stores on a test directory with small, quiet settings.
struct StoreFixture {
    var directory = TemporaryDirectory()
    var fsync: FsyncPolicy = .always
    var snapshotEvery = 0
    var segmentSize = 64 << 20
    var snapshotsRetained = 2
    var fileSystem: any FileSystem = POSIXFileSystem()
    var clock = TestClock()
    var snapshotRetry = RetryBackoff(first: .seconds(1), longest: .seconds(60))
    /// The machine's boot as the store sees it; a test changes it to pretend a restart.
    var bootID: String? = "boot-1"

    static var quietLogger: Logger {
        var logger = Logger(label: "taskd.tests")
        logger.logLevel = .critical
        return logger
    }

    var configuration: StoreConfiguration {
        StoreConfiguration(
            dataDirectory: directory.path, wal: .init(fsync: fsync, segmentSize: segmentSize), snapshotEvery: snapshotEvery, snapshotRetry: snapshotRetry,
            snapshotsRetained: snapshotsRetained, fileSystem: fileSystem, clock: clock.reading,
            bootID: { [bootID] in bootID })
    }

    /// A fixture whose store writes through a file system that fails or holds its fsyncs on
    /// demand, and that file system.
    static func faultInjecting(fsync: FsyncPolicy = .always) -> (StoreFixture, FaultInjectingFileSystem) {
        let fileSystem = FaultInjectingFileSystem()
        var fixture = StoreFixture()
        fixture.fileSystem = fileSystem
        fixture.fsync = fsync
        return (fixture, fileSystem)
    }

    func open(logger: Logger = Self.quietLogger) throws -> TaskStore {
        try UnlockedStoreOpening.open { try TaskStore(configuration: configuration, logger: logger) }
    }

    func segmentNames() -> [String] { directory.names().filter { DataFileName.segmentLSN($0) != nil } }
    func snapshotNames() -> [String] { directory.names().filter { DataFileName.snapshotLSN($0) != nil } }
}

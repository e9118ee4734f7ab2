import Testing
import TaskStoreTestSupport
@testable import TaskStore

@Suite struct DataDirectoryLockTests {
    @Test func aSecondOpenOfALockedDataDirectoryFailsNamingIt() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let first = try fixture.open()
        // Not `fixture.open()`, which waits out a lock for a while: this one is refused at once.
        #expect(throws: StorageError.dataDirectoryLocked(path: fixture.directory.path)) {
            try TaskStore(configuration: fixture.configuration, logger: StoreFixture.quietLogger)
        }
        #expect(throws: StorageError.dataDirectoryLocked(path: fixture.directory.path)) {
            try WALRepair(directory: fixture.directory.path).run()
        }
        await first.close()
        let second = try fixture.open()
        await second.close()
    }

    @Test func theMessageNamesTheDirectory() {
        let message = StorageError.dataDirectoryLocked(path: "/srv/taskd").description
        #expect(message.contains("/srv/taskd") && message.contains("another taskd"))
    }
}

@Suite struct DataDirectoryCreationTests {
    @Test func aDataDirectoryWithMissingParentsIsCreated() async throws {
        var fixture = StoreFixture()
        let root = fixture.directory
        defer { root.remove() }
        fixture.directory = TemporaryDirectory(path: root.file("a/b/data"))
        let store = try fixture.open()
        await store.close()
        #expect(POSIXFileSystem().fileExists(root.file("a/b/data/LOCK")))
    }
}

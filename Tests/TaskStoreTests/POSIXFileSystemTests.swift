import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// The real file system's answers that the store builds on, where the fault-injecting file
/// system (which passes them through) cannot show them wrong.
@Suite struct POSIXFileSystemTests {
    let files = POSIXFileSystem()

    /// `createDirectory` syncs the parent only for a directory it made: the answer must say so.
    @Test func makingADirectorySaysWhetherItWasMade() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("new")
        #expect(try files.makeDirectory(path))
        #expect(try !files.makeDirectory(path), "already there")
        let error = #expect(throws: StorageError.self) { try files.makeDirectory(directory.file("absent/new")) }
        #expect(error == .io(operation: "mkdir", path: directory.file("absent/new"), errno: ENOENT))
    }

    /// Recovery reads file names as data: "." and ".." are not files of the directory.
    @Test func aListingHoldsTheDirectorysEntriesOnly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        #expect(try files.listDirectory(directory.path) == [])
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.file("a")))
        #expect(try files.makeDirectory(directory.file("b")))
        #expect(try files.listDirectory(directory.path).sorted() == ["a", "b"])
    }

    /// A directory closed (its descriptor given back, perhaps reused by another file) must not
    /// be synced through a stale number: the sync fails, naming the directory.
    @Test func aClosedDirectoryRefusesToSync() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let opened = try files.openDirectory(directory.path)
        try opened.sync()
        opened.close()
        let error = #expect(throws: StorageError.self) { try opened.sync() }
        #expect(error == .io(operation: "fsync", path: directory.path, errno: EBADF))
    }

    /// A range past the file's end reads what is there; removing what is not there is done.
    @Test func aReadPastTheEndIsShortAndRemovingNothingSucceeds() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("f")
        try Data([1, 2, 3, 4]).write(to: URL(fileURLWithPath: path))
        #expect(try files.readFile(path, range: 2..<10) == [3, 4])
        #expect(try files.readFile(path, range: 6..<9) == [])
        try files.remove(path)
        try files.remove(path)
        #expect(!files.fileExists(path))
    }
}

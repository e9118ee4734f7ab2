import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct HistoryIDTests {
    /// Made on first start and kept across restarts; a file that does not hold an id (damage,
    /// a hand edit), or a temporary one left by a crash mid-write, gives way to a new id, which
    /// costs syncing clients one full sync and loses nothing.
    @Test func theIdIsKeptAcrossRestartsAndADamagedFileIsReplaced() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        var store = try fixture.open()
        let first = store.historyID
        #expect(HistoryID.isWellFormed(first))
        await store.close()
        store = try fixture.open()
        #expect(store.historyID == first)
        await store.close()

        let path = fixture.directory.file(HistoryID.fileName)
        try Data("not an id\n".utf8).write(to: URL(fileURLWithPath: path))
        try Data("half".utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
        store = try fixture.open()
        let replaced = store.historyID
        await store.close()
        #expect(HistoryID.isWellFormed(replaced) && replaced != first)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == replaced + "\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    /// An id without its newline (written by hand, or by an editor that strips it) is still the
    /// id: replacing it would refuse every client's cursor once for nothing.
    @Test func anIdWithoutItsNewlineIsKept() throws {
        #expect(HistoryID.parse(Array("0123456789abcdef".utf8)) == "0123456789abcdef")
        #expect(HistoryID.parse(Array("0123456789abcdef\n".utf8)) == "0123456789abcdef")
        #expect(HistoryID.parse(Array("0123456789abcde\n".utf8)) == nil)
        #expect(HistoryID.parse(Array("0123456789abcdef\n\n".utf8)) == nil)
    }
}

import Testing
@testable import TaskStore

@Suite struct FrameHeaderTests {
    /// A frame at LSN 10 written while records 7, 8 and 9 were not yet synced: a power cut may
    /// have kept it and lost any of those three, and none before them.
    @Test func aFrameWasWrittenBeforeSyncingExactlyTheRecordsItCountsAsUnsynced() {
        let header = FrameHeader(flags: [], unsyncedRecordsBefore: 3, payloadLength: 0, firstLSN: 10, recordCount: 1, uncompressedLength: 0)
        #expect([6, 7, 8, 9, 10, 11].map { header.wasWritten(beforeSyncing: $0) } == [false, true, true, true, false, false])
        let synced = FrameHeader(flags: [], payloadLength: 0, firstLSN: 10, recordCount: 1, uncompressedLength: 0)
        #expect(!synced.wasWritten(beforeSyncing: 9), "written once everything before it was synced")
    }
}

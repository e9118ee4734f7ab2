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

    /// More unsynced records than the field holds: the frame says its most, so it still counts as
    /// written before syncing the 65,535 records nearest it. Wrapping around would have it claim
    /// a few, and a frame lost among the rest be read as corruption after a power cut.
    @Test func moreUnsyncedRecordsThanTheFieldHoldsAreCountedAsItsMost() {
        let encoder = FrameEncoder()
        let counts: [UInt64] = [5, 65_535, 65_536, 70_000, .max]
        let written = counts.map { count in
            encoder.addRecord { $0.write(UInt8(1)) }
            let frame = encoder.finishFrame(firstLSN: 100_000, unsyncedRecordsBefore: count)
            return frame.withUnsafeBytes { FrameHeader.read($0, at: 0)?.unsyncedRecordsBefore }
        }
        #expect(written == [5, 65_535, 65_535, 65_535, 65_535])
    }
}

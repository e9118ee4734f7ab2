import Foundation
import TaskStoreTestSupport
import Logging
import Testing
@testable import TaskStore

@Suite struct RecoveryLoggingTests {
    @Test func aLongReplayLogsRecordsRateAndTimeLeft() {
        let (logger, log) = RecordingLogHandler.logger()
        var progress = RecoveryProgress(totalBytes: 1000, logger: logger, interval: .zero, recordsPerClockCheck: 10)
        progress.segmentRead(bytes: 250)
        for _ in 0..<10 { progress.recordReplayed() }
        let entry = try! #require(log.all.first { $0.message == "replaying the write-ahead log" })
        #expect(entry.metadata["records"] == "10")
        #expect(entry.metadata["percent_read"] == "25")
        #expect(entry.metadata["records_per_second"] != nil && entry.metadata["seconds_left"] != nil)
    }

    /// Progress is logged once per interval, however many clock checks fall within it.
    @Test func progressWaitsForItsInterval() {
        let (logger, log) = RecordingLogHandler.logger()
        var progress = RecoveryProgress(totalBytes: 1000, logger: logger, interval: .seconds(3600), recordsPerClockCheck: 10)
        progress.segmentRead(bytes: 250)
        for _ in 0..<100 { progress.recordReplayed() }
        #expect(!log.all.contains { $0.message == "replaying the write-ahead log" })
        #expect(progress.records == 100)
    }

    /// A quarter read in 10 seconds leaves three quarters: 30 seconds at that rate.
    @Test func timeLeftIsTheRestAtTheRateSoFar() {
        #expect(RecoveryProgress.secondsLeft(elapsed: 10, fractionRead: 0.25) == 30)
        #expect(RecoveryProgress.secondsLeft(elapsed: 1, fractionRead: 0.75) == 1, "a third of a second, rounded up")
        #expect(RecoveryProgress.secondsLeft(elapsed: 5, fractionRead: 1) == 0)
        #expect(RecoveryProgress.secondsLeft(elapsed: 5, fractionRead: 0) == 0)
    }

    @Test func openingAStoreLogsASummaryOfTheReplay() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        for index in 0..<7 { _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "t\(index)"))) }
        await store.close()
        let (logger, log) = RecordingLogHandler.logger()
        let reopened = try fixture.open(logger: logger)
        await reopened.close()
        let summary = try #require(log.all.first { $0.message == "replayed the write-ahead log" })
        #expect(summary.metadata["records"] == "7" && summary.metadata["last_lsn"] == "7")
    }

    @Test func cuttingATornTailIsAWarningNamingFileAndOffset() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let store = try fixture.open()
        _ = try await store.acknowledged(await store.user(UserID()).createTask(TaskDraft(title: "t")))
        await store.close()
        let segment = fixture.directory.file(DataFileName.segment(firstLSN: 1))
        let size = try POSIXFileSystem().fileSize(segment)
        try POSIXFileSystem().truncate(segment, to: size - 3)
        let (logger, log) = RecordingLogHandler.logger()
        let reopened = try fixture.open(logger: logger)
        await reopened.close()
        let warning = try #require(log.all.first { $0.level == .warning })
        #expect(warning.metadata["file"] == segment && warning.metadata["offset"] == "0")
    }
}

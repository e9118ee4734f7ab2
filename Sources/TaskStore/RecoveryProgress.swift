import Logging

/// Logs a long replay's progress about once a second (records, rate, time left) and a summary.
struct RecoveryProgress {
    let totalBytes: Int
    let logger: Logger
    /// How often to log, and how many records between looks at the clock (a look costs).
    let interval: Duration
    let recordsPerClockCheck: Int
    private let start = ContinuousClock.now
    private var lastReport = ContinuousClock.now
    private(set) var records = 0
    private var bytesDone = 0

    init(totalBytes: Int, logger: Logger, interval: Duration = .seconds(1), recordsPerClockCheck: Int = 1 << 16) {
        self.totalBytes = totalBytes
        self.logger = logger
        self.interval = interval
        self.recordsPerClockCheck = recordsPerClockCheck
    }

    mutating func recordReplayed() {
        records += 1
        guard records % recordsPerClockCheck == 0 else { return }
        let now = ContinuousClock.now
        guard now - lastReport >= interval else { return }
        lastReport = now
        let elapsed = (now - start).inSeconds
        let fraction = totalBytes > 0 ? Double(bytesDone) / Double(totalBytes) : 0
        logger.info(
            "replaying the write-ahead log",
            metadata: [
                "records": "\(records)", "records_per_second": "\(Int(Double(records) / elapsed))",
                "percent_read": "\(Int(fraction * 100))", "seconds_left": "\(Self.secondsLeft(elapsed: elapsed, fractionRead: fraction))",
            ])
    }

    /// The rest at the rate so far, rounded up; 0 before anything is read, when there is no rate.
    static func secondsLeft(elapsed: Double, fractionRead: Double) -> Int {
        fractionRead > 0 ? Int((elapsed * (1 - fractionRead) / fractionRead).rounded(.up)) : 0
    }

    mutating func segmentRead(bytes: Int) { bytesDone += bytes }

    func finish(lastLSN: LSN) {
        let elapsed = (ContinuousClock.now - start).inSeconds
        logger.info(
            "replayed the write-ahead log",
            metadata: [
                "records": "\(records)", "seconds": "\(String(format: "%.3f", elapsed))",
                "records_per_second": "\(elapsed > 0 ? Int(Double(records) / elapsed) : records)", "last_lsn": "\(lastLSN)",
            ])
    }
}

import Foundation

import Foundation
import Logging

/// The write-ahead log: callers append events (getting LSNs) inside their actor's turn, then
/// await acknowledgement outside it. A dedicated thread (never an event loop, never Swift's
/// cooperative pool: fsync blocks) takes whatever is queued, writes it as one compressed frame
/// and fsyncs once for the whole batch: group commit.
///
/// After any failed write or fsync the log is failed for good: nothing more is acknowledged and
/// fsync is never retried on that file, since a failed fsync may already have dropped dirty pages.
public final class WriteAheadLog: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var fsync: FsyncPolicy
        /// A new segment is started when a frame would take the current one past this size.
        /// A target, not a limit: while the next segment cannot be created (the process out of
        /// file descriptors, say), frames go on into the current one.
        public var segmentSize: Int
        /// Events taken into one batch at most.
        public var batchLimit: Int
        /// A frame is finished once its records reach this many bytes uncompressed.
        public var frameBytes: Int
        /// Zeros written ahead of the segment's end, this many bytes at a time, so that most
        /// fdatasyncs write the frames alone and not the file's length too (0: none).
        public var reservationBytes: Int
        /// An fsync slower than this is logged as a warning.
        public var slowFsyncThreshold: Duration
        /// Told how long every fsync took (for a latency histogram). Runs on the writer thread.
        public var onFsync: (@Sendable (Duration) -> Void)?

        public init(
            fsync: FsyncPolicy = .always, segmentSize: Int = 64 << 20, batchLimit: Int = 4096, frameBytes: Int = 4 << 20,
            reservationBytes: Int = 1 << 20, slowFsyncThreshold: Duration = .milliseconds(500),
            onFsync: (@Sendable (Duration) -> Void)? = nil
        ) {
            self.onFsync = onFsync
            self.fsync = fsync
            self.segmentSize = segmentSize
            self.batchLimit = batchLimit
            self.frameBytes = frameBytes
            self.reservationBytes = reservationBytes
            self.slowFsyncThreshold = slowFsyncThreshold
        }
    }

    private typealias Waiter = CheckedContinuation<Void, any Error>
    /// The most events a batch array keeps room for between batches.
    private static let keptBatchCapacity = 1024

    public let directory: String
    public let configuration: Configuration
    private let fileSystem: any FileSystem
    private let logger: Logger
    /// Guards `state`, `statistics`, `stopping` and `exitWaiters`.
    private let condition = NSCondition()
    private var state: GroupCommitState<Waiter>
    private var statistics_ = WALStatistics()
    private var stopping = false
    /// When the writer took the batch it is writing and syncing; nil while it waits for work.
    private var writingSince: ContinuousClock.Instant?
    private var exited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []
    // Owned by the writer thread.
    private var segment: any AppendableFile
    /// The data directory, held open so that starting a segment needs no descriptor but the
    /// segment's own.
    private let openDirectory: any OpenDirectory
    /// Failed attempts to start the next segment since the last that succeeded.
    private var segmentStartFailures = 0
    private let encoder = FrameEncoder()
    /// The events being written; emptied, keeping its capacity, before the next batch.
    private var batch: [WALEvent] = []
    /// Set when zeros could not be written ahead (a nearly full disk); until the next segment,
    /// frames are appended without them.
    private var reservationFailed = false

    /// Starts the writer on `segment`, the newest segment opened at its valid end; `lastLSN` is
    /// the LSN of the last record in the log. The log closes `openDirectory` when it stops.
    init(
        openDirectory: any OpenDirectory, segment: any AppendableFile, lastLSN: LSN, fileSystem: any FileSystem,
        configuration: Configuration, logger: Logger
    ) {
        self.directory = openDirectory.path
        self.openDirectory = openDirectory
        self.segment = segment
        self.fileSystem = fileSystem
        self.configuration = configuration
        self.logger = logger
        state = GroupCommitState(lastLSN: lastLSN, acknowledgesAfterSync: configuration.fsync == .always)
        DedicatedThread.start(named: "taskd-wal") { [self] in run() }
    }

    // MARK: Callers

    /// Queues `events` with the next LSNs and returns the last; fails at once if the log has
    /// failed. Cheap and non-blocking: meant to run inside an actor's turn, right before `apply`.
    public func append(_ events: [WALEvent]) throws(StorageError) -> LSN {
        condition.lock()
        defer { condition.unlock() }
        let lsn = try state.enqueue(events)
        condition.signal()
        return lsn
    }

    /// Returns once `lsn` is acknowledged under the fsync policy; throws `StorageError` if the
    /// log failed before that.
    public func waitUntilAcknowledged(_ lsn: LSN) async throws {
        try await wait(for: lsn, needsSync: false)
    }

    /// Returns once `lsn` is fsynced, whatever the policy (snapshots need this).
    public func sync(through lsn: LSN) async throws {
        try await wait(for: lsn, needsSync: true)
    }

    public var acknowledgedLSN: LSN { locked { state.acknowledgedLSN } }
    public var lastAssignedLSN: LSN { locked { state.lastAssignedLSN } }
    public var failure: StorageError? { locked { state.failure } }
    /// The acknowledged LSN and whether the log has failed, read together: once failed, that
    /// LSN never moves again.
    public var acknowledgement: (lsn: LSN, failed: Bool) { locked { (state.acknowledgedLSN, state.failure != nil) } }
    public var statistics: WALStatistics { locked { statistics_ } }
    /// How long the writer has been on its current batch (writing it, then fsyncing); nil while
    /// it waits for work. Seconds here mean a disk that has stopped answering: every write
    /// waits behind it, and nothing says so until the call returns, if it ever does.
    public var busyFor: Duration? { locked { writingSince.map { ContinuousClock.now - $0 } } }

    /// Writes and fsyncs what is queued, then stops the writer. Later appends fail.
    public func close() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            stopping = true
            if exited {
                condition.unlock()
                continuation.resume()
            } else {
                exitWaiters.append(continuation)
                condition.signal()
                condition.unlock()
            }
        }
    }

    private func wait(for lsn: LSN, needsSync: Bool) async throws {
        if locked({ lsn <= (needsSync ? state.syncedLSN : state.acknowledgedLSN) }) { return }
        try await withCheckedThrowingContinuation { (continuation: Waiter) in
            condition.lock()
            let decision = state.wait(for: lsn, needsSync: needsSync, continuation)
            if needsSync { condition.signal() }
            condition.unlock()
            switch decision {
            case .ready: continuation.resume()
            case .failed(let error): continuation.resume(throwing: error)
            case .waiting: break
            }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    // MARK: The writer thread

    private func run() {
        var lastSync = ContinuousClock.now
        while true {
            condition.lock()
            // The batch before (if any) is written and synced: the writer is on nothing until it takes the next.
            writingSince = nil
            while state.failure == nil && !state.hasQueuedEvents && !stopping && !state.syncRequested {
                if configuration.fsync == .everysec && state.isDirty {
                    if ContinuousClock.now >= lastSync + .seconds(1) { break }
                    _ = condition.wait(until: Date().addingTimeInterval(0.05))
                } else {
                    condition.wait()
                }
            }
            if state.failure != nil {
                condition.unlock()
                return finish()
            }
            let firstLSN = state.takeBatch(limit: configuration.batchLimit, into: &batch)
            let finishing = stopping && batch.isEmpty
            writingSince = ContinuousClock.now
            condition.unlock()

            do throws(StorageError) {
                if !batch.isEmpty {
                    try write(batch, firstLSN: firstLSN)
                    let lastLSN = firstLSN + LSN(batch.count) - 1
                    // Outside the lock: emptying releases the events' strings. A burst's
                    // capacity is not kept.
                    batch.removeAll(keepingCapacity: batch.capacity <= Self.keptBatchCapacity)
                    resume(locked { state.recordWritten(through: lastLSN) })
                }
                let everysecDue = configuration.fsync == .everysec && ContinuousClock.now >= lastSync + .seconds(1)
                let (dirty, requested) = locked { (state.isDirty, state.syncRequested) }
                if dirty && (configuration.fsync == .always || requested || everysecDue || finishing) {
                    try syncSegment()
                    lastSync = ContinuousClock.now
                }
            } catch {
                logger.critical("write-ahead log failed; no further writes are acknowledged", metadata: ["error": "\(error)"])
                let waiters = locked { state.fail(error) }
                for waiter in waiters { waiter.resume(throwing: StorageError.walFailed(cause: error.description)) }
                return finish()
            }
            if finishing {
                releaseReservation()
                return finish()
            }
        }
    }

    /// Encodes the events into frames of at most `frameBytes` and appends them.
    private func write(_ events: [WALEvent], firstLSN: LSN) throws(StorageError) {
        var frameFirstLSN = firstLSN
        var lsn = firstLSN
        for event in events {
            encoder.addRecord { RecordCodec.encode(event, into: &$0) }
            lsn += 1
            if encoder.pendingUncompressedBytes >= configuration.frameBytes || lsn == firstLSN + LSN(events.count) {
                let uncompressed = encoder.pendingUncompressedBytes
                let records = encoder.recordCount
                // (A frame that then starts the next segment counts records that the switch
                // syncs: no frame lies before it in its segment for the count to speak of.)
                let syncedLSN = locked { state.syncedLSN }
                let frame = encoder.finishFrame(firstLSN: frameFirstLSN, unsyncedRecordsBefore: frameFirstLSN - 1 - syncedLSN)
                if segment.size > 0 && segment.size + frame.count > configuration.segmentSize {
                    try startSegment(firstLSN: frameFirstLSN)
                }
                reserveSpace(for: frame.count)
                try segment.append(frame)
                locked {
                    statistics_.framesWritten += 1
                    statistics_.recordsWritten += records
                    statistics_.bytesWritten += frame.count
                    statistics_.uncompressedRecordBytes += uncompressed
                }
                frameFirstLSN = lsn
            }
        }
    }

    /// Makes sure zeros lie ahead of the segment's end for a frame of `count` bytes, writing the
    /// next `reservationBytes` (up to the segment size) when they do not. On this project's
    /// disk an fdatasync after overwriting zeros took 96-107 µs, after appending 168-172 µs.
    /// Only a speed-up: when it fails (a disk with less than that free), frames are appended
    /// as they come, and the append's own failure is what fails the log.
    private func reserveSpace(for count: Int) {
        let end = segment.size + count
        guard configuration.reservationBytes > 0, !reservationFailed, end > segment.reservedSize, end < configuration.segmentSize else {
            return
        }
        let chunks = end / configuration.reservationBytes + 1
        do throws(StorageError) {
            try segment.reserve(upTo: min(chunks * configuration.reservationBytes, configuration.segmentSize))
        } catch {
            reservationFailed = true
            logger.warning(
                "could not write zeros ahead of the WAL's end; appending without them until the next segment, with slower fsyncs",
                metadata: ["segment": "\(segment.path)", "error": "\(error)"])
        }
    }

    /// Cuts the zeros off a segment that is done with (synced: nothing is lost), so that at
    /// rest a segment is its frames. A failure here costs nothing but the space; readers take
    /// zeros after the last frame as the end.
    private func releaseReservation() {
        guard segment.reservedSize > segment.size else { return }
        do throws(StorageError) {
            try fileSystem.truncate(segment.path, to: segment.size)
        } catch {
            logger.warning("could not cut the reserved zeros off a WAL segment", metadata: ["segment": "\(segment.path)", "error": "\(error)"])
        }
    }

    /// Creates the next segment, then closes the current one, synced whatever the policy, so
    /// that a later segment never holds data while an earlier one lost its tail; the directory
    /// is synced before anything goes into the new one. When the new file cannot be created,
    /// nothing has changed and the frame goes into the current segment: the failure can pass
    /// (no descriptor free while clients hold them all), and the next frame tries again.
    private func startSegment(firstLSN: LSN) throws(StorageError) {
        let path = "\(directory)/\(DataFileName.segment(firstLSN: firstLSN))"
        let next: any AppendableFile
        do throws(StorageError) {
            next = try fileSystem.openForAppending(path, create: true)
        } catch {
            segmentStartFailures += 1
            if segmentStartFailures == 1 {
                logger.warning(
                    "cannot start the next WAL segment; writing on in the current one, and trying again with each frame",
                    metadata: ["segment": "\(segment.path)", "error": "\(error)"])
            }
            // A file the failed call left behind would be an empty segment in the middle of
            // the log once later frames go into the current one: readers take that for damage.
            if fileSystem.fileExists(path) {
                try fileSystem.remove(path)
                try openDirectory.sync()
            }
            return
        }
        try syncSegment()
        releaseReservation()
        segment.close()
        segment = next
        reservationFailed = false
        try openDirectory.sync()
        if segmentStartFailures > 0 {
            logger.notice(
                "started the next WAL segment after failed attempts",
                metadata: ["segment": "\(segment.path)", "failed_attempts": "\(segmentStartFailures)"])
            segmentStartFailures = 0
        } else {
            logger.debug("started WAL segment", metadata: ["segment": "\(segment.path)"])
        }
    }

    private func syncSegment() throws(StorageError) {
        let syncedThrough = locked { state.writtenLSN }
        let start = ContinuousClock.now
        try segment.sync()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        configuration.onFsync?(elapsed)
        if elapsed > configuration.slowFsyncThreshold {
            logger.warning("slow fsync", metadata: ["segment": "\(segment.path)", "milliseconds": "\(nanoseconds / 1_000_000)"])
        }
        resume(
            locked {
                statistics_.fsyncs += 1
                statistics_.fsyncNanoseconds += nanoseconds
                return state.recordSynced(through: syncedThrough)
            })
    }

    private func resume(_ waiters: [Waiter]) {
        for waiter in waiters { waiter.resume() }
    }

    private func finish() {
        segment.close()
        openDirectory.close()
        let waiters = locked {
            exited = true
            writingSince = nil
            // Appends after close fail like appends after a failure.
            for waiter in state.fail(.closed) { waiter.resume(throwing: StorageError.closed) }
            defer { exitWaiters = [] }
            return exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Where each large user's frames are in the last published (or loaded) snapshot, so that the
/// next snapshot copies what has not changed since instead of encoding and deflating it again:
/// a user that has not changed at all, whole; of one that has, the frames of the chunks of
/// 512 tasks that have not. With most tasks in idle users, and most of a busy user's tasks in
/// chunks it is not writing to, a snapshot then costs about what changed. The frames stay on
/// disk (the newest snapshot is always kept), and are read back and checked when copied.
///
/// A user's `lastAppliedLSN` names its state, and a chunk's stamp (the LSN of the last event
/// that changed it) names the chunk: every change is an event applied under a new LSN, and a
/// cache is only adopted once the snapshot it describes is published, so every LSN in it is
/// durable and can never be rolled back and given to another event.
struct SnapshotFrameCache: Sendable {
    /// Users with fewer tasks share frames and are encoded every time: a frame of their own
    /// costs a header, a deflate reset and a worse ratio. Measured over 1M tasks: frames for
    /// users of 100 tasks made the first snapshot 2% larger and about 8% slower, and the next
    /// one 10 times faster; for users of 10 tasks, 45% larger and 2.7 times slower.
    static let minimumTasks = 64

    /// One chunk's frame: the chunk's stamp when it was written, and where.
    struct ChunkFrame: Sendable, Equatable {
        let stamp: LSN
        let bytes: Range<Int>
    }

    private struct Entry: Sendable {
        let lastAppliedLSN: LSN
        let bytes: Range<Int>
        /// By chunk index; only the chunks between the first and the last have frames of their
        /// own (the first shares the user's header, the last what follows the tasks).
        let chunks: [ChunkFrame?]
    }

    /// The snapshot file the byte ranges are in.
    var snapshotPath: String?
    private var entries: [UserID: Entry] = [:]

    init(snapshotPath: String? = nil) { self.snapshotPath = snapshotPath }

    var userCount: Int { entries.count }

    /// Whether `state` gets frames of its own, and so a place in the cache.
    static func isCached(_ state: UserState) -> Bool { state.tasks.count >= minimumTasks }

    /// Whether chunk `index` of a user with `count` chunks is written in a frame of its own.
    static func hasFrameOfItsOwn(chunk index: Int, of count: Int) -> Bool { index > 0 && index < count - 1 }

    /// Where in `snapshotPath` the frames of `state` are, if it has not changed since.
    func frames(of state: UserState) -> Range<Int>? {
        guard let entry = entries[state.userID], entry.lastAppliedLSN == state.lastAppliedLSN else { return nil }
        return entry.bytes
    }

    /// Where in `snapshotPath` the frame of chunk `index` of `state` is, if that chunk has not
    /// changed since.
    func frame(ofChunk index: Int, of state: UserState) -> Range<Int>? {
        guard let entry = entries[state.userID], index < entry.chunks.count, let frame = entry.chunks[index] else { return nil }
        // `store` keeps no unstamped chunk, so an equal stamp names an event.
        return state.tasks.values.stamp(ofChunk: index) == frame.stamp ? frame.bytes : nil
    }

    /// The chunk frames stored for `state`'s user, wherever they are now.
    func chunkFrames(of state: UserState) -> [ChunkFrame?] { entries[state.userID]?.chunks ?? [] }

    mutating func store(_ bytes: Range<Int>, chunks: [ChunkFrame?] = [], of state: UserState) {
        // A chunk whose stamp names no event is never copied.
        let chunks = chunks.map { $0.flatMap { $0.stamp == TaskRecords.unstamped ? nil : $0 } }
        entries[state.userID] = Entry(lastAppliedLSN: state.lastAppliedLSN, bytes: bytes, chunks: chunks)
    }
}

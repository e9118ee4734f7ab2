/// Writes a snapshot's frames after its header, one state after another: small users share
/// frames cut at about 1 MiB; a large user gets frames of its own, copied from the previous
/// snapshot where what they hold has not changed (see `SnapshotFrameCache`).
struct SnapshotWriter {
    private let file: any AppendableFile
    private let fileSystem: any FileSystem
    private let previous: SnapshotFrameCache
    private let encoder = FrameEncoder()
    /// The number of the next frame.
    private var block: UInt64 = 0
    private var written: SnapshotFile.Written

    init(file: any AppendableFile, path: String, fileSystem: any FileSystem, previous: SnapshotFrameCache) {
        self.file = file
        self.fileSystem = fileSystem
        self.previous = previous
        written = SnapshotFile.Written(frames: SnapshotFrameCache(snapshotPath: path))
    }

    mutating func write(_ accounts: AccountsState) throws(StorageError) {
        try encoding { writer throws in try SnapshotCodec.encode(accounts, into: writer.encoder, flushWhenFull: { try writer.writeFrameIfFull() }) }
    }

    mutating func write(_ user: UserState) throws(StorageError) {
        guard SnapshotFrameCache.isCached(user) else {
            return try encoding { writer throws in try SnapshotCodec.encode(user, into: writer.encoder, flushWhenFull: { try writer.writeFrameIfFull() }) }
        }
        // A user of its own frames starts and ends on a frame boundary.
        try writePendingFrame()
        let start = file.size
        var unreadable: SnapshotFile.UnreadableFrames?
        if let range = previous.frames(of: user) {
            switch try copyFrames(range) {
            case .success(let copied):
                let moved = previous.chunkFrames(of: user).map { frame in
                    frame.map { SnapshotFrameCache.ChunkFrame(stamp: $0.stamp, bytes: $0.bytes.shifted(by: copied.lowerBound - range.lowerBound)) }
                }
                written.frames.store(copied, chunks: moved, of: user)
                written.copiedUsers += 1
                return
            case .failure(let failure):
                unreadable = failure
            }
        }
        let chunks = try writeChunks(of: user, unreadable: &unreadable)
        written.frames.store(start..<file.size, chunks: chunks, of: user)
        if let unreadable {
            written.unreadableUsers += 1
            if written.firstUnreadableReason == nil { written.firstUnreadableReason = unreadable.reason }
        }
    }

    /// Ends the snapshot with its end frame and fsyncs it.
    mutating func finish() throws(StorageError) -> SnapshotFile.Written {
        try writePendingFrame()
        try writeFrame(flags: .endOfSnapshot)
        try file.sync()
        return written
    }

    /// A large user that changed: the header and the first chunk share a frame; each chunk
    /// after it but the last has one of its own, copied if that chunk did not change; the last
    /// shares its frame with what follows the tasks. Returns each chunk's frame.
    private mutating func writeChunks(
        of user: UserState, unreadable: inout SnapshotFile.UnreadableFrames?
    ) throws(StorageError) -> [SnapshotFrameCache.ChunkFrame?] {
        let tasks = user.tasks.values
        let chunkCount = tasks.chunkCount
        var chunks = [SnapshotFrameCache.ChunkFrame?](repeating: nil, count: chunkCount)
        SnapshotCodec.encodeHeader(of: user, into: encoder)
        SnapshotCodec.encodeTasks(of: user, at: tasks.positions(ofChunk: 0), into: encoder)
        if chunkCount > 1 { try writePendingFrame() }
        var index = 1
        while SnapshotFrameCache.hasFrameOfItsOwn(chunk: index, of: chunkCount) {
            // The unchanged chunks from `index` on whose frames lie one after another: one read.
            var oldFrames: [Range<Int>] = []
            while SnapshotFrameCache.hasFrameOfItsOwn(chunk: index + oldFrames.count, of: chunkCount),
                let frame = previous.frame(ofChunk: index + oldFrames.count, of: user), oldFrames.last.map({ $0.upperBound == frame.lowerBound }) ?? true
            {
                oldFrames.append(frame)
            }
            let run = index..<(index + oldFrames.count)
            if let first = oldFrames.first, let last = oldFrames.last {
                let runBytes = first.lowerBound..<last.upperBound
                switch try copyFrames(runBytes, expectedCount: run.count) {
                case .success(let copied):
                    for (chunk, old) in zip(run, oldFrames) {
                        chunks[chunk] = SnapshotFrameCache.ChunkFrame(
                            stamp: tasks.stamp(ofChunk: chunk), bytes: old.shifted(by: copied.lowerBound - runBytes.lowerBound))
                    }
                    written.copiedChunks += run.count
                    index = run.upperBound
                    continue
                case .failure(let failure):
                    unreadable = unreadable ?? failure
                }
            }
            // Encoded: the chunk at `index`, or every chunk of a run that could not be copied.
            let encodedThrough = max(run.upperBound, index + 1)
            for chunk in index..<encodedThrough {
                let chunkStart = file.size
                SnapshotCodec.encodeTasks(of: user, at: tasks.positions(ofChunk: chunk), into: encoder)
                try writePendingFrame()
                chunks[chunk] = SnapshotFrameCache.ChunkFrame(stamp: tasks.stamp(ofChunk: chunk), bytes: chunkStart..<file.size)
            }
            index = encodedThrough
        }
        if chunkCount > 1 { SnapshotCodec.encodeTasks(of: user, at: tasks.positions(ofChunk: chunkCount - 1), into: encoder) }
        SnapshotCodec.encodeRest(of: user, into: encoder)
        try writePendingFrame()
        return chunks
    }

    /// Appends the frames at `range` of the previous snapshot if they are intact and, unless
    /// `expectedCount` is nil, there are that many; returns where they now are, or why they
    /// were not copied.
    private mutating func copyFrames(
        _ range: Range<Int>, expectedCount: Int? = nil
    ) throws(StorageError) -> Result<Range<Int>, SnapshotFile.UnreadableFrames> {
        guard let previousPath = previous.snapshotPath else { return .failure(SnapshotFile.UnreadableFrames(reason: "no previous snapshot")) }
        switch SnapshotFile.checkedFrames(in: previousPath, range, fileSystem: fileSystem, numberedFrom: block) {
        case .success(let frames) where expectedCount == nil || frames.count == expectedCount:
            let start = file.size
            try file.append(frames.bytes)
            block += UInt64(frames.count)
            return .success(start..<file.size)
        case .success(let frames):
            return .failure(
                SnapshotFile.UnreadableFrames(
                    reason: "\(previousPath) holds \(frames.count) frames at offsets \(range.lowerBound)..<\(range.upperBound), where the snapshot that wrote them recorded \(expectedCount ?? 0), one a chunk"))
        case .failure(let failure):
            return .failure(failure)
        }
    }

    private mutating func writeFrame(flags: FrameHeader.Flags = []) throws(StorageError) {
        try file.append(encoder.finishFrame(firstLSN: block, flags: flags))
        block += 1
    }

    private mutating func writePendingFrame() throws(StorageError) {
        if encoder.recordCount > 0 { try writeFrame() }
    }

    private mutating func writeFrameIfFull() throws(StorageError) {
        if encoder.pendingUncompressedBytes >= SnapshotFile.frameBytes { try writeFrame() }
    }

    /// Runs one of `SnapshotCodec`'s encoders, which rethrow what `flushWhenFull` throws: here
    /// only storage errors.
    private mutating func encoding(_ body: (inout SnapshotWriter) throws -> Void) throws(StorageError) {
        do {
            try body(&self)
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("snapshot encoding throws only storage errors: \(error)")
        }
    }
}

extension Range<Int> {
    fileprivate func shifted(by distance: Int) -> Range<Int> { (lowerBound + distance)..<(upperBound + distance) }
}

/// Writes and reads snapshot files: a 32-byte header, then frames of `SnapshotCodec` records,
/// ending with an end-of-snapshot frame (see WALFormat.md).
enum SnapshotFile {
    static let magic: [UInt8] = Array("TDSN".utf8)
    static let formatVersion: UInt16 = 1
    static let headerSize = 32
    /// Frames are cut at about this many uncompressed bytes.
    static let frameBytes = 1 << 20

    /// What writing a snapshot did.
    struct Written: Sendable {
        /// Where each large user's frames are in the file written.
        var frames: SnapshotFrameCache
        /// Users copied from the previous snapshot rather than encoded again.
        var copiedUsers = 0
        /// Chunks of 512 tasks of changed users, copied from the previous snapshot.
        var copiedChunks = 0
        /// Users whose frames in the previous snapshot could not be read back intact, and so
        /// were encoded again; and why, for the first of them.
        var unreadableUsers = 0
        var firstUnreadableReason: String?
    }

    /// Why frames of the previous snapshot were not copied.
    struct UnreadableFrames: Error {
        let reason: String
    }

    /// Writes `contents` to `path` and fsyncs it. Does not publish it (no rename). A large user
    /// whose frames `previous` locates, unchanged, is copied from the previous snapshot: read
    /// back, checked frame by frame and numbered again; encoded if they are not intact. Of a
    /// large user that changed, the frames of the chunks that did not are copied the same way.
    static func write(
        _ contents: SnapshotContents, to path: String, fileSystem: any FileSystem, reusing previous: SnapshotFrameCache = SnapshotFrameCache()
    ) throws(StorageError) -> Written {
        try fileSystem.remove(path)
        let file = try fileSystem.openForAppending(path, create: true)
        defer { file.close() }
        var header = [UInt8](repeating: 0, count: headerSize)
        header.replaceSubrange(0..<4, with: magic)
        header[4] = UInt8(truncatingIfNeeded: formatVersion)
        header[5] = UInt8(truncatingIfNeeded: formatVersion >> 8)
        withUnsafeBytes(of: contents.startLSN.littleEndian) { header.replaceSubrange(8..<16, with: $0) }
        try file.append(header)

        var writer = SnapshotWriter(file: file, path: path, fileSystem: fileSystem, previous: previous)
        try writer.write(contents.accounts)
        for user in contents.users { try writer.write(user) }
        return try writer.finish()
    }

    /// The frames in `range` of `path`, numbered again from `firstBlock`, if the range holds
    /// whole, intact frames (magic, version, lengths, CRC) and nothing else.
    static func checkedFrames(
        in path: String, _ range: Range<Int>, fileSystem: any FileSystem, numberedFrom firstBlock: UInt64
    ) -> Result<(bytes: [UInt8], count: Int), UnreadableFrames> {
        var bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(path, range: range)
        } catch {
            return .failure(UnreadableFrames(reason: "\(error)"))
        }
        guard bytes.count == range.count else {
            return .failure(
                UnreadableFrames(
                    reason: "\(path) holds \(bytes.count) of the \(range.count) bytes at offsets \(range.lowerBound)..<\(range.upperBound): it is shorter than when it was written"))
        }
        var frameOffsets: [Int] = []
        let damage: String? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                switch FrameScanner.step(in: buffer, at: offset) {
                case .frame(let header, let payload) where !header.flags.contains(.endOfSnapshot):
                    frameOffsets.append(offset)
                    offset = payload.upperBound
                case .damaged(let reason):
                    return "\(path) at byte offset \(range.lowerBound + offset): \(reason)"
                default:
                    return "\(path) at byte offset \(range.lowerBound + offset): not one of a user's frames"
                }
            }
            return nil
        }
        if let damage { return .failure(UnreadableFrames(reason: damage)) }
        for (index, offset) in frameOffsets.enumerated() { FrameHeader.renumber(&bytes, frameAt: offset, firstLSN: firstBlock + UInt64(index)) }
        return .success((bytes, frameOffsets.count))
    }

    /// The newest snapshot in `directory` that reads back whole, newest first by the LSN in its
    /// name; `skipped` hears of each damaged one passed over. Nil when none is valid. A snapshot
    /// of a newer format is not skipped but refused: an older snapshot would replay as if the
    /// newer one's records were not there.
    static func newestValid(
        in directory: String, fileSystem: any FileSystem, skipped: (_ path: String, _ error: StorageError) -> Void = { _, _ in }
    ) throws(StorageError) -> (path: String, contents: SnapshotContents, frames: SnapshotFrameCache)? {
        let names = try fileSystem.listDirectory(directory)
        for startLSN in names.compactMap(DataFileName.snapshotLSN).sorted(by: >) {
            let path = "\(directory)/\(DataFileName.snapshot(startLSN: startLSN))"
            do {
                let loaded = try read(path, fileSystem: fileSystem)
                return (path, loaded.contents, loaded.frames)
            } catch {
                if case .unsupportedFormat = error { throw error }
                skipped(path, error)
            }
        }
        return nil
    }

    /// Reads and checks a whole snapshot. Any damage is a `StorageError.corruption` naming the
    /// offset; the caller falls back to an older snapshot. Also returns where the large users
    /// that have frames of their own have them, for the next snapshot to copy.
    static func read(_ path: String, fileSystem: any FileSystem) throws(StorageError) -> (contents: SnapshotContents, frames: SnapshotFrameCache) {
        let bytes = try fileSystem.readFile(path)
        let result: Result<(contents: SnapshotContents, frames: SnapshotFrameCache), StorageError> = bytes.withUnsafeBytes { buffer in
            do throws(StorageError) {
                return .success(try parse(buffer, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func parse(
        _ bytes: UnsafeRawBufferPointer, path: String
    ) throws(StorageError) -> (contents: SnapshotContents, frames: SnapshotFrameCache) {
        func corrupt(_ offset: Int, _ reason: String) -> StorageError { .corruption(file: path, offset: offset, reason: reason) }
        guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else { throw corrupt(0, "not a taskd snapshot") }
        let version = Int(bytes[4]) | Int(bytes[5]) << 8
        guard version <= formatVersion else {
            throw .unsupportedFormat(file: path, found: version, supported: Int(formatVersion))
        }
        let startLSN = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        // No checksum covers the file header; the name, made from the same LSN, checks it. A
        // start LSN damaged upwards would have recovery skip the WAL records below it.
        if let named = DataFileName.snapshotLSN(DataFileName.name(of: path)), named != startLSN {
            throw corrupt(8, "the header's start LSN \(startLSN) is not the \(named) in the file's name")
        }
        var decoder = SnapshotCodec.Decoder()
        let inflater = Inflater()
        var payload: [UInt8] = []
        var offset = headerSize
        var block: UInt64 = 0
        var frameRanges: [Range<Int>] = []
        var frameContents: [FrameContents] = []
        // The frame of each user's header, and whether the header opened it.
        var userStarts: [(block: Int, opensFrame: Bool)] = []
        while true {
            switch FrameScanner.step(in: bytes, at: offset) {
            case .end:
                throw corrupt(offset, "the snapshot ends without its end frame")
            case .damaged(let reason):
                throw corrupt(offset, reason)
            case .unsupportedVersion(let found):
                throw .unsupportedFormat(file: path, found: Int(found), supported: Int(FrameHeader.formatVersion))
            case .frame(let header, let payloadRange):
                guard header.firstLSN == block else { throw corrupt(offset, "block \(header.firstLSN) where \(block) was expected") }
                guard FrameScanner.payload(of: header, UnsafeRawBufferPointer(rebasing: bytes[payloadRange]), inflater: inflater, into: &payload) else {
                    throw corrupt(offset, "payload does not inflate to its recorded length")
                }
                var recordIndex = 0
                let tasksBefore = decoder.tasksRead
                let failure: DecodeError? = payload.withUnsafeBytes { buffer in
                    do throws(DecodeError) {
                        try FrameScanner.forEachRecord(in: buffer, count: header.recordCount) { reader throws(DecodeError) in
                            let usersBefore = decoder.userHeadersRead
                            try decoder.decode(&reader)
                            if decoder.userHeadersRead != usersBefore { userStarts.append((Int(block), recordIndex == 0)) }
                            recordIndex += 1
                        }
                        return nil
                    } catch { return error }
                }
                if let failure { throw corrupt(offset, "undecodable record: \(failure)") }
                if header.flags.contains(.endOfSnapshot) {
                    guard payloadRange.upperBound == bytes.count else { throw corrupt(payloadRange.upperBound, "bytes after the end frame") }
                    decoder.finishUser()
                    let frames = framesOfTheirOwn(
                        users: decoder.users, starts: userStarts, endBlock: Int(block), snapshotPath: path, frame: { frameRanges[$0] },
                        contents: { frameContents[$0] })
                    return (SnapshotContents(startLSN: startLSN, accounts: decoder.accounts, users: decoder.users), frames)
                }
                frameRanges.append(offset..<payloadRange.upperBound)
                frameContents.append(FrameContents(tasks: decoder.tasksRead - tasksBefore, records: Int(header.recordCount)))
                offset = payloadRange.upperBound
                block += 1
            }
        }
    }

    /// How many records a snapshot frame holds, and how many of them are tasks.
    struct FrameContents: Equatable {
        var tasks: Int
        var records: Int
    }

    /// Where the large users whose records fill frames of their own have them: a user whose
    /// header opens a frame, and whose records end where the next user's header (or the end
    /// frame) opens another, owns the frames in between. Of those, a user whose frames are one
    /// a chunk of 512 tasks (the header and the first chunk, the chunks between, the last
    /// chunk and what follows) has the frames of the chunks between to copy one by one.
    static func framesOfTheirOwn(
        users: [UserState], starts: [(block: Int, opensFrame: Bool)], endBlock: Int, snapshotPath: String, frame: (Int) -> Range<Int>,
        contents: (Int) -> FrameContents
    ) -> SnapshotFrameCache {
        var cache = SnapshotFrameCache(snapshotPath: snapshotPath)
        for (index, user) in users.enumerated() where SnapshotFrameCache.isCached(user) && starts[index].opensFrame {
            let next = index + 1 < starts.count ? starts[index + 1] : (block: endBlock, opensFrame: true)
            guard next.opensFrame, next.block > starts[index].block else { continue }
            let first = starts[index].block
            let tasks = user.tasks.values
            let full = TaskRecords.chunkCapacity
            var chunks: [SnapshotFrameCache.ChunkFrame?] = []
            if tasks.chunkCount >= 3, next.block - first == tasks.chunkCount, contents(first).tasks == full,
                (1..<tasks.chunkCount - 1).allSatisfy({ contents(first + $0) == FrameContents(tasks: full, records: full) })
            {
                chunks = (0..<tasks.chunkCount).map { chunk in
                    SnapshotFrameCache.hasFrameOfItsOwn(chunk: chunk, of: tasks.chunkCount)
                        ? SnapshotFrameCache.ChunkFrame(stamp: tasks.stamp(ofChunk: chunk), bytes: frame(first + chunk)) : nil
                }
            }
            cache.store(frame(first).lowerBound..<frame(next.block - 1).upperBound, chunks: chunks, of: user)
        }
        return cache
    }
}

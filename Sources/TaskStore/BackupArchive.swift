/// The file `taskd backup` writes: the files of a data directory in frames (see WALFormat.md:
/// checksummed, deflated where it helps). Header: magic "TDBK", format version u16, 2 bytes 0.
/// Records: a file's start (name, size, CRC-32 of its bytes), its bytes in chunks, and an end
/// record with the file count. A reader checks every frame and every file before using any.
public enum BackupArchive {
    static let magic: [UInt8] = Array("TDBK".utf8)
    static let formatVersion: UInt16 = 1
    static let chunkSize = 1 << 20

    private enum RecordType: UInt8 { case fileStart = 1, chunk, end }

    public struct Entry: Equatable, Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    static func encode(_ entries: [Entry]) -> [UInt8] {
        var archive = magic + [UInt8(truncatingIfNeeded: formatVersion), UInt8(truncatingIfNeeded: formatVersion >> 8), 0, 0]
        let encoder = FrameEncoder()
        var block: UInt64 = 0
        func flush(_ flags: FrameHeader.Flags = []) {
            archive += encoder.finishFrame(firstLSN: block, flags: flags)
            block += 1
        }
        for entry in entries {
            encoder.addRecord { w in
                w.write(RecordType.fileStart.rawValue)
                w.write(entry.name)
                w.write(varint: UInt64(entry.bytes.count))
                w.write(varint: UInt64(entry.bytes.withUnsafeBytes { CRC32.checksum($0) }))
            }
            var offset = 0
            repeat {
                let end = min(entry.bytes.count, offset + chunkSize)
                encoder.addRecord { w in
                    w.write(RecordType.chunk.rawValue)
                    w.write(varint: UInt64(end - offset))
                    w.bytes.append(contentsOf: entry.bytes[offset..<end])
                }
                offset = end
                if encoder.pendingUncompressedBytes >= chunkSize { flush() }
            } while offset < entry.bytes.count
        }
        encoder.addRecord { w in
            w.write(RecordType.end.rawValue)
            w.write(varint: UInt64(entries.count))
        }
        flush(.endOfSnapshot)
        return archive
    }

    /// Every file of the archive, after checking every frame, size and checksum.
    public static func decode(_ bytes: [UInt8], path: String) throws(StorageError) -> [Entry] {
        func damaged(_ offset: Int, _ reason: String) -> StorageError { .corruption(file: path, offset: offset, reason: "backup archive: \(reason)") }
        guard bytes.count >= 8, Array(bytes[0..<4]) == magic else { throw damaged(0, "not a taskd backup") }
        let version = Int(bytes[4]) | Int(bytes[5]) << 8
        guard version <= formatVersion else { throw .unsupportedFormat(file: path, found: version, supported: Int(formatVersion)) }
        var entries: [Entry] = []
        var expected: [(size: Int, crc: UInt32)] = []
        var ended = false
        var offset = 8
        var block: UInt64 = 0
        let inflater = Inflater()
        var payload: [UInt8] = []
        let result: Result<Void, StorageError> = bytes.withUnsafeBytes { buffer in
            while !ended {
                switch FrameScanner.step(in: buffer, at: offset) {
                case .end: return .failure(damaged(offset, "it ends before its last frame (truncated?)"))
                case .damaged(let reason): return .failure(damaged(offset, reason))
                case .unsupportedVersion(let found): return .failure(.unsupportedFormat(file: path, found: Int(found), supported: Int(FrameHeader.formatVersion)))
                case .frame(let header, let range):
                    guard header.firstLSN == block,
                        FrameScanner.payload(of: header, UnsafeRawBufferPointer(rebasing: buffer[range]), inflater: inflater, into: &payload)
                    else { return .failure(damaged(offset, "frame \(block) does not read back")) }
                    let failure: DecodeError? = payload.withUnsafeBytes { records in
                        do throws(DecodeError) {
                            try FrameScanner.forEachRecord(in: records, count: header.recordCount) { r throws(DecodeError) in
                                let typeOffset = r.offset
                                switch RecordType(rawValue: try r.readByte()) {
                                case .fileStart:
                                    let nameOffset = r.offset
                                    let name = try r.readString()
                                    let size = Int(try r.readVarint())
                                    let crc = try r.readUInt32()
                                    guard !name.contains("/"), !name.hasPrefix(".") else {
                                        throw DecodeError(offset: nameOffset, reason: "file name \(name) is not a plain name")
                                    }
                                    entries.append(Entry(name: name, bytes: []))
                                    entries[entries.count - 1].bytes.reserveCapacity(min(size, 1 << 30))
                                    expected.append((size, crc))
                                case .chunk:
                                    guard !entries.isEmpty else { throw r.failure("data before any file") }
                                    let chunk = try r.readBytes(try r.readLength())
                                    entries[entries.count - 1].bytes.append(contentsOf: chunk)
                                case .end:
                                    guard try r.readVarint() == UInt64(entries.count) else { throw r.failure("file count does not match") }
                                    ended = true
                                case nil:
                                    throw DecodeError(offset: typeOffset, reason: "unknown record")
                                }
                            }
                            return nil
                        } catch { return error }
                    }
                    if let failure { return .failure(damaged(offset, "\(failure)")) }
                    offset = range.upperBound
                    block += 1
                }
            }
            return offset == buffer.count ? .success(()) : .failure(damaged(offset, "bytes after the last frame"))
        }
        try result.get()
        for (entry, check) in zip(entries, expected) {
            guard entry.bytes.count == check.size, entry.bytes.withUnsafeBytes({ CRC32.checksum($0) }) == check.crc else {
                throw damaged(0, "\(entry.name) does not match its recorded size and checksum")
            }
        }
        return entries
    }
}

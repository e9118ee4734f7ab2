/// Finds frames in bytes read from disk and checks them (see WALFormat.md).
enum FrameScanner {
    enum Step {
        case frame(FrameHeader, payload: Range<Int>)
        case end
        case damaged(reason: String)
        case unsupportedVersion(UInt8)
    }

    static func step(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Step {
        let available = bytes.count - offset
        if available == 0 { return .end }
        guard available >= FrameHeader.size else { return .damaged(reason: "\(available) bytes, shorter than a frame header") }
        guard let header = FrameHeader.read(bytes, at: offset) else { return .damaged(reason: "no frame magic") }
        let length = Int(header.payloadLength)
        guard length <= FrameHeader.maximumPayloadLength else { return .damaged(reason: "frame length \(length) is out of range") }
        guard header.uncompressedLength <= FrameHeader.maximumPayloadLength else {
            return .damaged(reason: "uncompressed length \(header.uncompressedLength) is out of range")
        }
        guard length <= available - FrameHeader.size else {
            return .damaged(reason: "frame of \(length) bytes runs past the end of the file")
        }
        guard FrameHeader.checksum(of: bytes, frameAt: offset, payloadLength: length) == header.checksum else {
            return .damaged(reason: "checksum mismatch")
        }
        guard header.formatVersion <= FrameHeader.formatVersion else { return .unsupportedVersion(header.formatVersion) }
        let start = offset + FrameHeader.size
        return .frame(header, payload: start..<start + length)
    }

    /// Whether every byte from `offset` to the end is zero: space the WAL writer reserved ahead
    /// of its last frame, which ends the segment cleanly. No frame starts with a zero byte.
    static func isZeroFilled(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> Bool {
        guard let base = bytes.baseAddress, offset < bytes.count else { return true }
        var index = offset
        // Eight bytes at a time where aligned: a reserved tail is up to a MiB.
        while index < bytes.count && (Int(bitPattern: base) + index) % 8 != 0 {
            if bytes[index] != 0 { return false }
            index += 1
        }
        while index + 8 <= bytes.count {
            if bytes.load(fromByteOffset: index, as: UInt64.self) != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] != 0 { return false }
            index += 1
        }
        return true
    }

    /// The checksummed frames that start after `offset`, each searched for from the end of the
    /// one before: what follows a bad frame tells corruption from a torn write.
    static func validFrames(in bytes: UnsafeRawBufferPointer, after offset: Int) -> [FrameHeader] {
        var frames: [FrameHeader] = []
        var candidate = offset + 1
        while candidate + FrameHeader.size <= bytes.count {
            if bytes[candidate] == FrameHeader.magic.0, case .frame(let header, let payload) = step(in: bytes, at: candidate) {
                frames.append(header)
                candidate = payload.upperBound
            } else {
                candidate += 1
            }
        }
        return frames
    }

    /// Puts the frame's records, uncompressed, in `payload` (reusing its capacity); false if
    /// they do not come to the recorded length.
    static func payload(of header: FrameHeader, _ stored: UnsafeRawBufferPointer, inflater: Inflater, into payload: inout [UInt8]) -> Bool {
        guard header.flags.contains(.deflated) else {
            payload.removeAll(keepingCapacity: true)
            payload.append(contentsOf: stored)
            return stored.count == Int(header.uncompressedLength)
        }
        return inflater.decompress(stored, expectedLength: Int(header.uncompressedLength), into: &payload)
    }

    /// Calls `body` with a reader positioned at each record's event, after its version byte.
    /// Throws if the records do not fill the payload exactly or a version is unknown.
    static func forEachRecord(
        in payload: UnsafeRawBufferPointer, count: UInt32, _ body: (inout BinaryReader) throws(DecodeError) -> Void
    ) throws(DecodeError) {
        var reader = BinaryReader(payload)
        for _ in 0..<count {
            let length = try reader.readLength()
            let end = reader.offset + length
            var record = BinaryReader(UnsafeRawBufferPointer(rebasing: payload[..<end]), offset: reader.offset)
            let version = try record.readByte()
            guard version == RecordCodec.version else {
                throw DecodeError(offset: record.offset - 1, reason: "unknown record version \(version)")
            }
            try body(&record)
            guard record.isAtEnd else { throw record.failure("\(counted(record.remaining, "unread byte")) at the end of a record") }
            reader = BinaryReader(payload, offset: end)
        }
        guard reader.isAtEnd else { throw reader.failure("\(counted(reader.remaining, "byte")) after the last record") }
    }

    /// "1 byte", "2 bytes": a count in a corruption reason.
    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}

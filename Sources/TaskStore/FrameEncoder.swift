/// Turns a batch of records into one frame: length-prefixed versioned records, deflated as a
/// whole when that makes them smaller, behind a checksummed header. Keeps its deflate stream
/// and buffers between frames. Not thread-safe; one owner (the WAL writer, a snapshot writer).
final class FrameEncoder {
    private let deflater = Deflater()
    private var records = BinaryWriter(reservingCapacity: 1 << 16)
    private var scratch = BinaryWriter(reservingCapacity: 1 << 10)
    private(set) var recordCount = 0

    var pendingUncompressedBytes: Int { records.bytes.count }

    /// Adds one record; `body` writes its encoding (type byte and fields).
    func addRecord(_ body: (inout BinaryWriter) -> Void) {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.write(RecordCodec.version)
        body(&scratch)
        records.write(varint: UInt64(scratch.bytes.count))
        records.bytes.append(contentsOf: scratch.bytes)
        recordCount += 1
    }

    /// Ends the frame: returns its bytes (header and payload) and starts the next one empty.
    /// `unsyncedRecordsBefore`: see `FrameHeader`; beyond what the field holds, it holds its most.
    func finishFrame(firstLSN: UInt64, flags extraFlags: FrameHeader.Flags = [], unsyncedRecordsBefore: UInt64 = 0) -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: FrameHeader.size)
        frame.reserveCapacity(FrameHeader.size + records.bytes.count)
        let compressedLength = records.bytes.withUnsafeBytes { deflater.compress($0, appendingTo: &frame) }
        if compressedLength == nil { frame.append(contentsOf: records.bytes) }
        var header = FrameHeader(
            flags: compressedLength == nil ? extraFlags : extraFlags.union(.deflated),
            unsyncedRecordsBefore: UInt16(min(unsyncedRecordsBefore, UInt64(UInt16.max))),
            payloadLength: UInt32(frame.count - FrameHeader.size), firstLSN: firstLSN,
            recordCount: UInt32(recordCount), uncompressedLength: UInt32(records.bytes.count))
        header.write(into: &frame, at: 0)
        header.checksum = frame.withUnsafeBytes {
            FrameHeader.checksum(of: $0, frameAt: 0, payloadLength: Int(header.payloadLength))
        }
        header.write(into: &frame, at: 0)
        records.bytes.removeAll(keepingCapacity: true)
        recordCount = 0
        return frame
    }
}

import Foundation
import TaskStoreTestSupport
@testable import TaskStore

/// Rewrites one frame of a WAL segment or snapshot file and checksums it again: what a writer's
/// bug would leave, which the checksum cannot catch. The payload is stored raw (inflated first),
/// so a change can reach any byte of a record.
enum FrameRewriter {
    /// `change` gets the header (raw, `payloadLength` and `uncompressedLength` the inflated
    /// size) and the payload; the stored `payloadLength` is set from the payload it leaves.
    static func rewrite(_ path: String, frameAt offset: Int, _ change: (inout FrameHeader, inout [UInt8]) throws -> Void) throws {
        var bytes = try POSIXFileSystem().readFile(path)
        guard var header = bytes.withUnsafeBytes({ FrameHeader.read($0, at: offset) }) else { preconditionFailure("no frame at \(offset)") }
        let storedEnd = offset + FrameHeader.size + Int(header.payloadLength)
        var payload: [UInt8] = []
        let inflated = bytes.withUnsafeBytes { buffer in
            FrameScanner.payload(
                of: header, UnsafeRawBufferPointer(rebasing: buffer[offset + FrameHeader.size..<storedEnd]), inflater: Inflater(), into: &payload)
        }
        precondition(inflated, "the frame at \(offset) is damaged already")
        header.flags.remove(.deflated)
        header.uncompressedLength = UInt32(payload.count)
        try change(&header, &payload)
        header.payloadLength = UInt32(payload.count)
        var frame = [UInt8](repeating: 0, count: FrameHeader.size) + payload
        header.write(into: &frame, at: 0)
        header.checksum = frame.withUnsafeBytes { FrameHeader.checksum(of: $0, frameAt: 0, payloadLength: payload.count) }
        header.write(into: &frame, at: 0)
        bytes.replaceSubrange(offset..<storedEnd, with: frame)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Where each record's bytes after its version byte start in `payload` (a snapshot
    /// record's type byte, or a WAL event's kind).
    static func recordOffsets(in payload: [UInt8], count: UInt32) throws -> [Int] {
        var offsets: [Int] = []
        try payload.withUnsafeBytes { buffer in
            try FrameScanner.forEachRecord(in: buffer, count: count) { reader throws(DecodeError) in
                offsets.append(reader.offset)
                while (try? reader.readByte()) != nil {}
            }
        }
        return offsets
    }
}

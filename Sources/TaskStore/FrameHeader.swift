/// The fixed 32-byte header in front of every WAL and snapshot frame (see WALFormat.md).
struct FrameHeader {
    static let size = 32
    static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x54, 0x44, 0x57, 0x46)  // "TDWF"
    static let formatVersion: UInt8 = 1
    static let maximumPayloadLength = 64 << 20

    struct Flags: OptionSet {
        let rawValue: UInt8
        static let deflated = Flags(rawValue: 1)
        static let endOfSnapshot = Flags(rawValue: 2)
    }

    var formatVersion: UInt8 = FrameHeader.formatVersion
    var flags: Flags
    /// WAL: how many records before this frame were written but not yet synced when it was
    /// (at most 65,535). What tells a frame lost in a power cut, with frames written after it
    /// kept, from corruption (see WALFormat.md). 0 in snapshots and in logs written before it.
    var unsyncedRecordsBefore: UInt16 = 0
    var payloadLength: UInt32
    var checksum: UInt32 = 0
    var firstLSN: UInt64
    var recordCount: UInt32
    var uncompressedLength: UInt32

    /// Whether this WAL frame was written while record `lsn`, before it, was not yet synced:
    /// a power cut may have kept this frame and lost that record.
    func wasWritten(beforeSyncing lsn: UInt64) -> Bool {
        firstLSN > lsn && UInt64(unsyncedRecordsBefore) >= firstLSN - lsn
    }

    func write(into bytes: inout [UInt8], at offset: Int) {
        bytes.withUnsafeMutableBytes { out in
            let base = out.baseAddress!.advanced(by: offset)
            base.storeBytes(of: FrameHeader.magic, as: (UInt8, UInt8, UInt8, UInt8).self)
            base.storeBytes(of: formatVersion, toByteOffset: 4, as: UInt8.self)
            base.storeBytes(of: flags.rawValue, toByteOffset: 5, as: UInt8.self)
            base.storeBytes(of: unsyncedRecordsBefore.littleEndian, toByteOffset: 6, as: UInt16.self)
            base.storeBytes(of: payloadLength.littleEndian, toByteOffset: 8, as: UInt32.self)
            base.storeBytes(of: checksum.littleEndian, toByteOffset: 12, as: UInt32.self)
            base.storeBytes(of: firstLSN.littleEndian, toByteOffset: 16, as: UInt64.self)
            base.storeBytes(of: recordCount.littleEndian, toByteOffset: 24, as: UInt32.self)
            base.storeBytes(of: uncompressedLength.littleEndian, toByteOffset: 28, as: UInt32.self)
        }
    }

    /// Reads the fields at `offset`, which must have `size` bytes after it. Checks only the magic.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> FrameHeader? {
        let base = bytes.baseAddress!.advanced(by: offset)
        guard base.load(as: UInt8.self) == magic.0, base.load(fromByteOffset: 1, as: UInt8.self) == magic.1,
            base.load(fromByteOffset: 2, as: UInt8.self) == magic.2, base.load(fromByteOffset: 3, as: UInt8.self) == magic.3
        else { return nil }
        return FrameHeader(
            formatVersion: base.load(fromByteOffset: 4, as: UInt8.self),
            flags: Flags(rawValue: base.load(fromByteOffset: 5, as: UInt8.self)),
            unsyncedRecordsBefore: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 6, as: UInt16.self)),
            payloadLength: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
            checksum: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self)),
            firstLSN: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            recordCount: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt32.self)),
            uncompressedLength: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 28, as: UInt32.self)))
    }

    /// Gives the frame at `offset` in `bytes` (header and payload) another first LSN, and
    /// checksums it again.
    static func renumber(_ bytes: inout [UInt8], frameAt offset: Int, firstLSN: UInt64) {
        guard var header = bytes.withUnsafeBytes({ read($0, at: offset) }) else { preconditionFailure("not a frame") }
        header.firstLSN = firstLSN
        header.write(into: &bytes, at: offset)
        header.checksum = bytes.withUnsafeBytes { checksum(of: $0, frameAt: offset, payloadLength: Int(header.payloadLength)) }
        header.write(into: &bytes, at: offset)
    }

    /// The CRC of a frame laid out at `offset`: header without its checksum field, then payload.
    static func checksum(of bytes: UnsafeRawBufferPointer, frameAt offset: Int, payloadLength: Int) -> UInt32 {
        var crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 12]))
        crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset + 16..<offset + size]), continuing: crc)
        let payloadStart = offset + size
        return CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<payloadStart + payloadLength]), continuing: crc)
    }
}

import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// `taskd restore` trusts nothing in an archive it has not checked: every failure names the
/// archive and the offset, and no entry comes back from a damaged one.
@Suite struct BackupArchiveTests {
    private static let entries = [
        BackupArchive.Entry(name: "wal-1.log", bytes: (0..<(BackupArchive.chunkSize + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
        BackupArchive.Entry(name: "empty", bytes: []),
        BackupArchive.Entry(name: "history-id", bytes: Array("abc".utf8)),
    ]

    /// The archive in a file of `directory`, whose frames (after the 8-byte header) are listed.
    private func archived(_ directory: TemporaryDirectory) throws -> (path: String, frames: [FrameMap.Frame]) {
        let path = directory.file("data.backup")
        try Data(BackupArchive.encode(Self.entries)).write(to: URL(fileURLWithPath: path))
        return (path, try FrameMap(file: path, headerSize: 8).frames)
    }

    private func decode(_ path: String) throws -> [BackupArchive.Entry] {
        try BackupArchive.decode(try POSIXFileSystem().readFile(path), path: path)
    }

    @Test func everyFileComesBackWholeAcrossChunksAndFrames() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (path, frames) = try archived(directory)
        #expect(frames.count >= 2, "a frame per megabyte of data, and the end frame")
        #expect(try decode(path) == Self.entries)
    }

    /// Each damage the checksums cannot see, made in the last frame (the small file's records
    /// and the end record), with what the reader says of it; `{at}` stands for the offset in the
    /// frame's records of the byte that is wrong (a record's type, a file's name).
    @Test(arguments: [
        ("unknown record", "unknown record at byte {at}"),
        ("altered bytes", "history-id does not match its recorded size and checksum"),
        ("wrong file count", "file count does not match"),
        ("wrong size", "history-id does not match its recorded size and checksum"),
        ("file name with a slash", "file name x/../y is not a plain name at byte {at}"),
        ("file name with a leading dot", "file name .. is not a plain name at byte {at}"),
        ("frame out of order", "frame 1 does not read back"),
    ])
    func damageWithAValidChecksumIsRefused(damage: String, reason: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (path, frames) = try archived(directory)
        let last = try #require(frames.last)
        var damagedAt = -1
        try FrameRewriter.rewrite(path, frameAt: last.offset) { header, payload in
            let records = try FrameRewriter.recordOffsets(in: payload, count: header.recordCount)
            switch damage {
            case "unknown record":
                damagedAt = records[0]
                payload[damagedAt] = 0xEE
            case "altered bytes": payload[payload.count - 5] ^= 0xFF  // "abc"'s last byte, before the end record's 4
            case "wrong file count": payload[payload.count - 1] = 9
            case "frame out of order": header.firstLSN += 1
            case "wrong size":
                // The last file's start record: its type, its name as a length and bytes, then
                // its size (3, one byte).
                let start = try #require(records.last { payload[$0] == 1 })
                payload[start + 2 + "history-id".utf8.count] += 1
            default:
                // The last file's start record: its length and version bytes, its type, then its
                // name as a length and bytes.
                let name = Array((damage.hasSuffix("slash") ? "x/../y" : "..").utf8)
                let start = try #require(records.last { payload[$0] == 1 })
                payload.replaceSubrange(start + 1..<start + 2 + "history-id".utf8.count, with: [UInt8(name.count)] + name)
                damagedAt = start + 1
                payload[start - 2] -= UInt8("history-id".utf8.count - name.count)
                header.uncompressedLength = UInt32(payload.count)
            }
        }
        #expect {
            try decode(path)
        } throws: { error in
            guard case .corruption(let file, _, let text) = error as? StorageError else { return false }
            return file == path && text.hasPrefix("backup archive: ") && text.contains(reason.replacingOccurrences(of: "{at}", with: "\(damagedAt)"))
        }
    }

    @Test func aTruncatedOrExtendedArchiveIsRefusedAtTheOffset() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (path, frames) = try archived(directory)
        let whole = try POSIXFileSystem().readFile(path)
        let end = try #require(frames.last)

        try Data(whole[..<end.offset]).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.corruption(file: path, offset: end.offset, reason: "backup archive: it ends before its last frame (truncated?)")) {
            try decode(path)
        }
        try Data(whole + [0]).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.corruption(file: path, offset: whole.count, reason: "backup archive: bytes after the last frame")) { try decode(path) }
        try Data(Array("TDWF".utf8) + whole[4...]).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.corruption(file: path, offset: 0, reason: "backup archive: not a taskd backup")) { try decode(path) }
        // An archive of a newer format is refused by name, not read as if it were this one.
        try Data(whole[..<4] + [UInt8(BackupArchive.formatVersion + 1)] + whole[5...]).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.unsupportedFormat(file: path, found: Int(BackupArchive.formatVersion) + 1, supported: Int(BackupArchive.formatVersion))) {
            try decode(path)
        }
    }
}

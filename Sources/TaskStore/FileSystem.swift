#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations the engine uses, behind a protocol so tests can inject faults (ENOSPC,
/// EIO) and simulate power loss. Every error names the operation and the path.
public protocol FileSystem: Sendable {
    /// Opens `path` for appending at its end, creating it with `mode` if asked.
    func openForAppending(_ path: String, create: Bool, mode: mode_t) throws(StorageError) -> any AppendableFile
    func readFile(_ path: String) throws(StorageError) -> [UInt8]
    /// The bytes of `path` in `range`; fewer if the file ends before it.
    func readFile(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8]
    func fileSize(_ path: String) throws(StorageError) -> Int
    func fileExists(_ path: String) -> Bool
    /// Names (not paths) of the entries in `directory`.
    func listDirectory(_ directory: String) throws(StorageError) -> [String]
    /// Makes the one directory `path`; false if it is there already. Its entry is durable only
    /// once its parent is synced (`createDirectory` does both).
    func makeDirectory(_ path: String) throws(StorageError) -> Bool
    func rename(_ from: String, to: String) throws(StorageError)
    func remove(_ path: String) throws(StorageError)
    func truncate(_ path: String, to length: Int) throws(StorageError)
    /// fsyncs a directory, so that files created, renamed or removed in it stay so after a crash.
    func syncDirectory(_ path: String) throws(StorageError)
    /// Opens a directory to fsync it later without opening it again (see `OpenDirectory`).
    func openDirectory(_ path: String) throws(StorageError) -> any OpenDirectory
}

/// A directory held open for fsyncs. The WAL keeps its directory so: creating a segment is
/// durable only once the directory is synced, and a process out of file descriptors (a
/// flood of client connections) could not open the directory at that moment. Owned by one
/// thread at a time.
public protocol OpenDirectory: AnyObject {
    var path: String { get }
    /// fsyncs the directory, so that files created, renamed or removed in it stay so after a crash.
    func sync() throws(StorageError)
    func close()
}

/// A file open for appending. Owned by one thread at a time.
public protocol AppendableFile: AnyObject {
    var path: String { get }
    /// Bytes appended to the file, including what is not yet synced: where the next append goes.
    var size: Int { get }
    /// Bytes the file holds: `size`, or more after `reserve(upTo:)`.
    var reservedSize: Int { get }
    func append(_ bytes: UnsafeRawBufferPointer) throws(StorageError)
    /// Writes zeros from `reservedSize` up to `length` and leaves `size` where it is. Appends
    /// below `length` then overwrite blocks the file already has, so once the zeros are synced,
    /// fdatasync writes the appended data alone and not also the file's new length and block map.
    func reserve(upTo length: Int) throws(StorageError)
    /// Makes everything appended so far durable (fdatasync).
    func sync() throws(StorageError)
    func close()
}

extension AppendableFile {
    func append(_ bytes: [UInt8]) throws(StorageError) {
        let failure: StorageError? = bytes.withUnsafeBytes { buffer in
            do throws(StorageError) {
                try append(buffer)
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
    }
}

extension FileSystem {
    /// Opens `path` for appending, creating it (if asked) readable by everyone, written by its owner.
    public func openForAppending(_ path: String, create: Bool) throws(StorageError) -> any AppendableFile {
        try openForAppending(path, create: create, mode: 0o644)
    }

    /// Makes `path` and any parent it lacks, each entered durably in its parent: until the
    /// parent is fsynced, a power cut may take a new directory away, with every file in it.
    func createDirectory(_ path: String) throws(StorageError) {
        let parent = Self.parent(of: path)
        if parent != path && !fileExists(parent) { try createDirectory(parent) }
        if try makeDirectory(path) { try syncDirectory(parent) }
    }

    /// The directory `path` is in: "." for a bare name, "/" for a name at the root.
    public static func parent(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Puts `bytes` at `name` in `directory` so that a crash leaves the old file or the new one,
    /// never a part: written to `name.tmp` (one a crash left is replaced), synced, renamed over
    /// `name`, and the directory synced. The new file has `mode`.
    public func replaceDurably(_ name: String, in directory: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(StorageError) {
        let temporary = "\(directory)/\(name).tmp"
        if fileExists(temporary) { try remove(temporary) }
        let file = try openForAppending(temporary, create: true, mode: mode)
        defer { file.close() }
        try file.append(bytes)
        try file.sync()
        try rename(temporary, to: "\(directory)/\(name)")
        try syncDirectory(directory)
    }
}

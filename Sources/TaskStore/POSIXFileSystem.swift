#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, through POSIX calls.
public struct POSIXFileSystem: FileSystem {
    public init() {}

    public func openForAppending(_ path: String, create: Bool, mode: mode_t) throws(StorageError) -> any AppendableFile {
        // Not O_APPEND: appends go to `size`, which is short of the file's end after `reserve`.
        let fd = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT : 0), mode)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .io(operation: "stat", path: path, errno: code)
        }
        return POSIXAppendableFile(fd: fd, path: path, size: Int(info.st_size))
    }

    public func readFile(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return try read(fd, path: path, range: 0..<Int(info.st_size))
    }

    public func readFile(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        return try read(fd, path: path, range: range)
    }

    private func read(_ fd: Int32, path: String, range: Range<Int>) throws(StorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: range.count)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(range.lowerBound + filled)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .io(operation: "read", path: path, errno: errno) }
            if count == 0 { break }  // the file ends (or shrank while we read)
            filled += count
        }
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return bytes
    }

    public func fileSize(_ path: String) throws(StorageError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return Int(info.st_size)
    }

    public func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func listDirectory(_ directory: String) throws(StorageError) -> [String] {
        guard let dir = opendir(directory) else { throw .io(operation: "opendir", path: directory, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func makeDirectory(_ path: String) throws(StorageError) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        guard errno == EEXIST else { throw .io(operation: "mkdir", path: path, errno: errno) }
        return false
    }

    public func rename(_ from: String, to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else { throw .io(operation: "rename to \(to)", path: from, errno: errno) }
    }

    public func remove(_ path: String) throws(StorageError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .io(operation: "unlink", path: path, errno: errno) }
    }

    public func truncate(_ path: String, to length: Int) throws(StorageError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw .io(operation: "truncate", path: path, errno: errno) }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    public func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    public func openDirectory(_ path: String) throws(StorageError) -> any OpenDirectory {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return POSIXOpenDirectory(fd: fd, path: path)
    }
}

final class POSIXOpenDirectory: OpenDirectory {
    let path: String
    private var fd: Int32

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Once closed, `fd` is -1, which fsync refuses with EBADF: no stale number is synced.
    func sync() throws(StorageError) {
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    deinit { close() }
}

final class POSIXAppendableFile: AppendableFile {
    let path: String
    private var fd: Int32
    private(set) var size: Int
    private(set) var reservedSize: Int

    /// `size`: the file's length, where appends start (the file must not be opened O_APPEND).
    init(fd: Int32, path: String, size: Int) {
        self.fd = fd
        self.path = path
        self.size = size
        reservedSize = size
    }

    deinit { close() }

    func append(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        try write(bytes, at: size)
        size += bytes.count
        reservedSize = max(reservedSize, size)
    }

    func reserve(upTo length: Int) throws(StorageError) {
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        while reservedSize < length {
            let count = min(zeros.count, length - reservedSize)
            let failure: StorageError? = zeros.withUnsafeBytes { buffer in
                do throws(StorageError) {
                    try write(UnsafeRawBufferPointer(rebasing: buffer[..<count]), at: reservedSize)
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
            reservedSize += count
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError) {
        var written = 0
        while written < bytes.count {
            let count = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .io(operation: "write", path: path, errno: count < 0 ? errno : EIO) }
            written += count
        }
    }

    func sync() throws(StorageError) {
        guard fdatasync(fd) == 0 else { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}

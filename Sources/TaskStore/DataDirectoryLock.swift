#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An exclusive `flock` on `<data dir>/LOCK`, held until `release` or the end of the process.
/// The kernel drops it when the process dies, so a crash never leaves it stale.
public final class DataDirectoryLock: Sendable {
    public let directory: String
    private let fd: Mutex<Int32>

    /// Fails at once, naming the directory, when another process (or another open) holds it.
    public init(directory: String) throws(StorageError) {
        let path = "\(directory)/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Glibc.close(fd)
            if code == EWOULDBLOCK { throw .dataDirectoryLocked(path: directory) }
            throw .io(operation: "flock", path: path, errno: code)
        }
        self.directory = directory
        self.fd = Mutex(fd)
    }

    public func release() {
        fd.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    deinit { release() }
}

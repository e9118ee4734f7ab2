import Foundation
import Synchronization
import TaskStore

/// The real file system, plus what a disk can do to a database: fail a write or an fsync with
/// a chosen errno, and lose power (every file falls back to what was last synced), as LevelDB's
/// fault-injection test does.
public final class FaultInjectingFileSystem: FileSystem, @unchecked Sendable {
    public init() {}

    /// `reserve`: writing zeros ahead of a file's end (`AppendableFile.reserve`); `truncate`:
    /// `FileSystem.truncate`; `create`: `openForAppending(_:create: true)`, which makes the
    /// file and then fails, the most a failed open can leave behind; `remove`: `FileSystem.remove`.
    public enum Operation: Sendable { case write, sync, reserve, truncate, create, remove }

    private struct State {
        /// Bytes of each file known to be on disk: its size when opened, then at each sync.
        var syncedLength: [String: Int] = [:]
        /// How far each file held synced zeros (reserved space) past its synced length.
        var syncedReservation: [String: Int] = [:]
        /// Bytes appended to each open file, synced or not.
        var writtenLength: [String: Int] = [:]
        var failures: [(operation: Operation, errno: Int32, afterSuccesses: Int)] = []
        var syncCount = 0
        var syncAttempts = 0
        /// Directories this file system made whose parent has not been synced since.
        var unsyncedDirectories: Set<String> = []
    }

    private let base = POSIXFileSystem()
    private let state = Mutex(State())
    /// Guards `syncsHeld`; fsyncs wait on it (a blocking wait, as a disk's is).
    private let syncGate = NSCondition()
    private var syncsHeld = false

    /// The next `operation` after `afterSuccesses` more successful ones fails with `code`.
    public func inject(_ operation: Operation, errno code: Int32, afterSuccesses: Int = 0) {
        state.withLock { $0.failures.append((operation, code, afterSuccesses)) }
    }

    public func syncedLength(of path: String) -> Int { state.withLock { $0.syncedLength[path] ?? 0 } }

    /// Bytes appended to `path` through this file system, synced or not (its size on disk may
    /// be larger: reserved zeros).
    public func writtenLength(of path: String) -> Int { state.withLock { $0.writtenLength[path] ?? 0 } }

    fileprivate func recordWritten(_ path: String, length: Int) { state.withLock { $0.writtenLength[path] = length } }

    /// fsyncs from now on wait until `releaseSyncs`, like a disk that has not answered yet: a
    /// test can look at what happens meanwhile without racing the fsync, however late it runs.
    public func holdSyncs() {
        syncGate.lock()
        syncsHeld = true
        syncGate.unlock()
    }

    public func releaseSyncs() {
        syncGate.lock()
        syncsHeld = false
        syncGate.broadcast()
        syncGate.unlock()
    }

    fileprivate func waitWhileSyncsAreHeld() {
        syncGate.lock()
        while syncsHeld { syncGate.wait() }
        syncGate.unlock()
    }

    /// Successful fsyncs.
    public var syncCount: Int { state.withLock { $0.syncCount } }
    /// fsyncs tried, failed ones included.
    public var syncAttempts: Int { state.withLock { $0.syncAttempts } }

    /// Every file this file system wrote falls back to what it held at its last sync: cut to
    /// its synced length, then zeros again where it had synced reserved space (what was
    /// written over them since is lost). A directory it made whose parent was not synced
    /// since is gone, with everything in it.
    public func simulatePowerLoss() {
        let (lengths, reservations, directories) = state.withLock { ($0.syncedLength, $0.syncedReservation, $0.unsyncedDirectories) }
        defer {
            for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        }
        for (path, length) in lengths where base.fileExists(path) {
            try? base.truncate(path, to: length)
            if let reserved = reservations[path], reserved > length, let file = try? base.openForAppending(path, create: false) {
                try? file.reserve(upTo: reserved)
                try? file.sync()
                file.close()
            }
        }
    }

    /// Throws if an injected failure is due for `operation`.
    fileprivate func check(_ operation: Operation, path: String) throws(StorageError) {
        let code: Int32? = state.withLock { state in
            if operation == .sync { state.syncAttempts += 1 }
            guard let index = state.failures.firstIndex(where: { $0.operation == operation }) else { return nil }
            if state.failures[index].afterSuccesses > 0 {
                state.failures[index].afterSuccesses -= 1
                return nil
            }
            return state.failures.remove(at: index).errno
        }
        if let code { throw .io(operation: Self.name(of: operation), path: path, errno: code) }
    }

    private static func name(of operation: Operation) -> String {
        switch operation {
        case .write, .reserve: "write"
        case .sync: "fdatasync"
        case .truncate: "truncate"
        case .create: "open"
        case .remove: "unlink"
        }
    }

    fileprivate func recordSynced(_ path: String, length: Int, reserved: Int) {
        state.withLock {
            $0.syncedLength[path] = length
            $0.syncedReservation[path] = reserved
            $0.syncCount += 1
        }
    }

    public func openForAppending(_ path: String, create: Bool) throws(StorageError) -> any AppendableFile {
        let file = try base.openForAppending(path, create: create)
        if create {
            do throws(StorageError) {
                try check(.create, path: path)
            } catch {
                file.close()
                throw error
            }
        }
        state.withLock { state in
            if state.syncedLength[path] == nil { state.syncedLength[path] = create ? 0 : file.size }
        }
        return FaultInjectingFile(file: file, fileSystem: self)
    }

    public func readFile(_ path: String) throws(StorageError) -> [UInt8] { try base.readFile(path) }
    public func readFile(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] { try base.readFile(path, range: range) }
    public func fileSize(_ path: String) throws(StorageError) -> Int { try base.fileSize(path) }
    public func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    public func listDirectory(_ directory: String) throws(StorageError) -> [String] { try base.listDirectory(directory) }
    public func makeDirectory(_ path: String) throws(StorageError) -> Bool {
        let made = try base.makeDirectory(path)
        if made { state.withLock { _ = $0.unsyncedDirectories.insert(path) } }
        return made
    }
    public func rename(_ from: String, to: String) throws(StorageError) {
        try base.rename(from, to: to)
        state.withLock {
            $0.syncedLength[to] = $0.syncedLength.removeValue(forKey: from)
            $0.syncedReservation[to] = $0.syncedReservation.removeValue(forKey: from)
        }
    }
    public func remove(_ path: String) throws(StorageError) {
        try check(.remove, path: path)
        try base.remove(path)
        state.withLock {
            _ = $0.syncedLength.removeValue(forKey: path)
            _ = $0.syncedReservation.removeValue(forKey: path)
        }
    }
    public func truncate(_ path: String, to length: Int) throws(StorageError) {
        try check(.truncate, path: path)
        try base.truncate(path, to: length)
        // A cut makes nothing below it durable: what was synced stays so, up to the cut.
        state.withLock {
            $0.syncedLength[path] = min($0.syncedLength[path] ?? length, length)
            $0.syncedReservation[path] = nil
        }
    }
    public func syncDirectory(_ path: String) throws(StorageError) {
        try base.syncDirectory(path)
        state.withLock { $0.unsyncedDirectories = $0.unsyncedDirectories.filter { POSIXFileSystem.parent(of: $0) != path } }
    }
    public func openDirectory(_ path: String) throws(StorageError) -> any OpenDirectory { try base.openDirectory(path) }
}

private final class FaultInjectingFile: AppendableFile {
    private let file: any AppendableFile
    private let fileSystem: FaultInjectingFileSystem

    init(file: any AppendableFile, fileSystem: FaultInjectingFileSystem) {
        self.file = file
        self.fileSystem = fileSystem
    }

    var path: String { file.path }
    var size: Int { file.size }
    var reservedSize: Int { file.reservedSize }

    func append(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        try fileSystem.check(.write, path: path)
        try file.append(bytes)
        fileSystem.recordWritten(path, length: file.size)
    }

    func reserve(upTo length: Int) throws(StorageError) {
        try fileSystem.check(.reserve, path: path)
        try file.reserve(upTo: length)
    }

    func sync() throws(StorageError) {
        fileSystem.waitWhileSyncsAreHeld()
        try fileSystem.check(.sync, path: path)
        try file.sync()
        fileSystem.recordSynced(path, length: file.size, reserved: file.reservedSize)
    }

    func close() { file.close() }
}

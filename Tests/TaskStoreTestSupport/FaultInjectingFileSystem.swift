import Foundation
import Synchronization
import TaskStore

/// The real file system, plus what a disk can do to a database: fail a write or an fsync with
/// a chosen errno, and lose power (every file falls back to what was last synced, and every
/// directory to the entries it had when last synced), as LevelDB's fault-injection test does.
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
        /// Files created, renamed or removed in each directory since it was last synced, oldest
        /// first: a power cut takes them back.
        var unsyncedEntries: [String: [EntryChange]] = [:]
        /// Set by `cutPower`: nothing reaches the disk until `simulatePowerLoss`.
        var powerIsCut = false
        /// Set by `cutPowerAfterTruncating`: the next truncate succeeds, then the power is cut.
        var cutsPowerAfterTruncating = false

        mutating func record(_ change: EntryChange, in path: String) {
            unsyncedEntries[POSIXFileSystem.parent(of: path), default: []].append(change)
        }

        /// The synced bytes of `path`, which a power cut would leave of it.
        func syncedBytes(of path: String, base: POSIXFileSystem) -> [UInt8] {
            let bytes = (try? base.readFile(path)) ?? []
            return Array(bytes.prefix(syncedLength[path] ?? bytes.count))
        }
    }

    private enum EntryChange {
        case created(String)
        case renamed(from: String, to: String, replaced: [UInt8]?)
        case removed(String, synced: [UInt8])
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

    /// From now on every write, fsync, create, rename and removal fails with EIO, as if the
    /// machine had lost power at this moment: a test freezes what is on disk while the store
    /// goes on, then calls `simulatePowerLoss` once the store is gone.
    public func cutPower() { state.withLock { $0.powerIsCut = true } }

    /// The power goes the moment the next truncate is done: what a cut makes durable at once
    /// (here, all of it) against what was to be synced after it.
    public func cutPowerAfterTruncating() { state.withLock { $0.cutsPowerAfterTruncating = true } }

    /// Every directory falls back to the entries it had at its last sync (files created since
    /// are gone, renames and removals undone, newest first), and every file this file system
    /// wrote to what it held at its last sync: cut to its synced length, then zeros again where
    /// it had synced reserved space (what was written over them since is lost). A directory it
    /// made whose parent was not synced since is gone, with everything in it. Power is back
    /// afterwards.
    ///
    /// With `keepSector`, a file keeps its size instead, and each 512-byte sector written
    /// since its last sync holds what was written, or zeros, as `keepSector` says (a disk
    /// writes its cache back in any order, and its size may have reached the disk first).
    public func simulatePowerLoss(keepingUnsyncedSectors keepSector: (() -> Bool)? = nil) {
        let (lengths, reservations, directories) = state.withLock { state in
            for (_, changes) in state.unsyncedEntries {
                for change in changes.reversed() { undo(change, in: &state) }
            }
            state.unsyncedEntries = [:]
            state.powerIsCut = false
            return (state.syncedLength, state.syncedReservation, state.unsyncedDirectories)
        }
        defer {
            for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        }
        for (path, length) in lengths where base.fileExists(path) {
            if let keepSector {
                zeroUnsyncedSectors(of: path, syncedLength: length, keepSector)
                continue
            }
            try? base.truncate(path, to: length)
            if let reserved = reservations[path], reserved > length, let file = try? base.openForAppending(path, create: false) {
                try? file.reserve(upTo: reserved)
                try? file.sync()
                file.close()
            }
        }
    }

    private func zeroUnsyncedSectors(of path: String, syncedLength: Int, _ keepSector: () -> Bool) {
        guard let handle = FileHandle(forUpdatingAtPath: path), let size = try? handle.seekToEnd(), Int(size) > syncedLength else { return }
        defer { try? handle.close() }
        var sector = syncedLength / 512 * 512
        while sector < Int(size) {
            let start = max(sector, syncedLength)
            let end = min(sector + 512, Int(size))
            if !keepSector() {
                try? handle.seek(toOffset: UInt64(start))
                try? handle.write(contentsOf: Data(count: end - start))
            }
            sector += 512
        }
        try? handle.synchronize()
    }

    private func undo(_ change: EntryChange, in state: inout State) {
        switch change {
        case .created(let path):
            try? FileManager.default.removeItem(atPath: path)
            state.syncedLength[path] = nil
            state.syncedReservation[path] = nil
        case .renamed(let from, let to, let replaced):
            _ = Glibc.rename(to, from)
            state.syncedLength[from] = state.syncedLength.removeValue(forKey: to)
            state.syncedReservation[from] = state.syncedReservation.removeValue(forKey: to)
            if let replaced {
                precondition(FileManager.default.createFile(atPath: to, contents: Data(replaced)), "power loss could not put back \(to)")
                state.syncedLength[to] = replaced.count
            }
        case .removed(let path, let synced):
            precondition(FileManager.default.createFile(atPath: path, contents: Data(synced)), "power loss could not put back \(path)")
            state.syncedLength[path] = synced.count
        }
    }

    /// Throws EIO once the power is cut.
    fileprivate func checkPower(_ operation: String, path: String) throws(StorageError) {
        if state.withLock({ $0.powerIsCut }) { throw .io(operation: operation, path: path, errno: EIO) }
    }

    /// Throws if the power is cut, or an injected failure is due for `operation`.
    fileprivate func check(_ operation: Operation, path: String) throws(StorageError) {
        let code: Int32? = state.withLock { state in
            if operation == .sync { state.syncAttempts += 1 }
            if state.powerIsCut { return EIO }
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

    /// Fails if the power was cut while the fsync ran: then nothing says it reached the disk.
    fileprivate func recordSynced(_ path: String, length: Int, reserved: Int) throws(StorageError) {
        let recorded = state.withLock { state in
            guard !state.powerIsCut else { return false }
            state.syncedLength[path] = length
            state.syncedReservation[path] = reserved
            state.syncCount += 1
            return true
        }
        if !recorded { throw .io(operation: "fdatasync", path: path, errno: EIO) }
    }

    public func openForAppending(_ path: String, create: Bool, mode: mode_t) throws(StorageError) -> any AppendableFile {
        let existed = base.fileExists(path)
        if create && !existed { try checkPower("open", path: path) }
        let file = try base.openForAppending(path, create: create, mode: mode)
        if !existed { state.withLock { $0.record(.created(path), in: path) } }
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
        try checkPower("mkdir", path: path)
        let made = try base.makeDirectory(path)
        if made { state.withLock { _ = $0.unsyncedDirectories.insert(path) } }
        return made
    }
    public func rename(_ from: String, to: String) throws(StorageError) {
        try checkPower("rename to \(to)", path: from)
        let replaced = base.fileExists(to) ? state.withLock { $0.syncedBytes(of: to, base: base) } : nil
        try base.rename(from, to: to)
        state.withLock {
            $0.syncedLength[to] = $0.syncedLength.removeValue(forKey: from)
            $0.syncedReservation[to] = $0.syncedReservation.removeValue(forKey: from)
            $0.record(.renamed(from: from, to: to, replaced: replaced), in: to)
        }
    }
    public func remove(_ path: String) throws(StorageError) {
        try check(.remove, path: path)
        guard base.fileExists(path) else { return try base.remove(path) }
        let synced = state.withLock { $0.syncedBytes(of: path, base: base) }
        try base.remove(path)
        state.withLock {
            _ = $0.syncedLength.removeValue(forKey: path)
            _ = $0.syncedReservation.removeValue(forKey: path)
            $0.record(.removed(path, synced: synced), in: path)
        }
    }
    public func truncate(_ path: String, to length: Int) throws(StorageError) {
        try check(.truncate, path: path)
        try base.truncate(path, to: length)
        // A cut makes nothing below it durable: what was synced stays so, up to the cut.
        state.withLock {
            $0.syncedLength[path] = min($0.syncedLength[path] ?? length, length)
            $0.syncedReservation[path] = nil
            if $0.cutsPowerAfterTruncating {
                $0.cutsPowerAfterTruncating = false
                $0.powerIsCut = true
            }
        }
    }
    public func syncDirectory(_ path: String) throws(StorageError) {
        try checkPower("fsync", path: path)
        try base.syncDirectory(path)
        recordDirectorySynced(path)
    }
    public func openDirectory(_ path: String) throws(StorageError) -> any OpenDirectory {
        FaultInjectingDirectory(directory: try base.openDirectory(path), fileSystem: self)
    }

    fileprivate func recordDirectorySynced(_ path: String) {
        state.withLock {
            $0.unsyncedEntries[path] = nil
            $0.unsyncedDirectories = $0.unsyncedDirectories.filter { POSIXFileSystem.parent(of: $0) != path }
        }
    }
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
        try fileSystem.recordSynced(path, length: file.size, reserved: file.reservedSize)
    }

    func close() { file.close() }
}

private final class FaultInjectingDirectory: OpenDirectory {
    private let directory: any OpenDirectory
    private let fileSystem: FaultInjectingFileSystem

    init(directory: any OpenDirectory, fileSystem: FaultInjectingFileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    var path: String { directory.path }

    func sync() throws(StorageError) {
        try fileSystem.checkPower("fsync", path: path)
        try directory.sync()
        fileSystem.recordDirectorySynced(path)
    }

    func close() { directory.close() }
}

/// The first bad frame a scan of the WAL met.
public struct WALDamage: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The newest segment ends in a partial or unchecked frame and nothing valid follows.
        case tornTail
        /// A bad frame with valid data after it, or in an older segment.
        case corruption
        /// The oldest segment begins after `needed`, the first LSN recovery must replay: the
        /// records before `oldest` are in no segment (nor in a snapshot). Cutting the log
        /// cannot mend that; only a backup can.
        case missingRecords(needed: LSN, oldest: LSN)
    }

    public var kind: Kind
    public var file: String
    public var offset: Int
    public var reason: String
    /// Every record of the damaged segment is in the newest valid snapshot: recovery does not
    /// read it (only a fallback to an older snapshot would).
    public var isCoveredBySnapshot: Bool
    /// Valid frames after a torn write, written while it was not yet synced: cutting the log
    /// there takes them too.
    public var framesAfter: Int

    public init(kind: Kind, file: String, offset: Int, reason: String, isCoveredBySnapshot: Bool = false, framesAfter: Int = 0) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.reason = reason
        self.isCoveredBySnapshot = isCoveredBySnapshot
        self.framesAfter = framesAfter
    }

    public var description: String {
        switch kind {
        case .tornTail: "torn tail in \(file) at byte offset \(offset): \(reason)"
        case .corruption: "corruption in \(file) at byte offset \(offset): \(reason)"
        case .missingRecords: "missing records before \(file): \(reason)"
        }
    }

    /// The error that names this damage to whoever must act on it. (Recovery cuts a torn
    /// tail off instead of stopping.)
    public var error: StorageError {
        switch kind {
        case .tornTail, .corruption: .corruption(file: file, offset: offset, reason: reason)
        case .missingRecords(let needed, let oldest): .missingRecords(file: file, needed: needed, oldest: oldest)
        }
    }
}

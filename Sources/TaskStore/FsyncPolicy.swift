/// When a mutation is answered, relative to its WAL record reaching the disk.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// Answered only after its frame is fsynced; one fsync serves every writer of the batch.
    case always
    /// Answered after the write; fsync at most a second later. A crash may lose that second.
    case everysec
    /// Answered after the write; the OS decides when to flush.
    case never
}

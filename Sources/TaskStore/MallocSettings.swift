#if canImport(Glibc)
import CMalloc
#endif

/// glibc's malloc, set for a process that keeps its state in memory for good.
///
/// By default glibc raises its mmap threshold to the size of the largest block freed (up to
/// 32 MiB), so once recovery has freed the snapshot or WAL it read, later large blocks come
/// from the heap and leave holes there when they go. Kept at 1 MiB, a snapshot restart of 1M
/// tasks holds 405 bytes a task instead of 434, a WAL replay 450 instead of 455
/// (`taskstore-bench recover`); at 128 KiB (glibc's starting value) replay ran 10% slower,
/// every large array growing into fresh pages. Keeping it also keeps the trim threshold at
/// 128 KiB, which under load returns the heap's top and faults it back over and over (tens of
/// thousands of page faults in 4 s of `GET /tasks`), so that one is set too: 32 MiB, what
/// glibc's own adjustment may reach.
public enum MallocSettings {
    public static let mmapThreshold = 1 << 20
    public static let trimThreshold = 32 << 20

    /// Sets both thresholds; false if malloc refused either (or is not glibc's).
    @discardableResult
    public static func apply() -> Bool {
        #if canImport(Glibc)
        return mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold)) == 1 && mallopt(M_TRIM_THRESHOLD, Int32(trimThreshold)) == 1
        #else
        return false
        #endif
    }
}

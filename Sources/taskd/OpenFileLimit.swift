import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open file descriptors. Each client connection holds one, so a
/// shell's usual soft limit of 1,024 would cap taskd near a thousand connections although the
/// hard limit allows far more; the soft limit is raised to the hard one at start, as Go's
/// runtime and nginx's `worker_rlimit_nofile` do. (The systemd unit in the README sets both.)
enum OpenFileLimit {
    struct Raise {
        var from: UInt64
        var to: UInt64
    }

    /// Raises the soft limit to the hard one; nil when it already is, or when it cannot be read
    /// or set (the limit stays as it was).
    static func raiseToHardLimit() -> Raise? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return nil }
        let from = UInt64(limit.rlim_cur)
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(resource, &limit) == 0 else { return nil }
        return Raise(from: from, to: UInt64(limit.rlim_max))
    }

    /// Client connections that leave `reserved` descriptors free below the soft limit, besides
    /// those open now; nil when there is no limit or it cannot be read. Call it after the store
    /// is open: the event loops and the listening socket, opened later, are what `reserved`
    /// covers besides the storage's own needs (a new WAL segment, a snapshot being written, the
    /// one it copies frames from).
    static func connectionBudget(reserving reserved: Int) -> Int? {
        var limit = rlimit()
        // Unlimited (RLIM_INFINITY) reads as the largest number: no limit to keep below.
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < UInt64(Int32.max) else { return nil }
        let soft = Int(limit.rlim_cur)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        // Only the numbers below the limit are taken from it: one inherited above it (a test
        // runner's) uses none of them.
        let inUse = names.compactMap { Int($0) }.filter { $0 < soft }.count
        return max(1, soft - inUse - reserved)
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue)) }
}

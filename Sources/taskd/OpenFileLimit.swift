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

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue)) }
}

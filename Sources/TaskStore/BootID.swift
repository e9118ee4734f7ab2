import Foundation

/// Names the machine's current boot: Linux makes a new one each time it starts. The same id
/// before and after a process died means the kernel, and the writes in its page cache, lived on.
public enum BootID {
    /// nil where the kernel does not say (not Linux, `/proc` not mounted): callers then assume
    /// the machine may have restarted.
    @Sendable public static func current() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }
}

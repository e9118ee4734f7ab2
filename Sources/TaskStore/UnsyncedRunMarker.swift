/// Tells a start whether the run before it may have lost writes it acknowledged. Under
/// `--fsync everysec` or `never` a write is answered once the kernel has it, before it is on
/// disk. While such a run serves, `unsynced-run` in the data directory names the machine's boot;
/// a clean stop, with the WAL synced, removes it.
///
/// A start that finds it knows that run ended without syncing. If the machine has not restarted
/// since (the same boot id), the process died but the kernel kept its writes: nothing is lost.
/// Otherwise (power loss, a kernel crash) the last acknowledged changes may be gone, and their
/// `/sync` positions will be handed out again to other changes; so may they after a WAL that
/// failed, whose unsynced pages the kernel may have dropped. Then the history id is renewed,
/// and cursors from before get 410 instead of skipping the changes that reuse their positions.
struct UnsyncedRunMarker {
    static let fileName = "unsynced-run"
    let directory: String
    let fileSystem: any FileSystem

    private var path: String { "\(directory)/\(Self.fileName)" }

    /// Whether the run before may have lost writes it acknowledged: it left its marker, and on
    /// another boot than `currentBoot` (nil: unknown, which is taken for another). No marker:
    /// it stopped cleanly, or synced every write before answering; a marker of this boot: it
    /// died, but the kernel kept its writes.
    func previousRunMayHaveLostWrites(currentBoot: String?) throws(StorageError) -> Bool {
        guard fileSystem.fileExists(path) else { return false }
        let text = String(decoding: try fileSystem.readFile(path), as: UTF8.self)
        guard let currentBoot else { return true }
        return text != Self.contents(boot: currentBoot)
    }

    /// Says writes may be answered before they are synced, by a run on `boot`; nil says some
    /// may be lost whatever the boot (the WAL failed).
    func markUnsynced(boot: String?) throws(StorageError) {
        try fileSystem.replaceDurably(Self.fileName, in: directory, with: Array(Self.contents(boot: boot).utf8))
    }

    /// Says every write is durable.
    func clear() throws(StorageError) {
        guard fileSystem.fileExists(path) else { return }
        try fileSystem.remove(path)
        try fileSystem.syncDirectory(directory)
    }

    private static func contents(boot: String?) -> String { "boot \(boot ?? "unknown")\n" }
}

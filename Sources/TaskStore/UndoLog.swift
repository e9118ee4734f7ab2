/// What `apply` overwrote while the WAL had not yet acknowledged the events, so an actor can put
/// its state back when the WAL fails: the state then shows only acknowledged writes, and reads
/// keep working. Replay passes a log that does not record, at no cost.
public struct UndoLog<Entry>: Sendable where Entry: Sendable {
    public let isRecording: Bool
    /// The LSN of the event being applied; entries are tagged with it.
    var currentLSN: LSN = 0
    private(set) var entries: [(lsn: LSN, entry: Entry)] = []

    public init(recording: Bool) { isRecording = recording }

    var isEmpty: Bool { entries.isEmpty }

    mutating func record(_ entry: @autoclosure () -> Entry) {
        if isRecording { entries.append((currentLSN, entry())) }
    }

    /// Drops what the WAL has acknowledged: it can no longer be taken back.
    mutating func forget(through lsn: LSN) {
        guard let first = entries.firstIndex(where: { $0.lsn > lsn }) else {
            entries.removeAll(keepingCapacity: true)
            return
        }
        if first > 0 { entries.removeFirst(first) }
    }

    /// Removes and returns, newest first, the entries of events after `lsn`.
    mutating func takeEntries(after lsn: LSN) -> [Entry] {
        var undone: [Entry] = []
        while let last = entries.last, last.lsn > lsn {
            undone.append(last.entry)
            entries.removeLast()
        }
        return undone
    }
}

/// A state changed only by events that `apply` handles, live and in replay alike.
public protocol EventSourcedState: Sendable {
    associatedtype Event: Sendable
    associatedtype UndoEntry: Sendable
    var lastAppliedLSN: LSN { get }
    mutating func apply(_ event: Event, lsn: LSN, undo: inout UndoLog<UndoEntry>)
    mutating func rollBack(_ entries: [UndoEntry])
}

extension UserState: EventSourcedState {}
extension AccountsState: EventSourcedState {}

/// An actor's state together with the WAL that makes its changes durable: `commit` appends
/// events and applies them in one step, and `settle` keeps the state to what the WAL
/// acknowledged once the WAL has failed.
struct LoggedState<State: EventSourcedState> {
    private(set) var state: State
    private var undo = UndoLog<State.UndoEntry>(recording: true)
    private let wal: WriteAheadLog
    private let record: (State.Event) -> WALEvent

    init(_ state: State, wal: WriteAheadLog, record: @escaping (State.Event) -> WALEvent) {
        self.state = state
        self.wal = wal
        self.record = record
    }

    /// Appends `events` to the WAL and applies them; returns the LSN to await. No events: the
    /// LSN of the latest event, since the answer may show it.
    mutating func commit(_ events: [State.Event]) throws(StorageError) -> LSN {
        guard !events.isEmpty else { return state.lastAppliedLSN }
        let last = try wal.append(events.map(record))
        var lsn = last - LSN(events.count)
        for event in events {
            lsn += 1
            state.apply(event, lsn: lsn, undo: &undo)
        }
        return last
    }

    /// Forgets undo entries the WAL acknowledged; after a WAL failure, takes back the events it
    /// never acknowledged, so the state shows only what a restart would show.
    mutating func settle() {
        guard !undo.isEmpty else { return }
        let (acknowledged, failed) = wal.acknowledgement
        if failed { state.rollBack(undo.takeEntries(after: acknowledged)) }
        undo.forget(through: acknowledged)
    }
}

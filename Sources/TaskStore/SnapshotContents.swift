/// Everything a snapshot holds: the state of every actor, and the LSN read before any was copied.
struct SnapshotContents: Sendable {
    /// Every event at or below this LSN is in the states; recovery replays from the next one.
    var startLSN: LSN
    var accounts: AccountsState
    var users: [UserState]

    /// The newest event any state holds: the WAL must be durable up to it before publishing.
    var highestLSN: LSN { users.reduce(max(startLSN, accounts.lastAppliedLSN)) { max($0, $1.lastAppliedLSN) } }
}

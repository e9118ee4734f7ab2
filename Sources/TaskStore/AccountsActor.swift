/// Owns users, emails and refresh-token families: what is unique or looked up across users.
public actor AccountsActor {
    private var logged: LoggedState<AccountsState>
    private var state: AccountsState { logged.state }
    private let clock: @Sendable () -> Timestamp
    /// Told of each registration as it is committed; a registration the WAL then fails to
    /// write stays in it, harmlessly: nobody can log in as that user.
    private let registered: RegisteredUsers
    private var expiries: RefreshFamilyExpiries
    /// Expired families ended per login, refresh or logout: enough to keep up with any rate of
    /// logins, few enough that no answer waits on a long sweep.
    static let expiredFamiliesEndedPerCommand = 64

    init(state: AccountsState, wal: WriteAheadLog, registered: RegisteredUsers, clock: @escaping @Sendable () -> Timestamp) {
        logged = LoggedState(state, wal: wal, record: { .account($0) })
        expiries = RefreshFamilyExpiries(state.families.values)
        self.registered = registered
        self.clock = clock
    }

    public func read<Value: Sendable>(_ body: (AccountsState) throws -> Value) rethrows -> Committed<Value> {
        logged.settle()
        return Committed(value: try body(state), lsn: state.lastAppliedLSN)
    }

    /// `email` must already be trimmed and lower-cased.
    public func register(email: String, passwordHash: String, fullName: String?) throws -> Committed<UserRecord> {
        logged.settle()
        let (user, events) = try state.register(email: email, passwordHash: passwordHash, fullName: fullName, decided: decided())
        let lsn = try logged.commit(events)
        registered.insert(user.id)
        return Committed(value: user, lsn: lsn)
    }

    /// Starts a login's token family with its first refresh token.
    public func startRefreshFamily(for userID: UserID, digest: TokenDigest, expiresAt: Timestamp) throws -> Committed<Void> {
        logged.settle()
        let decided = decided()
        let events = state.startRefreshFamily(for: userID, digest: digest, expiresAt: expiresAt, decided: decided)
        return Committed(value: (), lsn: try commitEndingExpiredFamilies(events, now: decided.now))
    }

    public func rotateRefreshToken(presented: TokenDigest, next: TokenDigest, expiresAt: Timestamp) throws -> Committed<RefreshOutcome> {
        logged.settle()
        let decided = decided()
        let (outcome, events) = state.rotateRefreshToken(presented: presented, next: next, expiresAt: expiresAt, decided: decided)
        return Committed(value: outcome, lsn: try commitEndingExpiredFamilies(events, now: decided.now))
    }

    /// Returns whether a current token's family was revoked.
    public func revokeRefreshToken(presented: TokenDigest) throws -> Committed<Bool> {
        logged.settle()
        let events = state.revokeRefreshToken(presented: presented)
        return Committed(value: !events.isEmpty, lsn: try commitEndingExpiredFamilies(events, now: clock()))
    }

    /// Commits a family command's events with the revocation of families that expired by
    /// `now`: an expired family answers every token of it as an unknown one would, so it is
    /// dropped rather than kept in memory and snapshots for good.
    private func commitEndingExpiredFamilies(_ events: [AccountEvent], now: Timestamp) throws(StorageError) -> LSN {
        let expired = expiries.expired(at: now, in: state, limit: Self.expiredFamiliesEndedPerCommand)
        let lsn = try logged.commit(events + expired.map { .refreshFamilyRevoked($0) })
        for event in events {
            switch event {
            case .refreshFamilyStarted(let id, _, _, let expiresAt), .refreshTokenRotated(let id, _, let expiresAt):
                expiries.add(id, expiresAt: expiresAt)
            case .userRegistered, .refreshFamilyRevoked:
                break
            }
        }
        // Families revoked or rotated before they expire leave entries behind until then;
        // dropped once they outnumber the live families, the list stays about their size.
        if expiries.count > 2 * state.families.count + 1024 { expiries.dropStale(in: state) }
        return lsn
    }

    /// Entries the list of expiries holds, stale ones included (for tests of its bound).
    var expiryEntries: Int { expiries.count }

    func snapshotState() -> AccountsState {
        logged.settle()
        return state
    }

    private func decided() -> DecidedValues { DecidedValues(now: clock()) }
}

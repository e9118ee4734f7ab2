/// Owns users, emails and refresh-token families: what is unique or looked up across users.
public actor AccountsActor {
    private var logged: LoggedState<AccountsState>
    private var state: AccountsState { logged.state }
    private let clock: @Sendable () -> Timestamp
    /// Told of each registration as it is committed; a registration the WAL then fails to
    /// write stays in it, harmlessly: nobody can log in as that user.
    private let registered: RegisteredUsers

    init(state: AccountsState, wal: WriteAheadLog, registered: RegisteredUsers, clock: @escaping @Sendable () -> Timestamp) {
        logged = LoggedState(state, wal: wal, record: { .account($0) })
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
        return Committed(value: (), lsn: try logged.commit(state.startRefreshFamily(for: userID, digest: digest, expiresAt: expiresAt, decided: decided())))
    }

    public func rotateRefreshToken(presented: TokenDigest, next: TokenDigest, expiresAt: Timestamp) throws -> Committed<RefreshOutcome> {
        logged.settle()
        let (outcome, events) = state.rotateRefreshToken(presented: presented, next: next, expiresAt: expiresAt, decided: decided())
        return Committed(value: outcome, lsn: try logged.commit(events))
    }

    /// Returns whether a current token's family was revoked.
    public func revokeRefreshToken(presented: TokenDigest) throws -> Committed<Bool> {
        logged.settle()
        let events = state.revokeRefreshToken(presented: presented)
        return Committed(value: !events.isEmpty, lsn: try logged.commit(events))
    }

    func snapshotState() -> AccountsState {
        logged.settle()
        return state
    }

    private func decided() -> DecidedValues { DecidedValues(now: clock()) }
}

/// When each refresh-token family expires, soonest first, so expired families can be ended a
/// few at a time instead of by scanning them all. A rotation adds its family again with its
/// new expiry; the entry it leaves behind is skipped when it comes due.
struct RefreshFamilyExpiries {
    private var entries: [(expiresAt: Timestamp, id: RefreshFamilyID)]
    /// Entries before it were dealt with; they are cut off once they are half the array.
    private var next = 0

    init(_ families: some Collection<RefreshTokenFamily>) {
        entries = families.map { ($0.expiresAt, $0.id) }.sorted { $0.expiresAt < $1.expiresAt }
    }

    /// Entries not yet dealt with, stale ones included.
    var count: Int { entries.count - next }

    mutating func add(_ id: RefreshFamilyID, expiresAt: Timestamp) {
        // With one TTL and a clock that goes forward, every expiry is the latest yet.
        guard let last = entries.last, last.expiresAt > expiresAt else {
            entries.append((expiresAt, id))
            return
        }
        var low = next
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].expiresAt <= expiresAt { low = middle + 1 } else { high = middle }
        }
        entries.insert((expiresAt, id), at: low)
    }

    /// Keeps one entry per live family, the one that gives its expiry: those of families
    /// revoked or rotated since would otherwise stay until they come due. One pass, order kept.
    mutating func dropStale(in state: AccountsState) {
        var kept = Set<RefreshFamilyID>(minimumCapacity: state.families.count)
        entries = entries[next...].filter { entry in
            state.families[entry.id]?.expiresAt == entry.expiresAt && kept.insert(entry.id).inserted
        }
        next = 0
    }

    /// Up to `limit` families of `state` that expired at `now`, each once.
    mutating func expired(at now: Timestamp, in state: AccountsState, limit: Int) -> [RefreshFamilyID] {
        var expired: [RefreshFamilyID] = []
        while next < entries.count, expired.count < limit, entries[next].expiresAt <= now {
            let id = entries[next].id
            next += 1
            if let family = state.families[id], family.expiresAt <= now, !expired.contains(id) { expired.append(id) }
        }
        if next > 1024, next * 2 > entries.count {
            entries.removeFirst(next)
            next = 0
        }
        return expired
    }
}

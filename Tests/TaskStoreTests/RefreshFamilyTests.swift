import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A login's refresh-token family is kept only while one of its tokens can still be exchanged:
/// revoked and expired families answer every token as unknown ones do, so they are dropped,
/// and memory does not grow with every login and refresh a server ever saw.
@Suite struct RefreshFamilyTests {
    private static let day: Int64 = 86_400

    private static func openWithOneUser(_ fixture: StoreFixture) async throws -> (TaskStore, AccountsActor, UserRecord) {
        let store = try fixture.open()
        let user = try await store.acknowledged(await store.accounts.register(email: "a@example.com", passwordHash: "h", fullName: nil))
        return (store, store.accounts, user)
    }

    @Test func aLogoutDropsTheFamilyWithEveryTokenItIssuedAlsoAfterARestart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, accounts, user) = try await Self.openWithOneUser(fixture)
        let expiry = fixture.clock.now().adding(seconds: 30 * Self.day)
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1), expiresAt: expiry))
        let rotated = try await store.acknowledged(await accounts.rotateRefreshToken(presented: TokenDigest.repeating(1), next: TokenDigest.repeating(2), expiresAt: expiry))
        #expect(rotated == .rotated(user.id))

        #expect(try await store.acknowledged(await accounts.revokeRefreshToken(presented: TokenDigest.repeating(2))))
        let state = try await store.acknowledged(await accounts.read { $0 })
        #expect(state.families.isEmpty && state.familyIDByDigest.isEmpty)
        #expect(try await store.acknowledged(await accounts.revokeRefreshToken(presented: TokenDigest.repeating(1))) == false)
        for presented in [TokenDigest.repeating(1), TokenDigest.repeating(2)] {
            let outcome = try await store.acknowledged(await accounts.rotateRefreshToken(presented: presented, next: TokenDigest.repeating(3), expiresAt: expiry))
            #expect(outcome == .invalid)
        }
        await store.close()

        let reopened = try fixture.open()
        let replayed = try await reopened.acknowledged(await reopened.accounts.read { $0 })
        #expect(replayed.families.isEmpty && replayed.familyIDByDigest.isEmpty)
        #expect(replayed.users[user.id] != nil)
        await reopened.close()
    }

    /// A token the family has rotated away from, presented again, ends the login so that its
    /// current token stops working: to a refresh as theft, and to a logout as the old service's
    /// logout revoked the family of any token it found.
    @Test(arguments: [false, true])
    func aRetiredTokenPresentedAgainDropsTheFamilySoItsCurrentTokenStopsWorking(byLogout: Bool) async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, accounts, user) = try await Self.openWithOneUser(fixture)
        let expiry = fixture.clock.now().adding(seconds: 30 * Self.day)
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1), expiresAt: expiry))
        _ = try await store.acknowledged(await accounts.rotateRefreshToken(presented: TokenDigest.repeating(1), next: TokenDigest.repeating(2), expiresAt: expiry))

        if byLogout {
            #expect(try await store.acknowledged(await accounts.revokeRefreshToken(presented: TokenDigest.repeating(1))))
        } else {
            let reused = try await store.acknowledged(await accounts.rotateRefreshToken(presented: TokenDigest.repeating(1), next: TokenDigest.repeating(3), expiresAt: expiry))
            #expect(reused == .reuseDetected)
        }
        let current = try await store.acknowledged(await accounts.rotateRefreshToken(presented: TokenDigest.repeating(2), next: TokenDigest.repeating(4), expiresAt: expiry))
        #expect(current == .invalid)
        #expect(try await store.acknowledged(await accounts.read { $0.families.count + $0.familyIDByDigest.count }) == 0)
        await store.close()
    }

    /// Families end when a later login, refresh or logout finds them expired, and a rotation
    /// keeps its family alive past its first expiry.
    @Test func expiredFamiliesAreEndedByLaterLoginsAndStayEndedAfterARestart() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, accounts, user) = try await Self.openWithOneUser(fixture)
        let start = fixture.clock.now()
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1), expiresAt: start.adding(seconds: 10)))
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(2), expiresAt: start.adding(seconds: 10)))
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(3), expiresAt: start.adding(seconds: 1000)))
        let extended = try await store.acknowledged(
            await accounts.rotateRefreshToken(presented: TokenDigest.repeating(2), next: TokenDigest.repeating(4), expiresAt: start.adding(seconds: 100)))
        #expect(extended == .rotated(user.id))

        fixture.clock.advance(seconds: 20)
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(5), expiresAt: start.adding(seconds: 1000)))
        let live = try await store.acknowledged(await accounts.read { $0 })
        #expect(Set(live.familyIDByDigest.keys) == [TokenDigest.repeating(2), TokenDigest.repeating(3), TokenDigest.repeating(4), TokenDigest.repeating(5)])
        #expect(live.families.count == 3)

        fixture.clock.advance(seconds: 100)
        #expect(try await store.acknowledged(await accounts.revokeRefreshToken(presented: TokenDigest.repeating(9))) == false)
        let afterLogout = try await store.acknowledged(await accounts.read { $0 })
        #expect(Set(afterLogout.familyIDByDigest.keys) == [TokenDigest.repeating(3), TokenDigest.repeating(5)])
        await store.close()

        let reopened = try fixture.open()
        #expect(try await reopened.acknowledged(await reopened.accounts.read { $0 }) == afterLogout)
        await reopened.close()
    }

    /// However many families expired, one command ends a bounded number of them, so no login
    /// waits on a long sweep; the next ones end the rest.
    @Test func eachCommandEndsABoundedNumberOfExpiredFamilies() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, accounts, user) = try await Self.openWithOneUser(fixture)
        let limit = AccountsActor.expiredFamiliesEndedPerCommand
        let expiry = fixture.clock.now().adding(seconds: 10)
        for n in 1...(limit + 10) {
            _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(UInt64(n)), expiresAt: expiry))
        }
        fixture.clock.advance(seconds: 20)
        let later = fixture.clock.now().adding(seconds: 30 * Self.day)

        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1000), expiresAt: later))
        #expect(try await store.acknowledged(await accounts.read { $0.families.count }) == 11)
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1001), expiresAt: later))
        #expect(try await store.acknowledged(await accounts.read { $0.families.count }) == 2)
        await store.close()
    }

    /// Logins that end in a logout, and refreshes, leave entries in the list of expiries that
    /// come due only a TTL later; the list is rebuilt before they outgrow the live families.
    @Test func theListOfExpiriesStaysTheSizeOfTheLiveFamilies() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, accounts, user) = try await Self.openWithOneUser(fixture)
        let expiry = fixture.clock.now().adding(seconds: 30 * Self.day)
        _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(100_000), expiresAt: expiry))
        for n in 1...1500 {
            _ = try await store.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(UInt64(n)), expiresAt: expiry))
            _ = try await store.acknowledged(await accounts.revokeRefreshToken(presented: TokenDigest.repeating(UInt64(n))))
            _ = try await store.acknowledged(
                await accounts.rotateRefreshToken(presented: TokenDigest.repeating(UInt64(n - 1) + 100_000), next: TokenDigest.repeating(UInt64(n) + 100_000), expiresAt: expiry))
        }
        #expect(try await store.acknowledged(await accounts.read { $0.families.count }) == 1)
        #expect(await accounts.expiryEntries <= 2 + 1024)
        await store.close()
    }

    /// A store opened on a snapshot ends the families in it that expired, as well as those
    /// started since.
    @Test func familiesFromASnapshotExpireToo() async throws {
        let fixture = StoreFixture()
        defer { fixture.directory.remove() }
        let (store, _, user) = try await Self.openWithOneUser(fixture)
        let start = fixture.clock.now()
        _ = try await store.acknowledged(await store.accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(1), expiresAt: start.adding(seconds: 10)))
        try await store.snapshotNow()
        await store.close()

        fixture.clock.advance(seconds: 20)
        let reopened = try fixture.open()
        let accounts = reopened.accounts
        #expect(try await reopened.acknowledged(await accounts.read { $0.families.count }) == 1)
        _ = try await reopened.acknowledged(await accounts.startRefreshFamily(for: user.id, digest: TokenDigest.repeating(2), expiresAt: start.adding(seconds: 1000)))
        #expect(try await reopened.acknowledged(await accounts.read { Array($0.familyIDByDigest.keys) }) == [TokenDigest.repeating(2)])
        await reopened.close()
    }

    /// Builds before this one kept revoked families in their snapshots; reading one drops them.
    @Test func aRevokedFamilyInAnOlderSnapshotIsDroppedOnLoad() throws {
        func decodedFamilies(revoked: Bool) throws -> AccountsState {
            var w = BinaryWriter()
            w.write(UInt8(3))  // a family record
            w.write(RefreshFamilyID())
            w.write(UserID())
            w.write(TokenDigest.repeating(2))
            w.write(varint: 1)
            w.write(TokenDigest.repeating(1))
            w.write(Timestamp(milliseconds: 4_000_000_000_000))
            w.write(revoked)
            var decoder = SnapshotCodec.Decoder()
            try w.bytes.withUnsafeBytes { buffer in
                var r = BinaryReader(buffer)
                try decoder.decode(&r)
                #expect(r.isAtEnd)
            }
            return decoder.accounts
        }
        let live = try decodedFamilies(revoked: false)
        #expect(live.families.count == 1 && live.familyIDByDigest.count == 2)
        let revoked = try decodedFamilies(revoked: true)
        #expect(revoked.families.isEmpty && revoked.familyIDByDigest.isEmpty)
    }

    /// As in the old service, a refresh token works while the time is before its expiry, to
    /// the millisecond; at the expiry it is refused and nothing is written.
    @Test func aRefreshTokenWorksUntilTheMillisecondItsFamilyExpires() {
        var state = AccountsState()
        var undo = UndoLog<AccountsUndoEntry>(recording: false)
        let (user, expiry) = (UserID(), Timestamp(milliseconds: 1_800_000_000_000))
        state.apply(.refreshFamilyStarted(RefreshFamilyID(), userID: user, digest: TokenDigest.repeating(1), expiresAt: expiry), lsn: 1, undo: &undo)
        func rotate(at milliseconds: Int64) -> (RefreshOutcome, [AccountEvent]) {
            state.rotateRefreshToken(
                presented: TokenDigest.repeating(1), next: TokenDigest.repeating(2), expiresAt: expiry.adding(seconds: 30 * Self.day),
                decided: DecidedValues(now: Timestamp(milliseconds: milliseconds)))
        }
        #expect(rotate(at: expiry.milliseconds - 1).0 == .rotated(user))
        let atExpiry = rotate(at: expiry.milliseconds)
        #expect(atExpiry.0 == .invalid && atExpiry.1.isEmpty)
    }
}

@Suite struct RefreshFamilyExpiriesTests {
    /// Thousands of families, added out of order, some rotated, and ended a hundred at a time
    /// (the list cuts off what it dealt with as it goes): each one ends once, none before its time.
    @Test func everyFamilyEndsOnceAndNotBeforeItExpires() {
        var state = AccountsState()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<3000 {
            let family = RefreshTokenFamily(
                id: RefreshFamilyID(), userID: UserID(), currentDigest: TokenDigest(words: (0, 0, 0, 0)), retiredDigests: [],
                expiresAt: Timestamp(milliseconds: Int64.random(in: 1...1000, using: &generator)))
            state.families[family.id] = family
        }
        var expiries = RefreshFamilyExpiries(state.families.values.prefix(1000))
        for family in state.families.values.dropFirst(1000) { expiries.add(family.id, expiresAt: family.expiresAt) }
        for id in state.families.keys.prefix(500) {  // rotated: each leaves a stale entry behind
            state.families[id]!.expiresAt = state.families[id]!.expiresAt.adding(seconds: 1)
            expiries.add(id, expiresAt: state.families[id]!.expiresAt)
        }
        #expect(expiries.count == 3500)
        expiries.dropStale(in: state)
        #expect(expiries.count == 3000)

        var ended: [RefreshFamilyID] = []
        for now in stride(from: 0, through: 2000, by: 50) {
            let clock = Timestamp(milliseconds: Int64(now))
            while case let batch = expiries.expired(at: clock, in: state, limit: 100), !batch.isEmpty {
                #expect(batch.allSatisfy { state.families[$0]!.expiresAt <= clock })
                ended += batch
            }
            #expect(ended.count == state.families.values.filter { $0.expiresAt <= clock }.count)
            // Dropping stale entries once some were dealt with starts the list over at what is left.
            if now == 500 { expiries.dropStale(in: state) }
        }
        #expect(Set(ended).count == 3000 && ended.count == 3000)
    }

    /// A family rotated in the millisecond it started is listed twice at one expiry, and its
    /// revocation must still be committed once.
    @Test func aFamilyListedTwiceAtOneExpiryEndsOnce() {
        var state = AccountsState()
        let family = RefreshTokenFamily(
            id: RefreshFamilyID(), userID: UserID(), currentDigest: TokenDigest(words: (0, 0, 0, 0)), retiredDigests: [],
            expiresAt: Timestamp(milliseconds: 10))
        state.families[family.id] = family
        var expiries = RefreshFamilyExpiries([family])
        expiries.add(family.id, expiresAt: family.expiresAt)
        #expect(expiries.count == 2)
        #expect(expiries.expired(at: Timestamp(milliseconds: 10), in: state, limit: 100) == [family.id])
        #expect(expiries.count == 0)
    }
}

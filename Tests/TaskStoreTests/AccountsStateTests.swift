import Foundation
import Testing
@testable import TaskStore

/// `AccountsState.apply` and its undo, without an actor or a WAL.
@Suite struct AccountsStateTests {
    private static let expiry = Timestamp(milliseconds: 4_000_000_000_000)
    private var state = AccountsState()
    private var undo = UndoLog<AccountsUndoEntry>(recording: true)
    private var lsn: LSN = 0
    private let family = RefreshFamilyID()

    private mutating func apply(_ events: AccountEvent...) {
        for event in events {
            lsn += 1
            state.apply(event, lsn: lsn, undo: &undo)
        }
    }

    private mutating func rotate(to word: UInt64, expiresAt: Timestamp = Self.expiry) {
        apply(.refreshTokenRotated(family, digest: .repeating(word), expiresAt: expiresAt))
    }

    /// A family refreshed without pause keeps every digest it retired, so a rotation must not
    /// copy them: with the undo log holding the family as it was, each one did, and a login
    /// refreshed 100,000 times made every refresh of every user wait on a 3 MB copy.
    @Test mutating func aRotationAppendsToTheRetiredDigestsInPlaceWhileTheUndoLogRecords() {
        apply(.refreshFamilyStarted(family, userID: UserID(), digest: .repeating(0), expiresAt: Self.expiry))
        var word: UInt64 = 1
        while state.families[family]!.retiredDigests.capacity == state.families[family]!.retiredDigests.count {
            rotate(to: word)
            word += 1
        }
        func storage(_ state: AccountsState) -> UnsafeRawPointer? {
            state.families[family]!.retiredDigests.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        let before = storage(state)
        rotate(to: word)

        #expect(storage(state) == before, "the retired digests were copied")
        #expect(state.families[family]!.retiredDigests.last == .repeating(word - 1))
        #expect(state.families[family]!.currentDigest == .repeating(word))
    }

    @Test mutating func rollingBackRotationsPutsBackEachDigestAndExpiryInOrder() {
        apply(
            .userRegistered(UserRecord(id: UserID(), email: "a@example.com", passwordHash: "h", fullName: nil, createdAt: Timestamp(milliseconds: 0))),
            .refreshFamilyStarted(family, userID: UserID(), digest: .repeating(0), expiresAt: Self.expiry))
        rotate(to: 1)
        let before = state
        rotate(to: 2, expiresAt: Self.expiry.adding(seconds: 10))
        rotate(to: 3, expiresAt: Self.expiry.adding(seconds: 20))
        apply(.refreshFamilyRevoked(family))
        #expect(state.families.isEmpty)

        state.rollBack(undo.takeEntries(after: before.lastAppliedLSN))
        #expect(state == before)
        #expect(state.families[family]?.retiredDigests == [.repeating(0)])
        #expect(state.familyIDByDigest[.repeating(2)] == nil)
    }
}

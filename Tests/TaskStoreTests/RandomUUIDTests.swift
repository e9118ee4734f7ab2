import Foundation
import Testing
@testable import TaskStore

@Suite struct RandomUUIDTests {
    /// Across several refills of the pool: every id distinct, each a well-formed version 4.
    @Test func idsAreDistinctVersion4UUIDs() {
        let ids = (0..<20_000).map { _ in RandomUUID.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 4, "version 4")
            #expect(id.uuid.8 >> 6 == 0b10, "RFC 4122 variant")
        }
        // Random bits really vary: each of the 122 random bits is set in some ids and clear in others.
        var seenSet = [Bool](repeating: false, count: 128)
        var seenClear = [Bool](repeating: false, count: 128)
        for id in ids.prefix(2000) {
            withUnsafeBytes(of: id.uuid) { bytes in
                for bit in 0..<128 where bytes[bit / 8] >> (bit % 8) & 1 == 1 { seenSet[bit] = true }
                for bit in 0..<128 where bytes[bit / 8] >> (bit % 8) & 1 == 0 { seenClear[bit] = true }
            }
        }
        #expect(zip(seenSet, seenClear).filter { $0 && $1 }.count == 122)
    }

    /// Without /dev/urandom (a chroot without it), ids come from Foundation: still distinct v4s.
    @Test func withoutItsSourceThePoolFallsBackToFoundation() {
        var pool = RandomUUID.Pool(source: "/nonexistent/urandom")
        let ids = (0..<1000).map { _ in pool.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.uuid.6 >> 4 == 4 && $0.uuid.8 >> 6 == 0b10 })
    }
}

import Foundation
import TaskStoreTestSupport
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

    /// A read may give fewer bytes than asked (a signal; here a pipe written in pieces): the
    /// pool reads until it has all 4 KiB, and every id is made of bytes the source gave.
    @Test func aSourceThatGivesItsBytesInPiecesStillFillsThePool() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let fifo = directory.file("urandom")
        try #require(mkfifo(fifo, 0o600) == 0)
        let source = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        async let sent = SeparateThread.run { () -> Bool in
            // A pool that stopped reading early closes the pipe on the rest: let this thread's
            // write fail with EPIPE instead of the signal ending the test run.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            let fd = open(fifo, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            for start in stride(from: 0, to: source.count, by: 100) {
                let piece = Array(source[start..<min(start + 100, source.count)])
                guard write(fd, piece, piece.count) == piece.count else { return false }
                usleep(500)
            }
            return true
        }
        // 256 ids of 16 bytes: exactly one refill, so the pool opens the pipe once.
        let ids = await SeparateThread.run {
            var pool = RandomUUID.Pool(source: fifo)
            return (0..<256).map { _ in pool.next() }
        }
        #expect(await sent, "the pool read all the source wrote")
        let expected = stride(from: 0, to: source.count, by: 16).map { start in
            var bytes = Array(source[start..<start + 16])
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
            return bytes
        }
        let read = ids.map { id in withUnsafeBytes(of: id.uuid) { Array($0) } }
        let firstWrong = read.indices.first { read[$0] != expected[$0] }
        #expect(read.count == expected.count && firstWrong == nil, "id \(firstWrong ?? -1) is not made of the source's bytes")
    }
}

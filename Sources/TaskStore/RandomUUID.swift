import Foundation
import Synchronization

/// Version-4 UUIDs from the kernel's CSPRNG, read 4 KiB at a time. Foundation's `UUID()` asks
/// the kernel for each id's 16 bytes on its own, and that was 5% of a task create.
public enum RandomUUID {
    private static let pool = Mutex(Pool())

    public static func next() -> UUID { pool.withLock { $0.next() } }

    struct Pool {
        private let source: String
        private var bytes = [UInt8](repeating: 0, count: 4096)
        private var offset = 4096

        init(source: String = "/dev/urandom") { self.source = source }

        mutating func next() -> UUID {
            if offset == bytes.count { refill() }
            defer { offset += 16 }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            bytes.withUnsafeBytes { source in
                withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + 16])) }
            }
            uuid.6 = (uuid.6 & 0x0F) | 0x40  // version 4
            uuid.8 = (uuid.8 & 0x3F) | 0x80  // RFC 4122 variant
            return UUID(uuid: uuid)
        }

        private mutating func refill() {
            let filled = bytes.withUnsafeMutableBytes { buffer in
                let fd = open(source, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { return false }
                defer { close(fd) }
                var done = 0
                while done < buffer.count {
                    let count = read(fd, buffer.baseAddress! + done, buffer.count - done)
                    if count <= 0 { return false }
                    done += count
                }
                return true
            }
            // No /dev/urandom (a chroot without it): Foundation's ids, one at a time, are as good.
            if !filled {
                for start in stride(from: 0, to: bytes.count, by: 16) {
                    withUnsafeBytes(of: UUID().uuid) { bytes.replaceSubrange(start..<start + 16, with: $0) }
                }
            }
            offset = 0
        }
    }
}

import Foundation
import Synchronization

/// A log line's time to the second, formatted once a second rather than once a line (localtime_r
/// takes glibc's time zone lock, and strftime is not free either).
final class SecondStamp: Sendable {
    /// `2026-11-27T12:00:00+0000`, in the local time zone: text lines.
    static let local = SecondStamp(format: "%Y-%m-%dT%H:%M:%S%z", utc: false)
    /// `2026-11-27T12:00:00`, in UTC: JSON lines add the milliseconds and `Z`.
    static let utc = SecondStamp(format: "%Y-%m-%dT%H:%M:%S", utc: true)

    private let format: String
    private let utc: Bool
    private let last = Mutex<(second: time_t, text: [UInt8])>((-1, []))

    init(format: String, utc: Bool) {
        self.format = format
        self.utc = utc
    }

    func text(for second: time_t) -> [UInt8] {
        if let cached = last.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        var second = second
        var parts = tm()
        guard (utc ? gmtime_r(&second, &parts) : localtime_r(&second, &parts)) != nil else { return Array("<unknown>".utf8) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, format, &parts)
        let text = buffer[..<count].map { UInt8(bitPattern: $0) }
        last.withLock { $0 = (second, text) }
        return text
    }
}

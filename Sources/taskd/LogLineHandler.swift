import Foundation
import Logging
import Synchronization

/// taskd's log lines on standard error, one write(2) each so lines from different threads never
/// interleave. `text` is swift-log's `StreamLogHandler` format; `json` (`--log-format json`) is one
/// object a line with time, level, label, message and every metadata value, for log shippers.
///
/// Metadata is formatted when a line is written: Hummingbird sets a request id on every request's
/// logger, and StreamLogHandler formatted its metadata on every set, 4% of a `GET /tasks/{id}`
/// spent on lines that, at the usual levels, were never printed.
struct LogLineHandler: LogHandler {
    enum Format: String {
        case text, json
    }

    let label: String
    let format: Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error { merged["error.message"] = "\(error)" }
        var line = format == .json ? jsonLine(event, merged) : textLine(event, merged)
        line.append(0x0A)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Appended into one buffer: building it from interpolated, joined strings, with the time
    /// formatted anew each line, was most of what a request's line cost at the default level.
    private func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += Self.localTimestamp()
        line.append(0x20)
        line += event.level.rawValue.utf8
        line.append(0x20)
        line += label.utf8
        line.append(UInt8(ascii: ":"))
        for key in metadata.keys.sorted() {
            line.append(0x20)
            line += key.utf8
            line.append(UInt8(ascii: "="))
            line += metadata[key]!.description.utf8
        }
        line += " [".utf8
        line += event.source.utf8
        line += "] ".utf8
        line += event.message.description.utf8
        return line
    }

    private func jsonLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        object["time"] = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        let line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return line.map { Array($0) } ?? Array(#"{"message":"unencodable log line"}"#.utf8)
    }

    /// The local time to the second, as `2026-11-27T12:00:00+0000`; made once a second, since
    /// localtime_r takes glibc's time zone lock.
    private static func localTimestamp() -> [UInt8] {
        var now = time(nil)
        if let cached = lastTimestamp.withLock({ $0.second == now ? $0.text : nil }) { return cached }
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return Array("<unknown>".utf8) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = buffer[..<count].map { UInt8(bitPattern: $0) }
        lastTimestamp.withLock { $0 = (now, text) }
        return text
    }

    private static let lastTimestamp = Mutex<(second: time_t, text: [UInt8])>((-1, []))
}

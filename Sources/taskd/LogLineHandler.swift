import Foundation
import Logging

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

    private func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        let pretty = metadata.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        return Array("\(Self.localTimestamp()) \(event.level) \(label):\(pretty) [\(event.source)] \(event.message)".utf8)
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

    private static func localTimestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

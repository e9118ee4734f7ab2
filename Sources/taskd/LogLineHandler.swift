import Foundation
import Logging

/// taskd's log lines on standard error, each handed whole to `LogOutput`, so lines from
/// different threads never interleave. `text` is swift-log's `StreamLogHandler` format; `json` (`--log-format json`) is one
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
    var output = LogOutput.standardError
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
        output.write(line, immediately: event.level >= .warning)
    }

    /// Appended into one buffer: building it from interpolated, joined strings, with the time
    /// formatted anew each line, was most of what a request's line cost at the default level.
    private func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += SecondStamp.local.text(for: time(nil))
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

    /// Keys in order, every value a string; time in UTC to the millisecond. Written by hand:
    /// through JSONSerialization and Date.formatted a request's line took two thirds of what a
    /// `GET /tasks/{id}` costs.
    private func jsonLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let time = SecondStamp.utc.text(for: now.tv_sec) + Self.millisecondsAndZone(nanoseconds: now.tv_nsec)
        // The line's own fields win over metadata of the same name.
        var entries: [(key: String, value: [UInt8])] = metadata.compactMap { Self.ownFields.contains($0.key) ? nil : ($0.key, Array($0.value.description.utf8)) }
        entries += [("time", time), ("level", Array(event.level.rawValue.utf8)), ("label", Array(label.utf8)), ("message", Array(event.message.description.utf8))]
        var line: [UInt8] = []
        line.reserveCapacity(320)
        line.append(UInt8(ascii: "{"))
        for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendJSONString(entry.key.utf8, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendJSONString(entry.value, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        return line
    }

    private static let ownFields: Set<String> = ["time", "level", "label", "message"]

    /// ".042Z": always three digits (the milliseconds after 1000 + them drop its leading 1).
    static func millisecondsAndZone(nanoseconds: Int) -> [UInt8] {
        Array(".\(String(1000 + nanoseconds / 1_000_000).dropFirst())Z".utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest (any UTF-8)
    /// as it is, `/` included, as JSONSerialization wrote it with `.withoutEscapingSlashes`.
    static func appendJSONString(_ text: some Sequence<UInt8>, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): line += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): line += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: line += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: line += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: line += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: line += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: line += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                line += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }
}

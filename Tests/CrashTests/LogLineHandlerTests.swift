import Foundation
import Logging
import TaskStoreTestSupport
import Testing

@testable import taskd

struct LogLineHandlerTests {
    /// A handler writing to a file of its own, already buffering as a serving process is.
    private struct Capture {
        let directory = TemporaryDirectory()
        let handler: LogLineHandler

        init(format: LogLineHandler.Format) throws {
            let fd = open(directory.file("log"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            try #require(fd >= 0)
            var handler = LogLineHandler(label: "taskd", format: format)
            handler.output = LogOutput(fd: fd)
            handler.output.startBuffering()
            self.handler = handler
        }

        func log(_ level: Logger.Level, _ message: Logger.Message, error: (any Error)? = nil, metadata: Logger.Metadata = [:]) {
            handler.log(event: LogEvent(level: level, message: message, error: error, metadata: metadata, source: "Tests", file: #fileID, function: #function, line: #line))
        }

        var written: String { (try? String(contentsOfFile: directory.file("log"), encoding: .utf8)) ?? "" }
    }

    /// A warning is out before the call returns, with what was gathered before it (an info
    /// line waits up to 2 ms for the writer thread).
    @Test func warningsAreWrittenAtOnce() throws {
        let capture = try Capture(format: .text)
        defer { capture.directory.remove() }
        capture.log(.info, "gathered")
        capture.log(.warning, "at once")
        #expect(capture.written.contains("gathered") && capture.written.contains("at once"))
    }

    /// Metadata named like a line's own field does not replace it, nor make a second key.
    @Test func aJSONLinesOwnFieldsWinOverMetadataOfTheirNames() throws {
        let capture = try Capture(format: .json)
        defer { capture.directory.remove() }
        capture.log(.warning, "the message", metadata: ["message": "spoofed", "level": "spoofed", "time": "spoofed", "label": "spoofed", "route": "/tasks"])
        let line = capture.written
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == "the message" && object["level"] == "warning" && object["label"] == "taskd" && object["route"] == "/tasks")
        #expect(object["time"]?.hasSuffix("Z") == true && !line.contains("spoofed"))
    }

    /// An error given with the event is a metadata value (`error.message`), in both formats.
    @Test func anEventsErrorIsWrittenAsErrorMessage() throws {
        struct DiskFull: Error, CustomStringConvertible { var description: String { "no space left on device" } }
        for format in [LogLineHandler.Format.text, .json] {
            let capture = try Capture(format: format)
            defer { capture.directory.remove() }
            capture.log(.error, "snapshot failed", error: DiskFull())
            let expected = format == .text ? "error.message=no space left on device" : #""error.message":"no space left on device""#
            #expect(capture.written.contains(expected), "\(capture.written)")
        }
    }

    @Test func millisecondsAreAlwaysThreeDigits() {
        for (nanoseconds, text) in [(0, ".000Z"), (42_000_000, ".042Z"), (999_999_999, ".999Z"), (5_500_000, ".005Z")] {
            #expect(String(decoding: LogLineHandler.millisecondsAndZone(nanoseconds: nanoseconds), as: UTF8.self) == text)
        }
    }

    @Test func jsonStringsReadBackAsWhatWasWritten() throws {
        let texts = ["plain", "quote \" and backslash \\", "lines\nand\rtabs\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}", "/path/ü/😀/\u{2028}", ""]
        for text in texts {
            var line: [UInt8] = []
            LogLineHandler.appendJSONString(text.utf8, to: &line)
            let read = try JSONSerialization.jsonObject(with: Data(line), options: .fragmentsAllowed) as? String
            #expect(read == text, "\(String(decoding: line, as: UTF8.self))")
        }
        var slash: [UInt8] = []
        LogLineHandler.appendJSONString("a/b".utf8, to: &slash)
        #expect(String(decoding: slash, as: UTF8.self) == #""a/b""#)
    }
}

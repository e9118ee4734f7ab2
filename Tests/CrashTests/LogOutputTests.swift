import Foundation
import TaskStoreTestSupport
import Testing

@testable import taskd

@Suite struct LogOutputTests {
    private func output(_ directory: TemporaryDirectory, bufferLimit: Int = 1 << 20) throws -> (LogOutput, path: String) {
        let path = directory.file("log")
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        return (LogOutput(fd: fd, bufferLimit: bufferLimit), path)
    }

    private func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Before buffering starts (start-up) every line is out at once; after, info lines gather
    /// and come out within moments, while a warning is out at once with what came before it.
    @Test func startUpLinesAndWarningsAreWrittenAtOnceOthersSoonAfter() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (output, path) = try output(directory)
        output.write(Array("starting\n".utf8), immediately: false)
        #expect(lines(path) == ["starting"])

        output.startBuffering()
        output.write(Array("request 1\n".utf8), immediately: false)
        output.write(Array("request 2\n".utf8), immediately: false)
        output.write(Array("a warning\n".utf8), immediately: true)
        #expect(lines(path) == ["starting", "request 1", "request 2", "a warning"])

        output.write(Array("request 3\n".utf8), immediately: false)
        let deadline = ContinuousClock.now + Patience.forWhatIsExpected
        while lines(path).count < 5 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(lines(path).last == "request 3", "the writer thread wrote it unasked")
        output.write(Array("request 4\n".utf8), immediately: false)
        output.flush()
        #expect(lines(path).last == "request 4")
    }

    /// A reader that falls behind (a pipe no one reads) holds back whoever logs past the
    /// buffer's limit, rather than the buffer growing without end; once the pipe is read, every
    /// line comes out.
    @Test func aFullPipeHoldsBackWhoeverLogsPastTheLimit() async throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        let output = LogOutput(fd: ends[1], bufferLimit: 512)
        output.startBuffering()
        // About 140 KiB: more than a pipe holds (64 KiB) and the buffer's 512 bytes together.
        let lines = (0..<3000).map { Array("line \($0) ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 40) + [UInt8(ascii: "\n")] }
        let logging = Task { await SeparateThread.run { () -> ContinuousClock.Instant in
            for line in lines { output.write(line, immediately: false) }
            return ContinuousClock.now
        } }
        try await Task.sleep(for: .milliseconds(300))
        let readingStarted = ContinuousClock.now
        let expected = lines.reduce(0) { $0 + $1.count }
        let reader = ends[0]
        let received = await SeparateThread.run { () -> [UInt8] in
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let deadline = ContinuousClock.now + Patience.forWhatIsExpected
            while received.count < expected && ContinuousClock.now < deadline {
                let count = read(reader, &chunk, chunk.count)
                if count > 0 { received += chunk[..<count] } else { usleep(1000) }
            }
            return received
        }
        #expect(await logging.value > readingStarted, "the logger waited for the reader")
        #expect(received == Array(lines.joined()))
    }

    private static func line(writer: Int, index: Int) -> String {
        "writer \(writer) line \(index) " + String(repeating: "x", count: index % 97)
    }

    /// Many threads at once, a buffer small enough to overflow: every line whole, each
    /// thread's lines in the order it gave them.
    @Test func linesFromManyThreadsStayWholeAndInOrder() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (output, path) = try output(directory, bufferLimit: 512)
        output.startBuffering()
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<2000 {
                        output.write(Array((Self.line(writer: writer, index: index) + "\n").utf8), immediately: index % 500 == 0)
                    }
                }
            }
        }
        output.flush()
        let written = lines(path)
        #expect(written.count == 16_000)
        for writer in 0..<8 {
            let expected = (0..<2000).map { Self.line(writer: writer, index: $0) }
            #expect(written.filter { $0.hasPrefix("writer \(writer) line ") } == expected, "writer \(writer)")
        }
    }
}

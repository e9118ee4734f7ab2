import NIOCore
import Testing

@testable import taskload

@Suite struct ResponseFramerTests {
    private func statuses(_ chunks: [String]) throws -> [Int] {
        var framer = ResponseFramer()
        var statuses: [Int] = []
        for chunk in chunks {
            framer.append(ByteBuffer(string: chunk))
            while let status = try framer.next() { statuses.append(status) }
        }
        return statuses
    }

    @Test func contentLengthBodySplitAcrossReadsEndsWhereItSays() throws {
        let response = "HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nhello world"
        let pieces = stride(from: 0, to: response.count, by: 7).map { String(response.dropFirst($0).prefix(7)) }
        #expect(try statuses(pieces + ["HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"]) == [200, 201])
    }

    @Test func twoResponsesInOneReadAreBothFound() throws {
        #expect(try statuses(["HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnopHTTP/1.1 204 No Content\r\n\r\n"]) == [404, 204])
    }

    @Test func chunkedBodyEndsAfterTheLastChunkAndTrailer() throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nA;ext=1\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
        // Swift counts "\r\n" as one Character: this splits before the final empty line.
        #expect(try statuses([String(chunked.dropLast()), "\r\n", "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n"]) == [200, 304])
    }

    @Test func incompleteResponseIsNotReported() throws {
        #expect(try statuses(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345"]) == [])
    }

    @Test func notHTTPIsAnError() {
        #expect(throws: ResponseFramer.FramingError.self) { try statuses(["SSH-2.0-OpenSSH\r\n\r\n"]) }
    }

    @Test func bodyWithoutLengthIsAnError() {
        #expect(throws: ResponseFramer.FramingError.self) { try statuses(["HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody"]) }
    }

    @Test func headersThatNeverEndAreAnError() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Padding: 0123456789\r\n", count: 3000)
        #expect(throws: ResponseFramer.FramingError.self) { try statuses([endless]) }
    }

    @Test func badContentLengthIsAnError() {
        #expect(throws: ResponseFramer.FramingError.self) { try statuses(["HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\nbody"]) }
    }

    @Test func contentLengthIsReadWhateverItsCaseAndSpacing() throws {
        #expect(try statuses(["HTTP/1.1 200 OK\r\ncontent-LENGTH:\t 3 \r\nETag: \"1\"\r\n\r\nabcHTTP/1.1 201 Created\r\nContent-Length:0\r\n\r\n"]) == [200, 201])
    }

    @Test func contentLengthThatIsNotANumberIsAnError() {
        for value in ["", " ", "3x", "0x10", "1 2", "99999999999999999999"] {
            #expect(throws: ResponseFramer.FramingError.self, "\(value)") { try statuses(["HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\nbody"]) }
        }
    }
}

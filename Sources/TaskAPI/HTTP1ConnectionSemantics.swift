import HTTPTypes
import NIOCore
import NIOHTTP1

/// What HTTP/1 says about a connection that Hummingbird leaves out, restored just above the
/// request decoder, where a request still has its version (Hummingbird's HTTP types keep none):
///
/// - A request that does not keep its connection alive (HTTP/1.0, which taskd never keeps
///   alive, as the old service did not; or `Connection: close` in any case) is answered with
///   `Connection: close` and the connection is closed. Hummingbird closed only on the exact
///   value `close`, so an HTTP/1.0 client that waits for the close (ApacheBench without `-k`)
///   waited for the idle timeout instead.
/// - `Expect: 100-continue` is answered with `100 Continue` at once. Without it a client that
///   asks (curl does when told to) waits a second before it sends the body.
/// - A request the HTTP parser cannot read gets Hummingbird's 400 with a `{"detail": ...}` body
///   saying what was wrong, where Hummingbird sends none. HTTP/2's connection preface (a client
///   with prior knowledge, `curl --http2-prior-knowledge`) gets 505 saying taskd speaks HTTP/1.1:
///   the parser stops there ("paused"), which read as a 400 for no reason a person could act on.
final class HTTP1ConnectionSemantics: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// For each request read and not yet answered, in order: whether its answer closes the connection.
    private var closesAfterAnswer = CircularBuffer<Bool>(initialCapacity: 2)
    /// What the parser found wrong, once it has, for the 400 that answers it.
    private var parseError: HTTPParserError?
    /// The body of that 400, written before its end.
    private var parseErrorBody: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        let closes = head.version != .http1_1 || (head.headers.contains(name: "Connection") && !head.isKeepAlive)
        // RFC 9110 (10.1.1): an HTTP/1.0 request's 100-continue is ignored.
        let expectsContinue =
            head.version == .http1_1 && head.headers.contains(name: "Expect")
            && head.headers["Expect"].contains { $0.lowercased() == "100-continue" }
        closesAfterAnswer.append(closes)
        if expectsContinue {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        }
        // Most requests keep their connection: they pass as they came, unboxed.
        guard closes else { return context.fireChannelRead(data) }
        // Hummingbird closes after answering a request whose Connection field is exactly "close".
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parseError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if parseErrorBody != nil, case .end = unwrapOutboundIn(data) {
            context.write(wrapOutboundOut(.body(.byteBuffer(parseErrorBody.take()!))), promise: nil)
            return context.write(data, promise: promise)
        }
        // A final answer (not an interim 1xx) to the oldest request still waiting for one.
        guard case .head(var head) = unwrapOutboundIn(data), head.status.code >= 200 || head.status == .switchingProtocols else {
            return context.write(data, promise: promise)
        }
        guard let closes = closesAfterAnswer.popFirst() else { return answerParseError(head, context: context, promise: promise) }
        guard closes else { return context.write(data, promise: promise) }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }

    /// With no request waiting and the parser failed, this is Hummingbird's empty 400 to what it
    /// could not read: it gets a body saying what was wrong.
    private func answerParseError(_ head: HTTPResponseHead, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var head = head
        if let parseError, head.status == .badRequest {
            // llhttp pauses at HTTP/2's preface, and at nothing else in a server's requests.
            let isHTTP2 = parseError == .paused
            if isHTTP2 { head.status = .httpVersionNotSupported }
            let body = isHTTP2
                ? APIError(.httpVersionNotSupported, "HTTP Version Not Supported: taskd speaks HTTP/1.1, and this was HTTP/2's connection preface").body
                : APIError(.badRequest, "Bad Request: the request could not be parsed (\(Self.describe(parseError)))").body
            head.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
            parseErrorBody = body
        }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }

    /// The parser's words, with the limit named where one was passed: NIO's decoder refuses a
    /// request line and header fields of more than 80 KiB together (or 80 KiB in one field),
    /// and says only "too many header bytes seen".
    private static func describe(_ error: HTTPParserError) -> String {
        error == .headerOverflow ? "\(error): the request line and header fields may take at most 80 KiB" : "\(error)"
    }
}

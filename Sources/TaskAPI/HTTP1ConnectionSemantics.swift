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
final class HTTP1ConnectionSemantics: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// For each request read and not yet answered, in order: whether its answer closes the connection.
    private var closesAfterAnswer = CircularBuffer<Bool>(initialCapacity: 2)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        // Most requests are HTTP/1.1 without either field: they pass as they came, unboxed.
        let closes = head.version != .http1_1 || (head.headers.contains(name: "Connection") && !head.isKeepAlive)
        let expectsContinue =
            head.version == .http1_1 && head.headers.contains(name: "Expect")
            && head.headers["Expect"].contains { $0.lowercased() == "100-continue" }
        closesAfterAnswer.append(closes)
        guard closes || expectsContinue else { return context.fireChannelRead(data) }
        // Hummingbird closes after answering a request whose Connection field is exactly "close".
        if closes { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        if expectsContinue {
            head.headers.remove(name: "Expect")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A final answer (not an interim 1xx) to the oldest request still waiting for one.
        guard case .head(var head) = unwrapOutboundIn(data), head.status.code >= 200 || head.status == .switchingProtocols,
            let closes = closesAfterAnswer.popFirst(), closes
        else { return context.write(data, promise: promise) }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}

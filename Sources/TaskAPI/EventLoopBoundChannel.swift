import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel, with each connection's requests handled on the event loop
/// of its socket (see `EventLoopTaskExecutor`).
struct EventLoopBoundChannel: ServerChildChannel {
    let http1: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        http1.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with each connection bound to its event loop.
    static var eventLoopBoundHTTP1: HTTPServerBuilder {
        HTTPServerBuilder { responder in EventLoopBoundChannel(http1: HTTP1Channel(responder: responder)) }
    }
}

import Hummingbird
import NIOCore

/// What a route knows about its request besides the request itself: the socket peer, which the
/// login rate limit keys on.
struct TaskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    private let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The peer's IP address; nil where there is no socket (the in-process test client).
    /// Formatted only when asked (logins): it was two allocations and an inet_ntop per request.
    var peerAddress: String? { channel.remoteAddress?.ipAddress }

    /// Bodies are read by `RequestBody` with its own limit and error.
    var maxUploadSize: Int { RequestBody.limit + 1 }
}

import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import TaskAPI

/// taskd's server keeps each connection's requests on the event loop that owns its socket, also
/// across a hop to an actor and back and across a suspension (a user actor's call, a wait for an fsync).
@Suite struct EventLoopBoundChannelTests {
    struct ChannelContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    actor Counter {
        var count = 0
        func next() -> Int {
            count += 1
            return count
        }
    }

    @Test func requestsRunOnTheirConnectionsEventLoop() async throws {
        let counter = Counter()
        let router = Router(context: ChannelContext.self)
        router.get("/where") { _, context -> String in
            let atStart = context.channel.eventLoop.inEventLoop
            _ = await counter.next()
            let afterActor = context.channel.eventLoop.inEventLoop
            try await Task.sleep(for: .milliseconds(2))
            let afterSleep = context.channel.eventLoop.inEventLoop
            return "\(atStart) \(afterActor) \(afterSleep)"
        }
        var logger = Logger(label: "taskd.api-tests")
        logger.logLevel = .critical
        let app = Application(router: router, server: .eventLoopBoundHTTP1, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/where", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "true true true")
                }
            }
        }
    }
}

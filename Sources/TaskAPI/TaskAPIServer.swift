import Hummingbird
import HTTPTypes
import Logging
import TaskStore

/// Builds the HTTP front end of API.md over a store.
public enum TaskAPIServer {
    /// The router with every route of API.md, its 405 answers, and the request observer.
    static func router(services: APIServices, metrics: APIMetrics) -> Router<TaskRequestContext> {
        let router = Router(context: TaskRequestContext.self, options: .autoGenerateHeadEndpoints)
        let routes = routes(services: services, metrics: metrics)
        router.add(middleware: RequestObserver(metrics: metrics, methods: MethodNotAllowed(routes: routes)))
        for route in routes {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in try await route.handler(request, context) }
        }
        return router
    }

    /// What answers every request: the router, reached by the request's decoded path.
    static func responder(services: APIServices, metrics: APIMetrics) -> DecodedPathResponder<RouterResponder<TaskRequestContext>> {
        DecodedPathResponder(routes: router(services: services, metrics: metrics).buildResponder())
    }

    static func routes(services: APIServices, metrics: APIMetrics) -> [APIRoute] {
        AuthController(services: services).routes + TaskController(services: services).routes + CategoryController(services: services).routes
            + SyncController(services: services).routes + OperationsController(services: services, metrics: metrics).routes
    }

    /// Connections the kernel completes and queues before taskd accepts them. A burst of new
    /// connections larger than the queue (Hummingbird's default is 256) has its connects
    /// dropped, and each client waits a second for its SYN to be sent again. The kernel caps it
    /// at net.core.somaxconn (4096 by default); the service taskd replaces queued 2048.
    static let listenBacklog = 4096

    /// An application serving `store` on `host:port`; running it also closes the store after
    /// the server has finished its requests.
    public static func application(
        store: TaskStore, configuration: APIConfiguration, metrics: APIMetrics, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let services = try await APIServices(store: store, configuration: configuration)
        if let maximum = configuration.maximumConnections { metrics.recordConnectionLimit(maximum) }
        return Application(
            responder: responder(services: services, metrics: metrics),
            server: .http1WithConnectionSemantics(configuration: .init(idleTimeout: .init(configuration.idleTimeout))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "taskd", backlog: listenBacklog,
                availableConnectionsDelegate: ConnectionLimit(maximum: configuration.maximumConnections, counting: metrics.openConnections, logger: logger)),
            services: [StoreService(store: store, logger: logger)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

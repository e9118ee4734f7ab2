import Logging
import ServiceLifecycle
import TaskStore

/// The store as a lifecycle service. Hummingbird shuts the HTTP server down first, so by the
/// time this one is told to stop, requests in flight are answered; then the WAL is made
/// durable and closed.
struct StoreService: Service {
    let store: TaskStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("closing the store: making the write-ahead log durable")
        await store.close()
    }
}

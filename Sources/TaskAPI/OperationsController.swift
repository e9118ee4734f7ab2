import Hummingbird
import NIOCore
import TaskStore

/// `/health`, `/metrics`, `/openapi.json` and `/docs`.
struct OperationsController {
    let services: APIServices
    let metrics: APIMetrics

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/health", health),
            APIRoute(.get, "/metrics", exposition),
            APIRoute(.get, "/openapi.json", openAPI),
            APIRoute(.get, "/docs", docs),
        ]
    }

    /// 200 once recovery is done (the server listens only then); 503, saying why, while the
    /// WAL is failing, or stalled on one write for longer than the configured threshold.
    /// Reads keep working meanwhile.
    @Sendable func health(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let wal = services.store.wal
        if let failure = wal.failure {
            return jsonResponse(.serviceUnavailable) { writer in
                writer.beginObject()
                writer.key("status")
                writer.string("unavailable")
                writer.key("detail")
                writer.string("storage is failing; reads are served, writes refused until a restart: \(failure)")
                writer.endObject()
            }
        }
        if let busy = wal.busyFor, busy > services.configuration.stalledStorageThreshold {
            return jsonResponse(.serviceUnavailable) { writer in
                writer.beginObject()
                writer.key("status")
                writer.string("stalled")
                writer.key("detail")
                writer.string(
                    "storage has been on one write for \((busy.inSeconds * 10).rounded() / 10) s (a disk that stopped answering?); "
                        + "writes wait for it, reads are served")
                writer.endObject()
            }
        }
        return jsonResponse { writer in
            writer.beginObject()
            writer.key("status")
            writer.string("ok")
            writer.key("wal_lsn")
            writer.int(wal.acknowledgedLSN)
            writer.key("fsync")
            writer.string(wal.configuration.fsync.rawValue)
            writer.endObject()
        }
    }

    @Sendable func exposition(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let bytes = await metrics.exposition(store: services.store)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func openAPI(_ request: Request, context: TaskRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }

    @Sendable func docs(_ request: Request, context: TaskRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: DocsPage.html)))
    }
}

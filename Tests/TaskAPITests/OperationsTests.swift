import TaskStore
import Foundation
import HTTPTypes
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

@Suite struct OperationsTests {
    /// The document and the route table name the same operations: neither can drift.
    @Test func theOpenAPIDocumentDescribesExactlyTheRoutesServed() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let store = try harness.openStore()
        let services = try await APIServices(store: store, configuration: APIConfiguration(jwtSecret: harness.secret, bcryptCost: 4))
        let served = Set(TaskAPIServer.routes(services: services, metrics: APIMetrics()).map { "\($0.method.rawValue) \($0.path)" })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == served)
        // Every schema reference resolves.
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let references = OpenAPIDocument.json.components(separatedBy: "\"#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!references.isEmpty && references.allSatisfy { schemas[String($0)] != nil })
        await store.close()
    }

    /// `taskd serve` runs with these two defaults of `APIConfiguration` (it has no flags for
    /// them), and the README and `/openapi.json` state them: a change to one is a change to all.
    @Test func theDefaultsServeRunsWithAreTheOnesDocumented() throws {
        let configuration = APIConfiguration(jwtSecret: [])
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").path, encoding: .utf8)
        let idle = Int(configuration.idleTimeout.inSeconds)
        #expect(idle > 60, "longer than the idle timeout of a proxy in front")
        #expect(readme.contains("A connection that has sent nothing for \(idle) seconds"))
        let stalled = Int(configuration.stalledStorageThreshold.inSeconds)
        #expect(readme.contains("write and its fsync for over \(stalled) s, `/health` answers 503"))
        #expect(OpenAPIDocument.json.contains("has been on one write for over \(stalled) s (status stalled)"))
    }

    @Test func openAPIDocsAndMetricsAreServed() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let store = try harness.openStore()
        try await harness.run(store: store) { api in
            let (token, _) = try await api.signUp()
            // Five records in four fsyncs: a task in a new category is two records in one commit.
            _ = try await api.send(.post, "/tasks", json: #"{"title":"a","category_name":"Work"}"#, token: token)
            _ = try await api.send(.post, "/tasks", json: #"{"title":"b"}"#, token: token)
            #expect(store.wal.statistics.fsyncs < store.wal.statistics.recordsWritten)
            _ = try await api.send(.get, "/tasks", token: token)
            let openAPI = try await api.send(.get, "/openapi.json")
            #expect(openAPI.status == .ok && openAPI.object["paths"] != nil)
            let docs = try await api.send(.get, "/docs")
            #expect(docs.status == .ok && docs.headers[.contentType]?.hasPrefix("text/html") == true && docs.body.contains("/openapi.json"))
            let metrics = try await api.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            for line in [
                #"taskd_http_requests_total{method="GET",route="/tasks",status="200"} 1"#, "taskd_wal_records_written 5.0",
                "\ntaskd_wal_fsyncs \(store.wal.statistics.fsyncs).0\n", "\ntaskd_wal_acknowledged_lsn 5.0\n",
                "taskd_users 1.0", "\ntaskd_tasks 2.0\n", "\ntaskd_wal_failed 0.0\n",
                #"taskd_http_request_duration_seconds_count{method="GET",route="/tasks",status="200"} 1"#,
                "\ntaskd_wal_bytes_written \(store.wal.statistics.bytesWritten).0\n",
            ] {
                #expect(metrics.body.contains(line), "\(line)")
            }
            let health = try await api.send(.get, "/health").object
            #expect(health["status"] as? String == "ok" && health["wal_lsn"] as? Int == 5 && health["fsync"] as? String == "always", "\(health)")
        }
    }

    /// API.md's metrics include the snapshot's age: none before the first snapshot, then the
    /// seconds since it was published and where it starts.
    @Test func metricsTellTheLastSnapshotsAgeOnceThereIsOne() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        let store = try harness.openStore()
        try await harness.run(store: store) { api in
            let (token, _) = try await api.signUp()
            for title in ["a", "b"] { _ = try await api.send(.post, "/tasks", json: #"{"title":"\#(title)"}"#, token: token) }
            #expect(!(try await api.send(.get, "/metrics").body.contains("taskd_snapshot")))

            let report = try #require(try await store.snapshotNow())
            harness.clock.advance(seconds: 90)
            let metrics = try await api.send(.get, "/metrics").body
            #expect(metrics.contains("taskd_snapshot_age_seconds 90.0"), "\(metrics)")
            #expect(metrics.contains("taskd_snapshot_lsn \(report.startLSN).0"))
        }
    }

    /// Paths no route matches share one series, `unmatched`, so a scan of made-up paths cannot
    /// grow the metrics; so does a path with an empty segment, which Hummingbird's router would
    /// have matched. A redirect to a route's path is counted under that route.
    @Test func unmatchedPathsShareOneSeriesAndRedirectsCountUnderTheirRoute() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            for path in ["/nowhere", "/tasks/\(UUID())/x", "/wp-admin.php", "//tasks"] {
                #expect(try await api.send(.get, path).status == .notFound, "\(path)")
            }
            #expect(try await api.send(.get, "/tasks/").status == .temporaryRedirect)
            let metrics = try await api.send(.get, "/metrics").body
            #expect(metrics.contains(#"taskd_http_requests_total{method="GET",route="unmatched",status="404"} 4"#), "\(metrics)")
            #expect(metrics.contains(#"taskd_http_requests_total{method="GET",route="/tasks",status="307"} 1"#))
            #expect(!metrics.contains("nowhere") && !metrics.contains("wp-admin"))
        }
    }

    @Test func inventedMethodsShareOneMetricsSeries() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            for index in 0..<20 {
                let reply = try await api.send(HTTPRequest.Method("BREW\(index)")!, "/tasks")
                #expect(reply.status == .methodNotAllowed)
            }
            #expect(try await api.send(.trace, "/tasks/\(UUID())").status == .methodNotAllowed)
            let metrics = try await api.send(.get, "/metrics").body
            #expect(metrics.contains(#"taskd_http_requests_total{method="other",route="/tasks",status="405"} 20"#))
            // Labelled with the route as matched requests are, not as an unknown path.
            #expect(metrics.contains(#"taskd_http_requests_total{method="TRACE",route="/tasks/{task_id}",status="405"} 1"#))
            #expect(!metrics.contains("BREW"))
        }
    }
}

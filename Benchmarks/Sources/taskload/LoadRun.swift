import Foundation
import NIOCore
import NIOPosix

/// Drives one scenario over `connections` keep-alive connections (see `LoadConnection`) on a
/// small event-loop group of its own, warm-up first, then the measured period.
struct LoadRun {
    let options: LoadOptions
    let fixture: Fixture
    let group: MultiThreadedEventLoopGroup

    func run() async throws -> LoadResult {
        guard let url = URL(string: options.base), url.scheme == "http", let host = url.host, url.path.isEmpty || url.path == "/" else {
            throw LoadError.usage("--base must be http://HOST[:PORT] (got \(options.base))")
        }
        let port = url.port ?? 80
        let start = NIODeadline.now()
        let recordFrom = start + .nanoseconds(Int64(options.warmup * 1e9))
        let schedule = LoadConnection.Schedule(
            recordFrom: recordFrom,
            end: recordFrom + .nanoseconds(Int64(options.duration * 1e9)),
            interval: options.rate.map { .nanoseconds(Int64(Double(options.connections) / $0 * 1e9)) })
        var total = await withTaskGroup(of: LoadResult.self) { tasks in
            for worker in 0..<options.connections {
                let requests = RequestFactory(
                    options: options, host: port == 80 ? host : "\(host):\(port)",
                    user: fixture.users.isEmpty ? nil : fixture.users[worker % fixture.users.count], worker: worker)
                // Open loop: each connection's first slot is offset so connections interleave.
                let firstDue = start + .nanoseconds((schedule.interval?.nanoseconds ?? 0) * Int64(worker) / Int64(options.connections))
                tasks.addTask { await connection(host: host, port: port, schedule: schedule, requests: requests, due: firstDue) }
            }
            return await tasks.reduce(into: LoadResult()) { $0.merge($1) }
        }
        total.seconds = Double((NIODeadline.now() - recordFrom).nanoseconds) / 1e9
        return total
    }

    /// One connection slot for the whole run: if the server closes the connection, a new one
    /// carries on with the same request stream; refused connects are counted and retried.
    private func connection(host: String, port: Int, schedule: LoadConnection.Schedule, requests: RequestFactory, due: NIODeadline) async -> LoadResult {
        var total = LoadResult()
        var requests = requests
        var due = due
        let loop = group.next()
        while NIODeadline.now() < schedule.end {
            let closed = loop.makePromise(of: LoadConnection.Outcome.self)
            do {
                let (streamRequests, streamDue) = (requests, due)
                _ = try await ClientBootstrap(group: loop)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .connectTimeout(.seconds(10))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                LoadConnection(schedule: schedule, requests: streamRequests, due: streamDue, closed: closed))
                        }
                    }
                    .connect(host: host, port: port).get()
            } catch {
                closed.fail(error)
                if NIODeadline.now() >= schedule.recordFrom { total.errors += 1 }
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            guard let outcome = try? await closed.futureResult.get() else { continue }
            total.merge(outcome.result)
            requests = outcome.requests
            due = outcome.due
        }
        return total
    }
}

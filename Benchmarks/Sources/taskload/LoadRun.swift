import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore
import NIOHTTP1

/// Drives one scenario with `connections` workers. Closed loop: each worker sends its next
/// request when the last one is answered. Open loop: requests are due at a fixed rate and each
/// latency is measured from when it was due, not when it was sent, so a stalled server is not
/// hidden by requests that were never sent (no coordinated omission, as wrk2 does it).
struct LoadRun {
    let options: LoadOptions
    let fixture: Fixture
    let client: HTTPClient

    struct Result: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)  // µs
        /// In `mixed`, each operation's latency too (a read's p99 under writes is what matters).
        var byOperation: [String: Histogram<UInt64>] = [:]
        var requests = 0
        var non2xx = 0
        var errors = 0
        var seconds = 0.0

        static var emptyHistogram: Histogram<UInt64> { Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three) }

        mutating func merge(_ other: Result) {
            histogram.add(other.histogram)
            for (operation, histogram) in other.byOperation { byOperation[operation, default: Self.emptyHistogram].add(histogram) }
            requests += other.requests
            non2xx += other.non2xx
            errors += other.errors
        }
    }

    func run() async -> Result {
        if options.warmup > 0 { _ = await measure(for: options.warmup) }
        return await measure(for: options.duration)
    }

    private func measure(for seconds: Double) async -> Result {
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        var total = await withTaskGroup(of: Result.self) { group in
            for worker in 0..<options.connections {
                group.addTask { await self.worker(worker, start: start, end: end) }
            }
            return await group.reduce(into: Result()) { $0.merge($1) }
        }
        total.seconds = Self.seconds(ContinuousClock.now - start)
        return total
    }

    private func worker(_ worker: Int, start: ContinuousClock.Instant, end: ContinuousClock.Instant) async -> Result {
        var result = Result()
        var rng = SystemRandomNumberGenerator()
        // Open loop: this worker's share of the rate, its first slot offset so workers interleave.
        let interval = options.rate.map { Duration.nanoseconds(Int64(Double(options.connections) / $0 * 1e9)) }
        var due = start + (interval.map { $0 * Double(worker) / Double(options.connections) } ?? .zero)
        var sequence = 0
        while true {
            if let interval {
                if due >= end { break }
                if ContinuousClock.now < due { try? await Task.sleep(until: due, clock: .continuous) }
            } else if ContinuousClock.now >= end {
                break
            }
            let sent = interval == nil ? ContinuousClock.now : due
            let operation = operation(for: &rng)
            do {
                let status = try await request(operation, worker: worker, sequence: sequence, rng: &rng)
                if !(200..<300).contains(status) { result.non2xx += 1 }
            } catch {
                result.errors += 1
            }
            let micros = Self.seconds(ContinuousClock.now - sent) * 1e6
            _ = result.histogram.record(UInt64(max(1, micros)))
            if options.scenario == "mixed" { _ = result.byOperation[operation, default: Result.emptyHistogram].record(UInt64(max(1, micros))) }
            result.requests += 1
            sequence += 1
            if let interval { due += interval }
        }
        return result
    }

    /// The scenario's operation; `mixed` is 80% reads (list and get) and 20% writes.
    private func operation(for rng: inout SystemRandomNumberGenerator) -> String {
        guard options.scenario == "mixed" else { return options.scenario }
        let roll = Int.random(in: 0..<10, using: &rng)
        return roll < 4 ? "list" : roll < 8 ? "get" : roll < 9 ? "create" : "update"
    }

    private func request(_ operation: String, worker: Int, sequence: Int, rng: inout SystemRandomNumberGenerator) async throws -> Int {
        let base = options.base
        if operation == "path" { return try await send(base + options.path, .GET) }
        let user = fixture.users[worker % fixture.users.count]
        switch operation {
        case "list":
            return try await send(base + "/tasks?limit=20", .GET, token: user.token)
        case "get":
            return try await send(base + "/tasks/" + user.taskIDs.randomElement(using: &rng)!, .GET, token: user.token)
        case "create":
            return try await send(
                base + "/tasks", .POST, token: user.token,
                body: #"{"title":"Load task \#(worker)-\#(sequence)","description":"Collect numbers from finance and summarise the main trends.","priority":"high","category_name":"Load"}"#)
        case "update":
            return try await send(
                base + "/tasks/" + user.taskIDs.randomElement(using: &rng)!, .PATCH, token: user.token,
                body: #"{"title":"Updated \#(worker)-\#(sequence)","status":"\#(["todo", "in_progress", "done"][sequence % 3])"}"#)
        default:  // login
            return try await send(base + "/auth/login", .POST, body: #"{"email":"\#(user.email)","password":"\#(options.password)"}"#)
        }
    }

    private func send(_ url: String, _ method: HTTPMethod, token: String? = nil, body: String? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        for try await _ in response.body {}  // read it all, as a client would
        return Int(response.status.code)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

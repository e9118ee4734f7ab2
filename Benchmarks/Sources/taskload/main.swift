// taskload: an HTTP load generator for taskd and the service it replaces (same API), or any
// GET path (the floor). Sets its data up through the public API, then measures one scenario.
import AsyncHTTPClient
import Foundation
import Histogram
import NIOPosix

let options: LoadOptions
do {
    options = try LoadOptions(Array(CommandLine.arguments.dropFirst()))
} catch LoadError.help {
    print(LoadOptions.usage)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.connections
configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let fixture: Fixture
do {
    fixture = try await Fixture.make(options, client: client)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    try? await client.shutdown()
    exit(1)
}
try? await client.shutdown()
// The measured requests go through a lean client of their own (see LoadConnection), on
// --threads event loops: it shares the machine with the server it measures.
let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
let result: LoadResult
do {
    result = try await LoadRun(options: options, fixture: fixture, group: group).run()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
try? await group.shutdownGracefully()

func milliseconds(_ percentile: Double) -> Double { Double(result.histogram.valueAtPercentile(percentile)) / 1000 }
let throughput = Double(result.requests) / result.seconds
let mode = options.rate.map { "open loop at \(Int($0)) req/s" } ?? "closed loop"
if options.json {
    let summary: [String: Any] = [
        "scenario": options.scenario, "base": options.base, "connections": options.connections, "mode": mode, "seconds": result.seconds,
        "requests": result.requests, "throughput": throughput, "non_2xx": result.non2xx, "errors": result.errors + result.protocolErrors.count,
        "p50_ms": milliseconds(50), "p90_ms": milliseconds(90), "p99_ms": milliseconds(99), "p999_ms": milliseconds(99.9),
        "max_ms": Double(result.histogram.max) / 1000,
        "statuses": Dictionary(uniqueKeysWithValues: result.statuses.map { (String($0.key), $0.value) }),
        "operations": Dictionary(uniqueKeysWithValues: result.byOperation.map { operation, histogram in
            (operation.rawValue, ["p50_ms": Double(histogram.valueAtPercentile(50)) / 1000, "p99_ms": Double(histogram.valueAtPercentile(99)) / 1000, "count": Double(histogram.totalCount)])
        }),
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
} else {
    print("\(options.scenario) against \(options.base): \(options.connections) connections, \(mode), \(String(format: "%.1f", result.seconds)) s")
    let header = [("req/s", 10), ("p50 ms", 9), ("p90 ms", 9), ("p99 ms", 9), ("p99.9 ms", 9), ("max ms", 9), ("non-2xx", 8), ("errors", 7)]
    print("  " + header.map { String(repeating: " ", count: max(0, $0.1 - $0.0.count)) + $0.0 }.joined(separator: " "))
    print(String(format: "  %10.0f %9.2f %9.2f %9.2f %9.2f %9.2f %8d %7d", throughput, milliseconds(50), milliseconds(90), milliseconds(99), milliseconds(99.9), Double(result.histogram.max) / 1000, result.non2xx, result.errors + result.protocolErrors.count))
}
if result.non2xx + result.errors + result.protocolErrors.count > 0 {
    var failures: [String] = []
    if result.non2xx > 0 {
        failures.append("\(result.non2xx) non-2xx answers (" + result.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ") + ")")
    }
    if result.errors > 0 { failures.append("\(result.errors) requests without an answer (refused or dropped connections)") }
    if !result.protocolErrors.isEmpty {
        failures.append("\(result.protocolErrors.count) unreadable answers (" + Set(result.protocolErrors).sorted().joined(separator: "; ") + ")")
    }
    FileHandle.standardError.write(Data("""
        WARNING: \(failures.joined(separator: ", ")), with \(result.requests) answered: these figures do not describe a healthy run

        """.utf8))
    exit(3)
}

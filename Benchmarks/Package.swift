// swift-tools-version:6.1
// Benchmarks live in their own package, depending on taskd by path, so the root's
// `swift build` and `swift test` stay light. Build with `swift build -c release` here.
import PackageDescription

let package = Package(
    name: "taskd-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // ordo-one micro-benchmarks of the engine: swift package benchmark --target EngineBenchmarks
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TaskStore", package: "main"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .target(name: "CHeap", path: "Sources/CHeap"),
        // The HTTP load generator: any base URL, closed or open loop, latency percentiles.
        .executableTarget(
            name: "taskload",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Sources/taskload"
        ),
        .testTarget(name: "taskloadTests", dependencies: ["taskload"], path: "Tests/taskloadTests"),
        // Built only by fuzz.sh (with -sanitize=fuzzer, which supplies main).
        .executableTarget(
            name: "fuzz-wal",
            dependencies: [.product(name: "TaskStore", package: "main")],
            path: "Sources/fuzz-wal",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "taskstore-bench",
            dependencies: [
                "CHeap",
                .product(name: "TaskStore", package: "main"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/taskstore-bench"
        )
    ]
)

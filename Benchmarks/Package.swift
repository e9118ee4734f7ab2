// swift-tools-version:6.0
// Benchmarks live in their own package, depending on taskd by path, so the root's
// `swift build` and `swift test` stay light. Build with `swift build -c release` here.
import PackageDescription

let package = Package(
    name: "taskd-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CHeap", path: "Sources/CHeap"),
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

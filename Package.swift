// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "taskd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TaskStore", targets: ["TaskStore"]),
        .library(name: "TaskAPI", targets: ["TaskAPI"]),
        .executable(name: "taskd", targets: ["taskd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Without the default ConfigurationSupport trait: taskd reads its own flags.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // zlib from the system (Debian: libz-dev): deflate for WAL frames and snapshots, crc32 for checksums.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["libz-dev"])]),
        // glibc's <malloc.h>: mallopt, to keep large blocks out of the heap (see MallocSettings).
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "TaskStore",
            dependencies: [
                "CZlib",
                "CMalloc",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["WALFormat.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaskAPI",
            dependencies: [
                "TaskStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "taskd",
            dependencies: [
                "TaskStore",
                "TaskAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: temporary directories, a test clock, a file system that fails on demand.
        .target(
            name: "TaskStoreTestSupport",
            dependencies: ["TaskStore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TaskStoreTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskAPITests",
            dependencies: [
                "TaskAPI", "TaskStore", "TaskStoreTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Drives the real taskd binary: kill -9 under load, damaged logs, a full disk, the lock.
        .testTarget(
            name: "CrashTests",
            dependencies: [
                "taskd", "TaskStore", "TaskStoreTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskStoreTests",
            dependencies: ["TaskStore", "TaskStoreTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ]
)

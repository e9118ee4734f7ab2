// swift-tools-version:6.0
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
        .executable(name: "taskd", targets: ["taskd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // zlib from the system (Debian: libz-dev): deflate for WAL frames and snapshots, crc32 for checksums.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["libz-dev"])]),
        .target(
            name: "TaskStore",
            dependencies: [
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["WALFormat.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "taskd",
            dependencies: [
                "TaskStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskStoreTests",
            dependencies: ["TaskStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ]
)

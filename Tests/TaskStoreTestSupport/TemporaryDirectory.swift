import Foundation

/// A fresh directory under the system's temp dir, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "taskd-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path that need not exist yet.
    public init(path: String) { self.path = path }

    /// A fresh path under the temp dir, not created (for a target that must start out absent).
    public static func unusedPath(_ suffix: String = "") -> String {
        NSTemporaryDirectory() + "taskd-tests-" + UUID().uuidString + suffix
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    /// A copy of this directory's files in a new temporary directory.
    public func copy() -> TemporaryDirectory {
        let target = TemporaryDirectory()
        for name in names() where name != "LOCK" {
            try! FileManager.default.copyItem(atPath: file(name), toPath: target.file(name))
        }
        return target
    }
}

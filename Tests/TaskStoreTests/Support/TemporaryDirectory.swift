import Foundation

/// A fresh directory under the system's temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "taskd-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path that need not exist yet.
    init(path: String) { self.path = path }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    /// A copy of this directory's files in a new temporary directory.
    func copy() -> TemporaryDirectory {
        let target = TemporaryDirectory()
        for name in names() where name != "LOCK" {
            try! FileManager.default.copyItem(atPath: file(name), toPath: target.file(name))
        }
        return target
    }
}

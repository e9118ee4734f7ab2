import Foundation

/// Every flag has an environment variable `TASKD_<FLAG>` (`--data-dir` is `TASKD_DATA_DIR`);
/// a flag on the command line wins.
enum Environment {
    static func value(for flag: String) -> String? {
        let name = "TASKD_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
        return ProcessInfo.processInfo.environment[name]
    }

    static var defaultDataDirectory: String { value(for: "data-dir") ?? "./data" }
}

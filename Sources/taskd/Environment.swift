import Foundation

/// Every flag has an environment variable `TASKD_<FLAG>` (`--data-dir` is `TASKD_DATA_DIR`);
/// a flag on the command line wins.
enum Environment {
    static func value(for flag: String) -> String? {
        ProcessInfo.processInfo.environment[variable(for: flag)]
    }

    static func variable(for flag: String) -> String {
        "TASKD_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// How to name `flag` in an error about its value: as the variable when that is where the
    /// value came from (the flag is not on the command line and its variable is set), so that a
    /// person fixes the setting they made; as the flag otherwise.
    static func source(of flag: String) -> String {
        let option = "--" + flag
        let onCommandLine = CommandLine.arguments.dropFirst().contains { $0 == option || $0.hasPrefix(option + "=") }
        return !onCommandLine && value(for: flag) != nil ? variable(for: flag) : option
    }

    static var defaultDataDirectory: String { value(for: "data-dir") ?? "./data" }

    private static let on: Set<String> = ["1", "true", "yes", "on"]
    private static let off: Set<String> = ["0", "false", "no", "off", ""]

    /// Whether a switch's variable turns it on.
    static func isOn(_ flag: String) -> Bool { value(for: flag).flatMap(switchState) ?? false }

    /// What a switch's variable says, in any case: on, off, or nil for neither.
    static func switchState(_ raw: String) -> Bool? {
        let word = raw.lowercased()
        return on.contains(word) ? true : off.contains(word) ? false : nil
    }

    /// What is wrong with the first variable, of the flags given, that is set but does not
    /// parse. A flag's default falls back to its built-in value when its variable does not
    /// parse, so without this check `TASKD_PORT=80a` would quietly listen on 8080.
    static func malformed(wholeNumbers: [String], switches: [String]) -> String? {
        for flag in wholeNumbers {
            if let raw = value(for: flag), Int64(raw) == nil { return "\(variable(for: flag)) must be a whole number, not '\(raw)'" }
        }
        for flag in switches {
            if let raw = value(for: flag), switchState(raw) == nil {
                return "\(variable(for: flag)) must be 1, true, yes or on (0, false, no, off or empty for off), not '\(raw)'"
            }
        }
        return nil
    }
}

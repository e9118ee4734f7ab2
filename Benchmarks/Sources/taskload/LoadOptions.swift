import Foundation

/// `taskload` flags, parsed by hand to keep the tool's dependencies to the HTTP client.
struct LoadOptions {
    var base = "http://127.0.0.1:8080"
    var scenario = "list"
    var connections = 64
    var duration = 10.0
    var warmup = 2.0
    /// Requests per second for open-loop mode; nil runs closed-loop.
    var rate: Double?
    var users = 4
    var tasksPerUser = 100
    /// For the `path` scenario: a GET that needs no setup (the floor's /list, /one).
    var path = "/hello"
    var json = false
    /// Event-loop threads of the load generator itself.
    var threads = 1
    var password = "taskload password"

    static let scenarios = ["list", "get", "create", "update", "mixed", "login", "path"]

    static let usage = """
        taskload --base URL --scenario list|get|create|update|mixed|login|path [--connections 64] [--duration 10]
                 [--warmup 2] [--rate R (open loop, requests/s)] [--users 4] [--tasks 100] [--path /list] [--threads 1] [--json]
        """

    /// A value that does not parse or is out of range is refused, never replaced by the
    /// default: a typo in `--rate` would otherwise measure a closed loop and print it as asked.
    init(_ arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw LoadError.usage("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number<Number: LosslessStringConvertible & Comparable>(_ range: ClosedRange<Number>) throws -> Number {
            let flag = arguments[index]
            let text = try value()
            guard let number = Number(text), range.contains(number) else {
                throw LoadError.usage("\(flag) takes a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--help", "-h": throw LoadError.help
            case "--base": base = try value()
            case "--scenario": scenario = try value()
            case "--connections": connections = try number(1...100_000)
            case "--duration": duration = try number(0.1...3600)
            case "--warmup": warmup = try number(0...3600)
            case "--rate": rate = try number(1...10_000_000)
            case "--users": users = try number(1...100_000)
            case "--tasks": tasksPerUser = try number(1...1_000_000)
            case "--path": path = try value()
            case "--json": json = true
            case "--threads": threads = try number(1...64)
            default: throw LoadError.usage("unknown flag \(arguments[index])")
            }
            index += 1
        }
        guard Self.scenarios.contains(scenario) else { throw LoadError.usage("unknown scenario \(scenario)") }
        guard path.hasPrefix("/") else { throw LoadError.usage("--path must start with '/', not '\(path)'") }
    }
}

enum LoadError: Error, CustomStringConvertible {
    case usage(String)
    case setup(String)
    /// `--help`: the usage on standard output, and success.
    case help

    var description: String {
        switch self {
        case .usage(let message): "\(message)\n\(LoadOptions.usage)"
        case .setup(let message): "setup failed: \(message)"
        case .help: LoadOptions.usage
        }
    }
}

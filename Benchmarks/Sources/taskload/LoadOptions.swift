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

    static let usage = """
        taskload --base URL --scenario list|get|create|update|mixed|login|path [--connections 64] [--duration 10]
                 [--warmup 2] [--rate R (open loop, requests/s)] [--users 4] [--tasks 100] [--path /list] [--threads 1] [--json]
        """

    init(_ arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw LoadError.usage("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--base": base = try value()
            case "--scenario": scenario = try value()
            case "--connections": connections = Int(try value()) ?? connections
            case "--duration": duration = Double(try value()) ?? duration
            case "--warmup": warmup = Double(try value()) ?? warmup
            case "--rate": rate = Double(try value())
            case "--users": users = Int(try value()) ?? users
            case "--tasks": tasksPerUser = Int(try value()) ?? tasksPerUser
            case "--path": path = try value()
            case "--json": json = true
            case "--threads": threads = Int(try value()) ?? threads
            default: throw LoadError.usage("unknown flag \(arguments[index])")
            }
            index += 1
        }
        guard ["list", "get", "create", "update", "mixed", "login", "path"].contains(scenario) else { throw LoadError.usage("unknown scenario \(scenario)") }
        guard connections > 0, threads > 0, threads <= 64, duration > 0, duration <= 3600 else { throw LoadError.usage("connections must be positive, threads 1 to 64 and duration 0 to 3600 s") }
    }
}

enum LoadError: Error, CustomStringConvertible {
    case usage(String)
    case setup(String)

    var description: String {
        switch self {
        case .usage(let message): "\(message)\n\(LoadOptions.usage)"
        case .setup(let message): "setup failed: \(message)"
        }
    }
}

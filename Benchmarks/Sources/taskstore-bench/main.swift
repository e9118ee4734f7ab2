// Engine benchmarks, run in release builds. Each measurement bounds its own count and time.
//
//   taskstore-bench group-commit --dir D [--seconds 3]   events/s and fsyncs/s at --fsync always, 1/16/256 writers
//   taskstore-bench populate --dir D [--users 10000 --tasks 1000000]
//   taskstore-bench recover --dir D                       time to open (snapshot + WAL replay) and resident memory
//   taskstore-bench snapshot --dir D                       time to write a snapshot of what D holds
//   taskstore-bench retention --dir D [--users 10000]      idempotency keys and tombstones over simulated days
import Foundation
import Logging
import TaskStore

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}
guard let command = arguments.first else {
    print("usage: taskstore-bench group-commit|populate|recover|snapshot|retention --dir D")
    exit(2)
}
let directory = option("dir", default: "")
guard !directory.isEmpty else {
    print("--dir is required")
    exit(2)
}
// As taskd serves: the memory figures are taskd's.
MallocSettings.apply()
var logger = Logger(label: "bench")
logger.logLevel = .warning

switch command {
case "group-commit":
    try await GroupCommitBenchmark(directory: directory, seconds: Double(option("seconds", default: "3"))!, logger: logger).run()
case "populate":
    try await Population(directory: directory, users: Int(option("users", default: "10000"))!, tasks: Int(option("tasks", default: "1000000"))!, logger: logger).run()
case "recover":
    try await RecoveryBenchmark(directory: directory, logger: logger).run()
case "retention":
    try await RetentionBenchmark(directory: directory, users: Int(option("users", default: "10000"))!, logger: logger).run()
case "snapshot":
    try await SnapshotBenchmark(directory: directory, logger: logger).run()
default:
    print("unknown command \(command)")
    exit(2)
}

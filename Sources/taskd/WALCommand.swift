import ArgumentParser
import Foundation
import TaskStore

struct WALCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wal", abstract: "Check, print or repair the write-ahead log.",
        subcommands: [Verify.self, Dump.self, Repair.self])

    /// Exit status when the log could not be read at all (no such directory, no permission):
    /// not 1, which says the log ends in a torn frame.
    static let unreadable: Int32 = 3

    /// `body`, with a failure to read the log reported and exited with as `unreadable`.
    static func reading(_ dataDirectory: DataDirectoryOption, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as StorageError {
            FileHandle.standardError.write(Data("cannot read the write-ahead log in \(dataDirectory.path): \(error)\n".utf8))
            throw ExitCode(unreadable)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every frame. Exits 0 when clean, 1 for a torn tail only, 2 for corruption before the tail, 3 when the log cannot be read; also names any damaged snapshot that recovery passes over.")
        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() throws {
            try WALCommand.reading(dataDirectory) {
                let summary = try WALInspection(directory: dataDirectory.path).verify()
                print(summary.text)
                if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
            }
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every record as one JSON object a line. Exits as verify does at a bad frame, 3 when the log cannot be read.")
        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() throws {
            try WALCommand.reading(dataDirectory) {
                let damage = try WALInspection(directory: dataDirectory.path).dump { line in print(line) }
                if let damage {
                    FileHandle.standardError.write(Data("stopped at \(damage)\n".utf8))
                    throw ExitCode(damage.kind == .tornTail ? 1 : 2)
                }
            }
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut the log at its first bad frame, keeping a .broken copy of every file changed or set aside; also names any damaged snapshot that recovery passes over.")
        @OptionGroup var dataDirectory: DataDirectoryOption

        func run() throws {
            print(try WALRepair(directory: dataDirectory.path).run().text)
        }
    }
}

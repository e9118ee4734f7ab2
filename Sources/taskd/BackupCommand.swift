import ArgumentParser
import Foundation
import TaskStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent, compressed, verified copy of a data directory to one file, also while a server runs on it.")

    @OptionGroup var dataDirectory: DataDirectoryOption

    @Option(help: "The archive to write (mode 0600: it holds the signing key).")
    var out: String

    func run() throws {
        do {
            let report = try DataDirectoryBackup(directory: dataDirectory.path).write(to: out)
            print("wrote \(out): \(report.bytes) bytes, \(report.files.count) files (\(report.files.joined(separator: ", "))), up to LSN \(report.lastLSN), verified, in \(report.duration)")
        } catch {
            FileHandle.standardError.write(Data("backup failed: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Check a backup archive and lay it out as a data directory (which must be empty or new).")

    @Option(help: "The archive `taskd backup` wrote.")
    var from: String

    @OptionGroup var dataDirectory: DataDirectoryOption

    func run() throws {
        do {
            let report = try DataDirectoryRestore(archivePath: from, directory: dataDirectory.path).run()
            print("restored \(report.files.count) files into \(dataDirectory.path), up to LSN \(report.lastLSN); start it with taskd serve --data-dir \(dataDirectory.path)")
        } catch {
            FileHandle.standardError.write(Data("restore failed, nothing written: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

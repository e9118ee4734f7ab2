import ArgumentParser

@main
struct Taskd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskd",
        abstract: "A task-management HTTP API server with an in-memory, write-ahead-logged store.",
        subcommands: [ServeCommand.self, WALCommand.self, BackupCommand.self, RestoreCommand.self],
        defaultSubcommand: ServeCommand.self)
}

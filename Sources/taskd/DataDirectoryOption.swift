import ArgumentParser

/// `--data-dir`, shared by every command that works on a data directory.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (env TASKD_DATA_DIR; default ./data).")
    var path: String = Environment.defaultDataDirectory
}

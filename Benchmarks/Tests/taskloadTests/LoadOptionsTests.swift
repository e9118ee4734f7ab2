import Testing

@testable import taskload

@Suite struct LoadOptionsTests {
    @Test func readsEveryFlag() throws {
        let options = try LoadOptions([
            "--base", "http://127.0.0.1:9", "--scenario", "mixed", "--connections", "8", "--duration", "2.5",
            "--warmup", "0", "--rate", "500", "--users", "2", "--tasks", "3", "--threads", "2", "--json",
        ])
        #expect(options.base == "http://127.0.0.1:9")
        #expect(options.scenario == "mixed")
        #expect(options.connections == 8)
        #expect(options.duration == 2.5)
        #expect(options.warmup == 0)
        #expect(options.rate == 500)
        #expect(options.users == 2)
        #expect(options.tasksPerUser == 3)
        #expect(options.threads == 2)
        #expect(options.json)
    }

    @Test func withoutFlagsRunsAClosedLoop() throws {
        let options = try LoadOptions([])
        #expect(options.rate == nil)
        #expect(options.connections == 64)
    }

    /// Each of these once fell back to its default (or, for a zero count, crashed the run):
    /// a mistyped rate measured a closed loop and printed it as asked.
    @Test(arguments: [
        (["--rate", "1k"], "--rate takes a number from 1.0 to 10000000.0, not '1k'"),
        (["--rate", "nan"], "--rate takes a number from 1.0 to 10000000.0, not 'nan'"),
        (["--connections", "sixty"], "--connections takes a number from 1 to 100000, not 'sixty'"),
        (["--connections", "0"], "--connections takes a number from 1 to 100000, not '0'"),
        (["--duration", "-1"], "--duration takes a number from 0.1 to 3600.0, not '-1'"),
        (["--users", "0"], "--users takes a number from 1 to 100000, not '0'"),
        (["--tasks", "0"], "--tasks takes a number from 1 to 1000000, not '0'"),
        (["--threads", "65"], "--threads takes a number from 1 to 64, not '65'"),
        (["--warmup"], "--warmup needs a value"),
        (["--scenario", "lists"], "unknown scenario lists"),
        (["--path", "list"], "--path must start with '/', not 'list'"),
        (["--conections", "8"], "unknown flag --conections"),
    ])
    func refusesWhatItCannotMeasure(arguments: [String], message: String) {
        #expect {
            try LoadOptions(arguments)
        } throws: { error in
            guard case LoadError.usage(let reported) = error else { return false }
            return reported == message
        }
    }

    @Test(arguments: ["--help", "-h"])
    func helpIsNotAnError(flag: String) {
        #expect {
            try LoadOptions(["--scenario", "get", flag])
        } throws: { error in
            guard case LoadError.help = error else { return false }
            return true
        }
    }
}

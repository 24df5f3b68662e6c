import ArgumentParser

/// The `tock` command: argument parsing and wiring only; the work is in the libraries.
@main
struct Tock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tock",
        abstract: "A cron scheduler and background-job system.",
        discussion: """
            Schedules are declared in YAML files (default: schedules/). `tock check` validates \
            them; `tock next` shows when each event fires next, without enqueueing anything.
            """,
        version: "0.1.0",
        subcommands: [CheckCommand.self, NextCommand.self, BenchCommand.self]
    )
}

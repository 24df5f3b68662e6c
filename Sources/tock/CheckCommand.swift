import ArgumentParser
import Foundation
import TockCore
import TockSchedule

/// `tock check`: validates schedule files and prints every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check schedule files; print every problem in every file.",
        discussion: """
            Prints each problem as FILE:LINE:COLUMN: error|warning: MESSAGE, then a summary. \
            Exits 0 when there are no errors (warnings allowed), 1 when there are, 2 on usage errors.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Schedule files or directories (default: the configuration's, schedules/).")
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("The service's time zone, for events that name none (default: the configuration's, UTC).", valueName: "TZ"))
    var zone: String?

    @Flag(name: .shortAndLong, help: "Print only problems, no summary.")
    var quiet = false

    func run() async throws {
        let configuration = try global.configuration()
        let zone = self.zone ?? configuration.timeZone
        _ = try CronTimeZoneArgument.validate(zone)
        let result = ScheduleArguments.load(paths, zone: zone, configuration: configuration)
        for problem in result.problems { print(TerminalText.escaped(problem.description)) }
        if !quiet {
            let set = result.schedules
            let errors = result.errors.count
            let warnings = result.warnings.count
            print(
                "\(set.files.count) \(plural(set.files.count, "file")), \(set.events.count) \(plural(set.events.count, "event")), "
                    + "\(set.jobs.count) \(plural(set.jobs.count, "job")): "
                    + "\(errors) \(plural(errors, "error")), \(warnings) \(plural(warnings, "warning"))")
        }
        if result.hasErrors { throw ExitCode(1) }
    }

    private func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }
}

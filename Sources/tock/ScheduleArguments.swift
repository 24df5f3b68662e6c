import ArgumentParser
import TockCore
import TockSchedule

/// `--schedules`, for every command that reads the schedule files: the same paths the
/// scheduler was started with find the same events.
struct ScheduleOptions: ParsableArguments {
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Schedule files or directories (default: the configuration's, schedules/).", valueName: "PATH"))
    var schedules: [String] = []
}

/// Schedule paths and the service settings schedule files are read with.
enum ScheduleArguments {
    /// Paths given on the command line, or the configuration's (default `schedules/`).
    static func paths(_ given: [String], _ configuration: Configuration) -> [String] {
        given.isEmpty ? configuration.schedules : given
    }

    /// Loads `paths` as the service would: `zone` for events that name none, the
    /// configured queues and `all` interval.
    static func load(_ paths: [String], zone: String, configuration: Configuration, jobsOnly: Bool = false) -> ScheduleLoadResult {
        let options = ScheduleLoader.Options(
            defaultTimeZone: zone, queues: configuration.queues.map(\.name),
            schedulerInterval: configuration.schedulerInterval, jobsOnly: jobsOnly)
        return ScheduleLoader(options: options).load(paths: Self.paths(paths, configuration))
    }
}

import ArgumentParser
import TockSchedule

/// Paths given on the command line, or `schedules/` when there are none.
enum ScheduleArguments {
    static let defaultPaths = ["schedules/"]

    static func paths(_ given: [String]) -> [String] { given.isEmpty ? defaultPaths : given }

    /// Loads `paths` with the service's zone as the default for events that name none.
    static func load(_ paths: [String], zone: String) -> ScheduleLoadResult {
        ScheduleLoader(options: .init(defaultTimeZone: zone)).load(paths: Self.paths(paths))
    }
}

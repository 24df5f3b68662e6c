import Foundation
import TockCore
import TockSchedule
import TockValues

/// The `jobs:` declared in the configured schedule files, for commands that enqueue by
/// name without loading a schedule themselves.
enum JobDeclarations {
    /// The declaration of `name`, if the schedule files declare it. Files that cannot
    /// be read or have errors are skipped: enqueueing does not depend on them.
    /// Only the files' `jobs:` are read, not their events.
    static func find(_ name: String, configuration: Configuration) -> JobDeclaration? {
        let paths = configuration.schedules.filter { FileManager.default.fileExists(atPath: $0) }
        guard !paths.isEmpty else { return nil }
        let result = ScheduleArguments.load(paths, zone: configuration.timeZone, configuration: configuration, jobsOnly: true)
        return result.schedules.jobs[name]?.declaration
    }
}

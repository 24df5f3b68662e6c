/// Everything a load produced: the jobs and events of every file that loaded, minus
/// the declarations that had errors.
public struct ScheduleSet: Sendable, Hashable {
    /// The jobs declared under `jobs:`, by name.
    public var jobs: [String: JobDefinition]
    /// The events, sorted by name.
    public var events: [ScheduledEvent]
    /// The files read, in the order they were loaded (directories expanded).
    public var files: [String]

    /// A set; `events` is sorted by name.
    public init(jobs: [String: JobDefinition] = [:], events: [ScheduledEvent] = [], files: [String] = []) {
        self.jobs = jobs
        self.events = events.sorted { $0.name < $1.name }
        self.files = files
    }

    /// The event called `name`, if any.
    public func event(named name: String) -> ScheduledEvent? {
        var low = 0
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low < events.count && events[low].name == name ? events[low] : nil
    }

    /// The events that enqueue `job`, sorted by name.
    public func events(forJob job: String) -> [ScheduledEvent] {
        events.filter { $0.job == job }
    }
}

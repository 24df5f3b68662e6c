/// What ``ScheduleLoader`` produced: the usable schedule and every problem found.
public struct ScheduleLoadResult: Sendable {
    /// The jobs and events of every declaration without errors.
    public var schedules: ScheduleSet
    /// Every error and warning, sorted by file, line and column.
    public var problems: [ScheduleProblem]

    /// A result; `problems` is sorted.
    public init(schedules: ScheduleSet, problems: [ScheduleProblem]) {
        self.schedules = schedules
        self.problems = problems.sorted()
    }

    /// The problems that make the load fail.
    public var errors: [ScheduleProblem] { problems.filter(\.isError) }
    /// The problems that do not.
    public var warnings: [ScheduleProblem] { problems.filter { $0.severity == .warning } }
    /// Whether any problem is an error: `tock check` exits non-zero, and the scheduler
    /// should refuse to start rather than run a partial schedule.
    public var hasErrors: Bool { problems.contains(where: \.isError) }
}

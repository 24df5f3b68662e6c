import TockValues
import TockCron

/// One event: a job enqueued on a schedule, as a schedule file declares it, with every
/// default and inherited value filled in.
public struct ScheduledEvent: Sendable, Hashable {
    /// The event's identity, unique across files: its key under `events:`, or for
    /// `scheduler_events` `<job>@<frequency>` (`app.tasks.heartbeat@all`) and
    /// `<job>@cron:<expression>` (`app.tasks.sync@cron:0/15 * * * *`). The scheduler
    /// keeps its state per name, so renaming an event starts it afresh.
    public var name: String
    /// The job it enqueues.
    public var job: String
    /// The schedule as written: a cron expression, a macro, or a frequency name.
    public var scheduleText: String
    /// The parsed schedule (a frequency's expression for a frequency); `H` terms are
    /// hashed from ``name``.
    public var expression: CronExpression
    /// The zone the schedule is evaluated in: the event's `timezone`, else its file's,
    /// else the loader's default.
    public var timeZone: CronTimeZone
    /// The Frappe frequency it was declared with (under `scheduler_events`, or as its
    /// `schedule:`), if any; ``Frequency/cron`` for `scheduler_events.cron`.
    public var frequency: Frequency?
    /// The queue its jobs go to: the event's `queue`, else the job's, else the
    /// frequency's, else `default`.
    public var queue: String
    /// How long one run may take, in seconds: the event's `timeout`, else the job's;
    /// `nil` leaves it to the queue.
    public var timeout: Int?
    /// The arguments handed to the job, if the event has `args`.
    public var args: JSONValue?
    /// What happens to fires missed while no scheduler ran; default ``CatchUpPolicy/latest``.
    public var catchUp: CatchUpPolicy
    /// What a fire does while the previous job is pending; default ``OverlapPolicy/skip``.
    public var overlap: OverlapPolicy
    /// The largest delay added to every fire, in seconds; default 0. See ``jitterOffset``.
    public var jitter: Int
    /// `false`: declared but never fired.
    public var enabled: Bool
    /// Where the event's name is written (for `scheduler_events`, the job in the list).
    public var location: FileLocation

    /// An event; see the properties for what each value means.
    public init(
        name: String, job: String, scheduleText: String, expression: CronExpression,
        timeZone: CronTimeZone, frequency: Frequency? = nil, queue: String = "default",
        timeout: Int? = nil, args: JSONValue? = nil, catchUp: CatchUpPolicy = .latest,
        overlap: OverlapPolicy = .skip, jitter: Int = 0, enabled: Bool = true, location: FileLocation
    ) {
        self.name = name
        self.job = job
        self.scheduleText = scheduleText
        self.expression = expression
        self.timeZone = timeZone
        self.frequency = frequency
        self.queue = queue
        self.timeout = timeout
        self.args = args
        self.catchUp = catchUp
        self.overlap = overlap
        self.jitter = jitter
        self.enabled = enabled
        self.location = location
    }

    /// The expression evaluated in the event's zone. Its fire times do not include
    /// ``jitterOffset``; `@reboot` has none.
    public var schedule: CronSchedule { CronSchedule(expression, timeZone: timeZone) }

    /// Fires once per machine boot rather than on the calendar (`@reboot`).
    public var isReboot: Bool { expression.isReboot }
}

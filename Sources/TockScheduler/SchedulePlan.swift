import Foundation
import TockCore
import TockSchedule
import TockValues

/// What the scheduler fires: the events of the schedule files and the jobs they declare.
/// Replaced as a whole on reload.
public struct SchedulePlan: Sendable {
    public var events: [ScheduledEvent]
    /// `jobs:` declarations, for their queues, timeouts and retry policies.
    public var jobs: [String: JobDeclaration]
    /// The configuration the files were read with (queues and their timeouts and
    /// `max_queued`, `heartbeat_timeout`), when it was read again with them (SIGHUP
    /// re-reads `tock.yaml` too); `nil`: the one the scheduler was started with.
    public var configuration: Configuration?

    public init(events: [ScheduledEvent], jobs: [String: JobDeclaration] = [:], configuration: Configuration? = nil) {
        self.events = events
        self.jobs = jobs
        self.configuration = configuration
    }

    public init(_ set: ScheduleSet, configuration: Configuration? = nil) {
        self.init(events: set.events, jobs: set.declarations, configuration: configuration)
    }
}

/// What the scheduler tells whoever supervises it (systemd: `READY=1`, `STATUS=`,
/// `WATCHDOG=1`). All optional; the defaults do nothing.
public protocol SchedulerObserver: Sendable {
    /// The schedule is loaded and the backend answered.
    func schedulerIsReady(status: String)
    /// A one-line status: role, events, next fire, backend health.
    func schedulerStatus(_ status: String)
    /// Called from every pass of the loop that does the work (at least once a second):
    /// a watchdog keep-alive that stops when the loop is stuck.
    func schedulerLoopIsAlive()
    /// A fire's job was committed (`committedAt` − `instant` is its lateness).
    func schedulerEnqueued(_ job: Job, for event: String, instant: Date, committedAt: Date)
}

extension SchedulerObserver {
    public func schedulerIsReady(status: String) {}
    public func schedulerStatus(_ status: String) {}
    public func schedulerLoopIsAlive() {}
    public func schedulerEnqueued(_ job: Job, for event: String, instant: Date, committedAt: Date) {}
}

/// An observer that observes nothing.
public struct SilentObserver: SchedulerObserver {
    public init() {}
}

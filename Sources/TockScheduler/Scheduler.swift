import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TockCore
import TockSchedule

/// The scheduler daemon's work: sleeps until the next due instant and enqueues each due
/// event's job — never runs it — exactly once, under a leader lease.
///
/// - A min-heap of next fires: O(log n) per fire, no per-minute scan of all events.
/// - Exactly once: a fire's job id comes from the event and the instant (``FireJobID``),
///   the enqueue is idempotent, and the job and the event's state are written together
///   under the lease's fencing token.
/// - After downtime (or a forward clock step, or taking over from a dead leader) each
///   event follows its `catch_up`; fires at most ``Options/latenessGrace`` late are
///   simply late. A backward clock step never re-fires an instant: the heap only holds
///   instants after the last one handled.
/// - `overlap: skip` skips a fire while the event's previous job is queued or started,
///   unless that job's worker stopped heartbeating.
///
/// Run it in a `ServiceGroup`; graceful shutdown releases the lease so a standby takes
/// over at once.
public struct Scheduler: Service {
    let backend: any TockBackend
    let client: JobClient
    let clock: any SchedulerClock
    let options: Options
    let observer: any SchedulerObserver
    let logger: Logger
    let pendingPlan: PendingPlan

    public init(
        backend: any TockBackend, configuration: Configuration, plan: SchedulePlan,
        clock: any SchedulerClock = SystemSchedulerClock(), options: Options = Options(),
        observer: any SchedulerObserver = SilentObserver(), logger: Logger
    ) {
        self.backend = backend
        self.client = JobClient(backend: backend, configuration: configuration)
        self.clock = clock
        self.options = options
        self.observer = observer
        self.logger = logger
        self.pendingPlan = PendingPlan(plan)
    }

    /// Replaces the events (SIGHUP). Takes effect within a second: events that are
    /// unchanged keep their state, which lives in the backend, by event name.
    public func reload(_ plan: SchedulePlan) {
        pendingPlan.set(plan)
    }

    public func run() async throws {
        guard let plan = pendingPlan.take() else { return }
        var run = SchedulerRun(scheduler: self, plan: plan)
        await run.loop()
    }
}

/// A plan waiting to be picked up by the loop.
final class PendingPlan: Sendable {
    private let plan: Mutex<SchedulePlan?>

    init(_ plan: SchedulePlan) { self.plan = Mutex(plan) }

    func set(_ plan: SchedulePlan) { self.plan.withLock { $0 = plan } }

    func take() -> SchedulePlan? { plan.withLock { plan in defer { plan = nil }; return plan } }
}

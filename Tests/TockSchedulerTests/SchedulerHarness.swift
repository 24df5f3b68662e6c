import Foundation
import Logging
import Testing
import TockCore
import TockCron
import TockSchedule
import TockScheduler

/// A scheduler on a memory backend and a manual clock, run in a task the test controls.
struct SchedulerHarness {
    let backend: any TockBackend
    let clock: ManualClock
    let configuration = Configuration(backend: "memory:")

    init(start: Date, backend: any TockBackend = MemoryBackend()) {
        self.backend = backend
        self.clock = ManualClock(start)
    }

    static func events(_ yaml: String, zone: String = "UTC") -> SchedulePlan {
        let result = ScheduleLoader(options: .init(defaultTimeZone: zone)).load(sources: [(file: "test.yaml", yaml: yaml)])
        precondition(!result.hasErrors, "\(result.problems)")
        return SchedulePlan(result.schedules)
    }

    func scheduler(
        _ plan: SchedulePlan, holder: String = "a", bootID: String = "boot-1", clock: ManualClock? = nil,
        configuration: Configuration? = nil
    ) -> Scheduler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Scheduler(
            backend: backend, configuration: configuration ?? self.configuration, plan: plan, clock: clock ?? self.clock,
            options: .init(holder: holder, leaseDuration: 15, catchUpCap: 5, latenessGrace: 10, bootID: bootID),
            logger: logger)
    }

    /// Starts `scheduler`; returns the task running it (cancel it to stop the scheduler
    /// without releasing its lease, as a SIGKILL would).
    func start(_ scheduler: Scheduler, on clock: ManualClock? = nil) async -> Task<Void, any Error> {
        let task = Task { try await scheduler.run() }
        await (clock ?? self.clock).settle()
        return task
    }

    /// Finishes every queued job, as a worker that keeps up would. (Kept 400 days: the
    /// manual clock is months behind the wall clock Redis expires keys by.)
    func drain() async throws {
        while let job = try await backend.claim(from: ["default", "short", "long"], worker: "w", now: clock.now()) {
            _ = try await backend.complete(job.id, worker: "w", outcome: .finished(nil, resultTTL: 400 * 86_400), now: clock.now())
        }
    }

    /// Every job, oldest first.
    func jobs() async throws -> [Job] {
        try await backend.jobs(matching: JobFilter(limit: 100_000)).reversed()
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }
}

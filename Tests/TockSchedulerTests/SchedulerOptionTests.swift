import Foundation
import Testing
import TockCore
import TockRedis
import TockSchedule
import TockScheduler
import TockTestSupport

/// The options and faults the other scheduler tests leave out: jitter, `max_queued`, a
/// backend that refuses writes, an event changed on reload, an override that enables an
/// `enabled: false` event, and a leader fenced between its renewal and its write.
@Suite struct SchedulerOptionTests {
    let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")

    /// A jittered event fires its instant's job (the id and origin name the instant) at
    /// the instant plus its fixed offset, never before.
    @Test func jitterDelaysTheFireButNotTheInstant() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              spread:
                job: app.spread
                schedule: "* * * * *"
                jitter: 30s
                overlap: allow
            """)
        let offset = try #require(plan.events.first?.jitterOffset)
        #expect((0..<30).contains(offset))
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 60 + Double(offset) - 1, step: 0.5)  // just before 12:01 + offset
        #expect(try await harness.jobs().isEmpty)
        await harness.clock.run(for: 2, step: 0.5)
        task.cancel()
        _ = await task.result
        let jobs = try await harness.jobs()
        #expect(jobs.map(\.origin) == ["scheduler:spread@2026-06-01T12:01:00Z"])
        let enqueued = try #require(jobs.first?.enqueuedAt)
        #expect(enqueued >= t0.addingTimeInterval(60 + Double(offset)))
    }

    /// A full queue skips the fire, counted as `queue_full`; the next fire after room is
    /// made goes in.
    @Test func aFullQueueSkipsTheFireLoudlyAndTheNextGoesIn() async throws {
        let harness = SchedulerHarness(start: t0)
        var configuration = Configuration(backend: "memory:")
        configuration.queues = configuration.queues.map { queue in
            var queue = queue
            if queue.name == "default" { queue.maxQueued = 1 }
            return queue
        }
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan, configuration: configuration))
        await harness.clock.run(for: 25)  // :10 queued; :20 finds the queue full
        #expect(try await harness.jobs().count == 1)
        #expect(try await harness.backend.eventStates()["tens"]?.lastSkipReason == .queueFull)
        try await harness.drain()
        await harness.clock.run(for: 10)  // :30 fits again
        task.cancel()
        _ = await task.result
        #expect(try await harness.jobs().map(\.origin) == ["10", "30"].map { "scheduler:tens@2026-06-01T12:00:\($0)Z" })
        #expect(try await harness.backend.eventStates()["tens"]?.skippedFires == 1)
    }

    /// A backend that refuses writes (Redis at `maxmemory` with `noeviction`) loses no
    /// fire and doubles none: fires refused between two lease renewals are retried a
    /// second later, the renewal refused after them stands the loop down with backoff,
    /// and every instant is written, once, when writes work again.
    @Test(.enabled(if: RedisServer.isInstalled, "redis-server is not installed"))
    func aBackendRefusingWritesLosesNoFire() async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let backend = try await RedisBackend.connect(url: server.url())
        let admin = RedisConnection(url: server.url())
        defer { Task { await admin.close() } }
        let harness = SchedulerHarness(start: t0, backend: backend)
        let plan = SchedulerHarness.events("""
            events:
              tick:
                job: app.tick
                schedule: "* * * * * *"
                overlap: allow
                catch_up: all
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 11)  // :01 … :11; the lease was renewed at :10
        _ = try await admin.send(["CONFIG", "SET", "maxmemory-policy", "noeviction"])
        _ = try await admin.send(["CONFIG", "SET", "maxmemory", "1"])
        await harness.clock.run(for: 14)  // :12–:14 refused and retried; the renewal at :15 refused
        let during = try await harness.jobs().count
        _ = try await admin.send(["CONFIG", "SET", "maxmemory", "0"])
        await harness.clock.run(for: 40)
        task.cancel()
        _ = await task.result
        #expect(during == 11, "a fire was written while Redis refused writes")
        // The outage outlasted the grace: its oldest instants are past the harness's
        // catch_up cap of 5, skipped and counted; every other instant has one job.
        let jobs = try await harness.jobs()
        let instants = jobs.compactMap { ISO8601DateFormatter().date(from: String($0.origin.split(separator: "@")[1])) }
        #expect(Set(instants).count == instants.count, "an instant fired twice")
        #expect(instants == instants.sorted())
        let state = try #require(try await backend.eventStates()["tick"])
        let first = t0.addingTimeInterval(1)
        let handled = Int(try #require(state.lastFire).timeIntervalSince(first)) + 1
        #expect(jobs.count + state.skippedFires == handled, "\(jobs.count) jobs + \(state.skippedFires) skipped of \(handled)")
        #expect(state.skippedFires > 0 && state.lastSkipReason == .catchUpCap)
    }

    /// Changing an event's schedule on reload takes effect from the next instant of the
    /// new schedule after the last one handled.
    @Test func anEventChangedOnReloadFollowsItsNewSchedule() async throws {
        let harness = SchedulerHarness(start: t0)
        let scheduler = harness.scheduler(SchedulerHarness.events("""
            events:
              tick:
                job: app.tick
                schedule: "*/10 * * * * *"
                overlap: allow
            """))
        let task = await harness.start(scheduler)
        await harness.clock.run(for: 21)  // :10, :20
        scheduler.reload(SchedulerHarness.events("""
            events:
              tick:
                job: app.tock
                schedule: "*/15 * * * * *"
                overlap: allow
            """))
        await harness.clock.run(for: 40)  // 12:01:01: :30, :45, 1:00 on the new schedule
        task.cancel()
        _ = await task.result
        let jobs = try await harness.jobs()
        #expect(jobs.map(\.origin) == [
            "scheduler:tick@2026-06-01T12:00:10Z", "scheduler:tick@2026-06-01T12:00:20Z", "scheduler:tick@2026-06-01T12:00:30Z",
            "scheduler:tick@2026-06-01T12:00:45Z", "scheduler:tick@2026-06-01T12:01:00Z",
        ])
        #expect(jobs.map(\.name) == ["app.tick", "app.tick", "app.tock", "app.tock", "app.tock"])
    }

    /// `tock events enable` switches on an event its file declares `enabled: false`.
    @Test func anOverrideEnablesAnEventTheFileDisables() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              off:
                job: app.off
                schedule: "*/10 * * * * *"
                enabled: false
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 20)
        #expect(try await harness.jobs().isEmpty)
        try await harness.backend.setEventEnabled("off", enabled: true)
        await harness.clock.run(for: 30)  // read at the next renewal (≤ 5 s)
        task.cancel()
        _ = await task.result
        #expect(try await harness.jobs().map(\.origin) == ["30", "40", "50"].map { "scheduler:off@2026-06-01T12:00:\($0)Z" })
    }

    /// Another holder takes the lease between the leader's renewal and its next write: the
    /// write is refused by its token (nothing is written) and the old leader stands by.
    @Test func aWriteUnderALostLeaseIsFencedAndTheLeaderStandsBy() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              tick:
                job: app.tick
                schedule: "* * * * * *"
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan, holder: "leader"))
        await harness.clock.run(for: 3)
        let before = try await harness.jobs().count
        // The intruder's clock is ahead: to it the leader's lease has expired.
        let intruder = try #require(try await harness.backend.acquireLease(holder: "intruder", duration: 3600, now: t0.addingTimeInterval(60)))
        await harness.clock.run(for: 3)  // the next fires are written under the old token
        task.cancel()
        _ = await task.result
        #expect(before >= 2)
        #expect(try await harness.jobs().count == before, "a fire was written under a fenced token")
        #expect(try await harness.backend.lease()?.token == intruder.token)
    }
}

@Suite struct RefusedFireTests {
    /// A fire whose job the client refuses (here: its queue is unknown to the
    /// configuration the scheduler runs with) is skipped and counted as `refused`; the
    /// other events of the same pass still fire.
    @Test func aRefusedFireIsSkippedAndTheOthersFire() async throws {
        let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")
        let harness = SchedulerHarness(start: t0)
        let loaded = ScheduleLoader(options: .init(defaultTimeZone: "UTC", queues: ["default", "reports"])).load(sources: [(
            file: "test.yaml",
            yaml: """
                events:
                  report:
                    job: app.report
                    schedule: "*/10 * * * * *"
                    queue: reports
                  tick:
                    job: app.tick
                    schedule: "*/10 * * * * *"
                """
        )])
        #expect(!loaded.hasErrors)
        let task = await harness.start(harness.scheduler(SchedulePlan(loaded.schedules)))
        await harness.clock.run(for: 12)
        task.cancel()
        _ = await task.result
        #expect(try await harness.jobs().map(\.name) == ["app.tick"])
        let state = try await harness.backend.eventStates()["report"]
        #expect(state?.lastSkipReason == .refused)
        #expect(state?.skippedFires == 1)
    }
}

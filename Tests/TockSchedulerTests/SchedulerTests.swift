import Foundation
import Testing
import TockCore
import TockScheduler
import TockValues

@Suite struct SchedulerTests {
    let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")

    @Test func firesEachInstantOnceWithTheEventsSettings() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              every-ten:
                job: app.tick
                schedule: "*/10 * * * * *"
                queue: short
                args: {region: eu}
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 60)
        task.cancel()
        _ = await task.result
        let jobs = try await harness.jobs()
        #expect(jobs.count == 6)
        #expect(jobs.map { $0.origin } == (1...6).map { "scheduler:every-ten@2026-06-01T12:0\($0 == 6 ? 1 : 0):\($0 == 6 ? "00" : "\($0)0")Z" })
        #expect(jobs.allSatisfy { $0.queue == "short" && $0.kwargs == ["region": "eu"] && $0.name == "app.tick" })
        #expect(Set(jobs.map(\.id)).count == 6)
        #expect(jobs.first?.id.rawValue.hasSuffix("-\(Int(t0.timeIntervalSince1970) + 10)") == true)
    }

    @Test func restartDoesNotDuplicateAndCatchesUpTheLatest() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              hourly:
                job: app.hourly
                schedule: "0 * * * *"
                overlap: allow
              quarter:
                job: app.quarter
                schedule: "*/15 * * * *"
                catch_up: all
                overlap: allow
              never:
                job: app.never
                schedule: "*/15 * * * *"
                catch_up: none
                overlap: allow
            """)
        var task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 3600, step: 60)  // 12:00 → 13:00
        task.cancel()
        _ = await task.result
        let before = try await harness.jobs()
        #expect(before.filter { $0.name == "app.hourly" }.count == 1)
        #expect(before.filter { $0.name == "app.quarter" }.count == 4)
        // Down for three hours: 13:00 → 16:00.
        harness.clock.set(t0.addingTimeInterval(4 * 3600 + 30))
        task = await harness.start(harness.scheduler(plan, holder: "b"))
        task.cancel()
        _ = await task.result
        let after = try await harness.jobs()
        let hourly = after.filter { $0.name == "app.hourly" }.map(\.origin)
        #expect(hourly == ["scheduler:hourly@2026-06-01T13:00:00Z", "scheduler:hourly@2026-06-01T16:00:00Z"])
        // catch_up: all, capped at 5: the five most recent of the twelve missed.
        let quarter = after.filter { $0.name == "app.quarter" }.map(\.origin)
        #expect(quarter.count == 4 + 5)
        #expect(quarter.last == "scheduler:quarter@2026-06-01T16:00:00Z")
        #expect(quarter.dropFirst(4).first == "scheduler:quarter@2026-06-01T15:00:00Z")
        // none (with overlap: allow, so that only catch_up holds it back): the three hours
        // are skipped, counted as missed.
        #expect(after.filter { $0.name == "app.never" }.count == before.filter { $0.name == "app.never" }.count)
        #expect(try await harness.backend.eventStates()["never"]?.lastSkipReason == .missed)
        #expect(Set(after.map(\.id)).count == after.count)
    }

    @Test func overlapSkipsWhilePendingButNotForAnAbandonedJob() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              minutely:
                job: app.slow
                schedule: "* * * * *"
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 180, step: 30)  // 12:01 fires; 12:02, 12:03 skipped (still queued)
        #expect(try await harness.jobs().count == 1)
        // A worker takes it (12:03:00), heartbeats once more at 12:03:50, then dies.
        let job = try #require(try await harness.backend.claim(from: ["default"], worker: "dead", now: harness.clock.now()))
        await harness.clock.run(for: 50, step: 25)
        let worker = WorkerRecord(name: "dead", hostname: "h", pid: 1, queues: ["default"], birth: t0, lastHeartbeat: harness.clock.now())
        _ = try await harness.backend.heartbeat(worker, runningJobs: [job.id], now: harness.clock.now())
        await harness.clock.run(for: 10, step: 5)  // 12:04: started, heartbeat 10 s old → skipped
        #expect(try await harness.jobs().count == 1)
        await harness.clock.run(for: 60, step: 30)  // 12:05: heartbeat 70 s old > 30 s → fires
        task.cancel()
        _ = await task.result
        let jobs = try await harness.jobs()
        #expect(jobs.count == 2)
        #expect(jobs.last?.origin == "scheduler:minutely@2026-06-01T12:05:00Z")
    }

    @Test func aBackwardClockStepNeverRefires() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 25)  // 12:00:10, 12:00:20
        harness.clock.set(t0.addingTimeInterval(5))  // NTP steps back 20 s
        await harness.clock.settle()
        await harness.clock.run(for: 30)  // back to 12:00:35
        task.cancel()
        _ = await task.result
        let origins = try await harness.jobs().map(\.origin)
        #expect(origins == ["10", "20", "30"].map { "scheduler:tens@2026-06-01T12:00:\($0)Z" })
    }

    @Test func standbyTakesOverAndAStalledLeaderIsFenced() async throws {
        let backend = MemoryBackend()
        let harness = SchedulerHarness(start: t0, backend: backend)
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
                overlap: allow
                catch_up: all
            """)
        // The leader's clock stops at 12:00:20 (SIGSTOP); the standby's keeps going.
        let leaderClock = ManualClock(t0)
        let leader = await harness.start(harness.scheduler(plan, holder: "leader", clock: leaderClock), on: leaderClock)
        let standbyTask = await harness.start(harness.scheduler(plan, holder: "standby"))
        for _ in 0..<40 {
            leaderClock.advance(by: 0.5)
            harness.clock.advance(by: 0.5)
            await leaderClock.settle()
            await harness.clock.settle()
        }
        #expect(try await harness.jobs().count == 2)
        await harness.clock.run(for: 40)  // 12:01:00: the lease (15 s) expired long ago
        let lease = try await harness.backend.lease()
        #expect(lease?.holder == "standby")
        // The stalled leader wakes and tries to fire 12:00:30 under its old token: refused.
        await leaderClock.run(for: 15)
        leader.cancel()
        standbyTask.cancel()
        _ = await leader.result
        _ = await standbyTask.result
        let origins = try await harness.jobs().map(\.origin)
        #expect(origins == ["10", "20", "30", "40", "50"].map { "scheduler:tens@2026-06-01T12:00:\($0)Z" } + ["scheduler:tens@2026-06-01T12:01:00Z"])
    }

    @Test func daylightSavingFollowsTheCronRules() async throws {
        let start = SchedulerHarness.date("2026-03-29T00:00:00Z")  // 01:00 CET
        let harness = SchedulerHarness(start: start)
        let plan = SchedulerHarness.events("""
            timezone: Europe/Berlin
            events:
              nightly:
                job: app.nightly
                schedule: "30 2 * * *"
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 3 * 3600, step: 300)
        task.cancel()
        _ = await task.result
        // 02:30 does not exist that night: it fires at 03:00 CEST = 01:00 UTC.
        #expect(try await harness.jobs().map(\.origin) == ["scheduler:nightly@2026-03-29T01:00:00Z"])
    }

    @Test func rebootEventsFireOncePerBoot() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              at-boot:
                job: app.warm
                schedule: "@reboot"
            """)
        for (holder, boot) in [("a", "boot-1"), ("b", "boot-1"), ("c", "boot-2")] {
            let task = await harness.start(harness.scheduler(plan, holder: holder, bootID: boot))
            await harness.clock.run(for: 20, step: 5)  // let any lease expire between runs
            task.cancel()
            _ = await task.result
        }
        let jobs = try await harness.jobs()
        #expect(jobs.count == 2)
        #expect(jobs.map(\.origin) == ["scheduler:at-boot@reboot", "scheduler:at-boot@reboot"])
    }

    @Test func pausedAndDisabledEventsDoNotEnqueue() async throws {
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
                overlap: allow
              off:
                job: app.off
                schedule: "*/10 * * * * *"
                enabled: false
            """)
        try await harness.backend.setPaused(true)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 30)
        #expect(try await harness.jobs().isEmpty)
        try await harness.backend.setPaused(false)
        await harness.clock.run(for: 20)  // the pause is read at the next lease renewal (≤ 5 s)
        task.cancel()
        _ = await task.result
        // Only what came due after the resume: the paused instants were skipped, not kept
        // to be caught up.
        #expect(try await harness.jobs().map(\.origin) == ["40", "50"].map { "scheduler:tens@2026-06-01T12:00:\($0)Z" })
        let states = try await harness.backend.eventStates()
        #expect(states["tens"]?.skippedFires == 3)
        #expect(states["tens"]?.lastSkipReason == .paused)
        #expect(states["off"]?.skippedFires == 5)
        #expect(states["off"]?.lastSkipReason == .disabled)
    }

    @Test func reloadAddsAndRemovesEventsAndKeepsState() async throws {
        let harness = SchedulerHarness(start: t0)
        let first = SchedulerHarness.events("""
            events:
              kept:
                job: app.kept
                schedule: "*/10 * * * * *"
                overlap: allow
              removed:
                job: app.removed
                schedule: "*/10 * * * * *"
                overlap: allow
            """)
        let scheduler = harness.scheduler(first)
        let task = await harness.start(scheduler)
        await harness.clock.run(for: 20)
        scheduler.reload(SchedulerHarness.events("""
            events:
              kept:
                job: app.kept
                schedule: "*/10 * * * * *"
                overlap: allow
              added:
                job: app.added
                schedule: "*/10 * * * * *"
                overlap: allow
            """))
        await harness.clock.run(for: 20)
        task.cancel()
        _ = await task.result
        let names = try await harness.jobs().map(\.name)
        #expect(names.filter { $0 == "app.kept" }.count == 4)
        #expect(names.filter { $0 == "app.removed" }.count == 2)
        #expect(names.filter { $0 == "app.added" }.count == 2)
    }
}

@Suite struct SchedulerClockStepTests {
    @Test func aForwardStepIsDowntimeAndFollowsCatchUp() async throws {
        let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              latest:
                job: app.latest
                schedule: "* * * * *"
                overlap: allow
              skipped:
                job: app.skipped
                schedule: "* * * * *"
                overlap: allow
                catch_up: none
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 61, step: 30)  // 12:01 fires for both
        harness.clock.set(t0.addingTimeInterval(3600 + 61))  // the clock jumps an hour ahead
        await harness.clock.settle()
        await harness.clock.run(for: 2, step: 1)
        task.cancel()
        _ = await task.result
        let jobs = try await harness.jobs()
        // latest: one job for the latest instant due (13:01), none for the hour skipped.
        #expect(jobs.filter { $0.name == "app.latest" }.map(\.origin) == [
            "scheduler:latest@2026-06-01T12:01:00Z", "scheduler:latest@2026-06-01T13:01:00Z",
        ])
        // none: the hour is skipped; 13:01, only a second late, is on time.
        #expect(jobs.filter { $0.name == "app.skipped" }.map(\.origin) == [
            "scheduler:skipped@2026-06-01T12:01:00Z", "scheduler:skipped@2026-06-01T13:01:00Z",
        ])
    }
}

@Suite struct SchedulerOverrideTests {
    @Test func disablingAnEventWhileLeadingStopsItsFires() async throws {
        let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")
        let harness = SchedulerHarness(start: t0)
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
                overlap: allow
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 20)  // 12:00:10, 12:00:20
        try await harness.backend.setEventEnabled("tens", enabled: false)
        await harness.clock.run(for: 40)  // seen at the next renewal (≤ 5 s): at most one more
        let whileDisabled = try await harness.jobs().count
        try await harness.backend.setEventEnabled("tens", enabled: nil)
        await harness.clock.run(for: 20)
        task.cancel()
        _ = await task.result
        #expect(whileDisabled <= 3)
        #expect(try await harness.jobs().count == whileDisabled + 2)
    }
}

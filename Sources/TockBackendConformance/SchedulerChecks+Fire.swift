import Foundation
import TockCore

/// `recordFire`: fenced by the lease token, atomic, idempotent by job id.
extension SchedulerChecks {
    @Sendable static func recordFireEnqueuesTheJobAndSetsTheState(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        let job = makeJob("nightly-1", at: t0 + 2)
        let outcome = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: job), token: lease.token, maxQueued: [:])
        try expectEqual(outcome, EnqueueOutcome(job: job, created: true), "outcome")
        try expectEqual(try await backend.job(job.id), job, "stored job")
        try expectEqual(try await backend.events(after: 0, limit: 10).map(\.job), [job.id], "logged events")
        try expectEqual(
            try await backend.eventStates(),
            ["nightly": EventState(name: "nightly", lastFire: t0, lastJob: job.id)], "event states")
        // The boot id of an @reboot event is stored with its fire.
        _ = try await backend.recordFire(
            FireRecord(event: "boot", instant: t0 + 1, job: makeJob("boot-1"), bootID: "boot-a"),
            token: lease.token, maxQueued: [:])
        try expectEqual(
            try await backend.eventStates()["boot"],
            EventState(name: "boot", lastFire: t0 + 1, lastJob: JobID(unchecked: "boot-1"), bootID: "boot-a"), "reboot state")
    }

    @Sendable static func staleTokenIsFencedAndWritesNothing(_ backend: any TockBackend) async throws {
        let fire = FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1"))
        try await expectTockError("a fire before any lease", { $0 == .fenced(token: 1, current: nil) }) {
            _ = try await backend.recordFire(fire, token: 1, maxQueued: [:])
        }
        let old = try await acquire(backend, "a", at: t0)
        let new = try await acquire(backend, "b", at: t0 + 31)
        try await expectTockError("a fire under the old token", { $0 == .fenced(token: old.token, current: new.token) }) {
            _ = try await backend.recordFire(fire, token: old.token, maxQueued: [:])
        }
        try expectEqual(try await backend.job(JobID(unchecked: "nightly-1")), nil, "job of a fenced fire")
        try expectEqual(try await backend.eventStates(), [:], "event states after a fenced fire")
        try expectEqual(try await backend.events(after: 0, limit: 10), [], "events after a fenced fire")
        // A skipped fire is fenced too.
        let skipped = FireRecord(event: "nightly", instant: t0, job: nil)
        try await expectTockError("a skipped fire under the old token", { $0 == .fenced(token: old.token, current: new.token) }) {
            _ = try await backend.recordFire(skipped, token: old.token, maxQueued: [:])
        }
        try expectEqual(try await backend.eventStates(), [:], "event states after a fenced skip")
        let outcome = try await backend.recordFire(fire, token: new.token, maxQueued: [:])
        try expectEqual(outcome?.created, true, "the new holder's fire created")
    }

    /// The scheduler's own write path: one `recordFires` with jobs and skips of several
    /// events; each skip adds its count, and the latest one's instant and reason are kept.
    @Sendable static func recordFiresCountsSkipsWithTheirReason(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        let job = makeJob("nightly-3")
        let outcomes = try await backend.recordFires(
            [
                FireRecord(event: "nightly", instant: t0, skip: FireSkip(.missed, count: 40)),
                FireRecord(event: "nightly", instant: t0 + 60, skip: FireSkip(.overlap)),
                FireRecord(event: "nightly", instant: t0 + 120, job: job),
                FireRecord(event: "hourly", instant: t0 + 30, skip: FireSkip(.paused)),
            ], token: lease.token, maxQueued: [:])
        try expectEqual(outcomes, [nil, nil, EnqueueOutcome(job: job, created: true), nil], "outcomes")
        let states = try await backend.eventStates()
        try expectEqual(
            states["nightly"],
            EventState(
                name: "nightly", lastFire: t0 + 120, lastJob: job.id, lastSkip: t0 + 60, lastSkipReason: .overlap, skippedFires: 41),
            "nightly's state")
        try expectEqual(
            states["hourly"], EventState(name: "hourly", lastFire: t0 + 30, lastSkip: t0 + 30, lastSkipReason: .paused, skippedFires: 1),
            "hourly's state")
        _ = try await backend.recordFire(
            FireRecord(event: "hourly", instant: t0 + 90, skip: FireSkip(.queueFull)), token: lease.token, maxQueued: [:])
        try expectEqual(try await backend.eventStates()["hourly"]?.skippedFires, 2, "hourly's count after one more")
        try expectEqual(try await backend.eventStates()["hourly"]?.lastSkipReason, .queueFull, "hourly's latest reason")
    }

    @Sendable static func sameFireTwiceEnqueuesOnce(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        let fire = FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1"), bootID: "boot-a")
        let first = try await backend.recordFire(fire, token: lease.token, maxQueued: [:])
        let states = try await backend.eventStates()
        let second = try await backend.recordFire(fire, token: lease.token, maxQueued: [:])
        try expectEqual(first?.created, true, "first fire created")
        try expectEqual(second, first.map { EnqueueOutcome(job: $0.job, created: false) }, "second fire")
        try expectEqual(try await backend.eventStates(), states, "event states after the second fire")
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 10)).count, 1, "jobs stored")
        try expectEqual(try await backend.events(after: 0, limit: 10).count, 1, "events logged")
    }

    @Sendable static func skippedFireMovesLastFireWithoutAJob(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1")), token: lease.token, maxQueued: [:])
        let outcome = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0 + 60, job: nil), token: lease.token, maxQueued: [:])
        try expectEqual(outcome, nil, "outcome of a skipped fire")
        try expectEqual(
            try await backend.eventStates()["nightly"],
            EventState(name: "nightly", lastFire: t0 + 60, lastJob: JobID(unchecked: "nightly-1")), "state after a skip")
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 10)).count, 1, "jobs stored")
        // A first fire that is skipped still makes the event's state.
        _ = try await backend.recordFire(FireRecord(event: "hourly", instant: t0, job: nil), token: lease.token, maxQueued: [:])
        try expectEqual(try await backend.eventStates()["hourly"], EventState(name: "hourly", lastFire: t0), "first skip")
    }

    @Sendable static func lastFireNeverMovesBackwards(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0 + 120, job: makeJob("late"), bootID: "boot-a"),
            token: lease.token, maxQueued: [:])
        // An earlier instant (a catch-up fire recorded late) enqueues its job and names it
        // the last job, but the last fire stays; a fire without a boot id keeps the stored one.
        let outcome = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0 + 60, job: makeJob("early")), token: lease.token, maxQueued: [:])
        try expectEqual(outcome?.created, true, "earlier fire created")
        try expectEqual(
            try await backend.eventStates()["nightly"],
            EventState(name: "nightly", lastFire: t0 + 120, lastJob: JobID(unchecked: "early"), bootID: "boot-a"),
            "state after an earlier fire")
        _ = try await backend.recordFire(FireRecord(event: "nightly", instant: t0, job: nil), token: lease.token, maxQueued: [:])
        try expectEqual(try await backend.eventStates()["nightly"]?.lastFire, t0 + 120, "last fire after an earlier skip")
    }

    @Sendable static func fireIntoAFullQueueWritesNothing(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.enqueue([makeJob("waiting")], maxQueued: [:])
        try await expectTockError("a fire into a full queue", { $0 == .queueFull("default", maxQueued: 1) }) {
            _ = try await backend.recordFire(
                FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1")), token: lease.token,
                maxQueued: ["default": 1])
        }
        try expectEqual(try await backend.job(JobID(unchecked: "nightly-1")), nil, "job of a refused fire")
        try expectEqual(try await backend.eventStates(), [:], "event states after a refused fire")
        // The same job already stored is not counted again.
        let again = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: makeJob("waiting")), token: lease.token, maxQueued: ["default": 1])
        try expectEqual(again?.created, false, "a fire whose job is already queued")
    }

    @Sendable static func neverFiredEventHasNoState(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.eventStates(), [:], "event states of a new backend")
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1")), token: lease.token, maxQueued: [:])
        let states = try await backend.eventStates()
        try expectEqual(Array(states.keys), ["nightly"], "events with a state")
        try expectEqual(states["hourly"], nil, "state of an event that never fired")
    }
}

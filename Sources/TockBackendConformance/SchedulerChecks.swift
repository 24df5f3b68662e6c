import Foundation
import TockCore

/// The scheduler's store: the leader lease and its fencing tokens, and the switches an
/// operator sets. Fires are in `SchedulerChecks+Fire.swift`.
enum SchedulerChecks {
    /// Takes the lease for `holder` or fails the check.
    static func acquire(
        _ backend: any TockBackend, _ holder: String, for duration: TimeInterval = 30, at now: Date, line: UInt = #line
    ) async throws -> SchedulerLease {
        guard let lease = try await backend.acquireLease(holder: holder, duration: duration, now: now) else {
            throw ConformanceFailure("\(holder) did not get the lease at \(now)", line: line)
        }
        return lease
    }

    @Sendable static func leaseIsAcquiredRenewedRefusedAndTakenOver(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.lease(), nil, "lease before any was taken")
        let first = try await acquire(backend, "a", at: t0)
        try expectEqual(first, SchedulerLease(holder: "a", token: first.token, expiresAt: t0 + 30), "first lease")
        try expectEqual(
            try await backend.acquireLease(holder: "b", duration: 30, now: t0 + 10), nil, "another holder while it lasts")
        let renewed = try await acquire(backend, "a", at: t0 + 20)
        try expectEqual(renewed, SchedulerLease(holder: "a", token: first.token, expiresAt: t0 + 50), "renewed lease")
        try expectEqual(try await backend.lease(), renewed, "stored lease after renewal")
        try expectEqual(
            try await backend.acquireLease(holder: "b", duration: 30, now: t0 + 49), nil, "another holder just before expiry")
        // A lease has expired at its expiry instant.
        let takeover = try await acquire(backend, "b", at: t0 + 50)
        try expect(takeover.token > first.token, "takeover token \(takeover.token) not above \(first.token)")
        try expectEqual(takeover.expiresAt, t0 + 80, "takeover expiry")
        try expectEqual(try await backend.acquireLease(holder: "a", duration: 30, now: t0 + 60), nil, "the old holder")
        try expectEqual(try await backend.lease(), takeover, "stored lease after takeover")
        // The old holder coming back after expiry is a new holder: a new token.
        let back = try await acquire(backend, "a", at: t0 + 100)
        try expect(back.token > takeover.token, "token \(back.token) of a returning holder not above \(takeover.token)")
        let again = try await acquire(backend, "a", at: t0 + 200)
        try expect(again.token > back.token, "token \(again.token) after its own lease expired not above \(back.token)")
    }

    @Sendable static func releaseLetsAnotherTakeOverAtOnce(_ backend: any TockBackend) async throws {
        let first = try await acquire(backend, "a", at: t0)
        try await backend.releaseLease(holder: "b")
        try expectEqual(try await backend.lease(), first, "lease after a release by a non-holder")
        try await backend.releaseLease(holder: "a")
        guard let released = try await backend.lease() else { throw ConformanceFailure("no lease after a release") }
        try expect(released.expiresAt <= t0, "released lease expires at \(released.expiresAt)")
        try expectEqual(released.token, first.token, "released lease's token")
        let second = try await acquire(backend, "b", at: t0 + 1)
        try expect(second.token > first.token, "token \(second.token) after a release not above \(first.token)")
        try await backend.releaseLease(holder: "b")
        let third = try await acquire(backend, "b", at: t0 + 2)
        try expect(third.token > second.token, "token \(third.token) of the same holder after release not above \(second.token)")
    }

    @Sendable static func enabledOverrideRoundTrips(_ backend: any TockBackend) async throws {
        try await backend.setEventEnabled("nightly", enabled: false)
        try expectEqual(
            try await backend.eventStates()["nightly"], EventState(name: "nightly", enabledOverride: false), "disabled")
        try await backend.setEventEnabled("nightly", enabled: true)
        try expectEqual(try await backend.eventStates()["nightly"]?.enabledOverride, true, "enabled")
        // A fire keeps the override; the override keeps the fire.
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1")), token: lease.token, maxQueued: [:])
        try await backend.setEventEnabled("nightly", enabled: false)
        try expectEqual(
            try await backend.eventStates()["nightly"],
            EventState(name: "nightly", lastFire: t0, lastJob: JobID(unchecked: "nightly-1"), enabledOverride: false),
            "state after a fire and a disable")
        try await backend.setEventEnabled("nightly", enabled: nil)
        try expectEqual(
            try await backend.eventStates()["nightly"],
            EventState(name: "nightly", lastFire: t0, lastJob: JobID(unchecked: "nightly-1")), "state after clearing")
        // The overrides alone: only events that have one.
        try await backend.setEventEnabled("weekly", enabled: false)
        try await backend.setEventEnabled("hourly", enabled: true)
        try expectEqual(try await backend.eventOverrides(), ["weekly": false, "hourly": true], "overrides")
    }

    /// An event's last success only moves forward, lives beside its other state, and is
    /// kept for an event that never fired (a manual run).
    @Sendable static func lastSuccessKeepsTheLatest(_ backend: any TockBackend) async throws {
        let lease = try await acquire(backend, "a", at: t0)
        _ = try await backend.recordFire(
            FireRecord(event: "nightly", instant: t0, job: makeJob("nightly-1")), token: lease.token, maxQueued: [:])
        try await backend.recordEventSuccess("nightly", at: t0 + 30.000_001)
        try await backend.recordEventSuccess("nightly", at: t0 + 10)
        try expectEqual(
            try await backend.eventStates()["nightly"],
            EventState(name: "nightly", lastFire: t0, lastJob: JobID(unchecked: "nightly-1"), lastSuccess: t0 + 30.000_001),
            "state after two successes, the later first")
        try await backend.recordEventSuccess("adhoc", at: t0 + 5)
        try expectEqual(try await backend.eventStates()["adhoc"], EventState(name: "adhoc", lastSuccess: t0 + 5), "a manual run's success")
    }

    @Sendable static func pauseAndResume(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.isPaused(), false, "paused before any switch")
        try await backend.setPaused(true)
        try expectEqual(try await backend.isPaused(), true, "paused after pause")
        try await backend.setPaused(true)
        try expectEqual(try await backend.isPaused(), true, "paused after pausing twice")
        try await backend.setPaused(false)
        try expectEqual(try await backend.isPaused(), false, "paused after resume")
    }
}

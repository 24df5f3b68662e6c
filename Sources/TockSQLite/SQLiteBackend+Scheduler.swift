import Foundation
import GRDB
import TockCore

/// The scheduler's state in the `scheduler_*` tables (see ``Schema/version2``). Every
/// write is one `BEGIN IMMEDIATE` transaction, so schedulers in different processes see
/// each other's lease before they decide. Times are whole microseconds, as for jobs: a
/// returned lease's expiry and an event's last fire are rounded so.
extension SQLiteBackend: SchedulerStore {
    /// Takes or renews the lease in one transaction; see
    /// ``TockCore/SchedulerStore/acquireLease(holder:duration:now:)``. A lease whose
    /// expiry is not after `now` (to the microsecond) has expired.
    ///
    /// - Returns: The lease as stored, or `nil` while another holder's has not expired.
    public func acquireLease(holder: String, duration: TimeInterval, now: Date) async throws -> SchedulerLease? {
        try await write { tables in
            let current = try tables.schedulerLease()
            let live = current.map { $0.expiresAt > StoredTime.rounded(now) } ?? false
            if let current, live, current.holder != holder { return nil }
            let token: Int64
            if let current { token = live ? current.token : current.token + 1 } else { token = 1 }
            let lease = SchedulerLease(
                holder: holder, token: token, expiresAt: StoredTime.rounded(now.addingTimeInterval(duration)))
            try tables.saveSchedulerLease(lease)
            return lease
        }
    }

    /// Expires the lease at once if `holder` holds it, keeping its token so that the next
    /// holder's is larger. Does nothing otherwise.
    public func releaseLease(holder: String) async throws {
        try await write { tables in try tables.expireSchedulerLease(holder: holder, at: .distantPast) }
    }

    /// The lease as stored (possibly expired or released), if one was ever taken.
    public func lease() async throws -> SchedulerLease? {
        try await read { tables in try tables.schedulerLease() }
    }

    /// Checks the token, enqueues the fire's job (as ``enqueue(_:maxQueued:)`` does) and
    /// updates the event's row, in one transaction; see
    /// ``TockCore/SchedulerStore/recordFire(_:token:maxQueued:)``.
    ///
    /// - Returns: What the enqueue did, or `nil` for a skipped fire.
    /// - Throws: ``TockCore/TockError/fenced(token:current:)`` when `token` is not the
    ///   stored lease's, ``TockCore/TockError/queueFull(_:maxQueued:)``; nothing is
    ///   written then.
    public func recordFire(_ fire: FireRecord, token: Int64, maxQueued: [String: Int]) async throws -> EnqueueOutcome? {
        try await write { tables in
            let current = try tables.schedulerLease()?.token
            guard current == token else { throw TockError.fenced(token: token, current: current) }
            let outcome = try fire.job.flatMap { try tables.enqueue([$0], maxQueued: maxQueued).first }
            try tables.recordEventFire(fire)
            return outcome
        }
    }

    /// Many fires in one transaction, all or none.
    public func recordFires(_ fires: [FireRecord], token: Int64, maxQueued: [String: Int]) async throws -> [EnqueueOutcome?] {
        try await write { tables in
            let current = try tables.schedulerLease()?.token
            guard current == token else { throw TockError.fenced(token: token, current: current) }
            var outcomes: [EnqueueOutcome?] = []
            outcomes.reserveCapacity(fires.count)
            for fire in fires {
                outcomes.append(try fire.job.flatMap { try tables.enqueue([$0], maxQueued: maxQueued).first })
                try tables.recordEventFire(fire)
            }
            return outcomes
        }
    }

    /// Every event that ever fired or was switched on or off, by name.
    public func eventStates() async throws -> [String: EventState] {
        try await read { tables in try tables.eventStates() }
    }

    /// The operators' overrides alone.
    public func eventOverrides() async throws -> [String: Bool] {
        try await read { tables in try tables.eventOverrides() }
    }

    /// Stores an operator's override of the event's `enabled` (`nil` clears it).
    public func setEventEnabled(_ name: String, enabled: Bool?) async throws {
        try await write { tables in try tables.setEventEnabled(name, enabled: enabled) }
    }

    public func recordEventSuccess(_ name: String, at: Date) async throws {
        try await write { tables in try tables.recordEventSuccess(name, at: at) }
    }

    /// Stores the pause switch.
    public func setPaused(_ paused: Bool) async throws {
        try await write { tables in try tables.setSchedulerPaused(paused) }
    }

    /// The pause switch; `false` when never set.
    public func isPaused() async throws -> Bool {
        try await read { tables in try tables.schedulerPaused() }
    }
}

import Foundation

extension MemoryBackend {
    public func acquireLease(holder: String, duration: TimeInterval, now: Date) -> SchedulerLease? {
        if let current = leaseRecord, current.holder != holder, current.expiresAt > now { return nil }
        let token = leaseRecord.map { $0.holder == holder && $0.expiresAt > now ? $0.token : $0.token + 1 } ?? 1
        let lease = SchedulerLease(holder: holder, token: token, expiresAt: now.addingTimeInterval(duration))
        leaseRecord = lease
        return lease
    }

    public func releaseLease(holder: String) {
        guard var lease = leaseRecord, lease.holder == holder else { return }
        lease.expiresAt = .distantPast
        leaseRecord = lease
    }

    public func lease() -> SchedulerLease? { leaseRecord }

    public func recordFire(_ fire: FireRecord, token: Int64, maxQueued: [String: Int]) throws -> EnqueueOutcome? {
        guard let lease = leaseRecord, lease.token == token else {
            throw TockError.fenced(token: token, current: leaseRecord?.token)
        }
        var outcome: EnqueueOutcome?
        if let job = fire.job { outcome = try enqueue([job], maxQueued: maxQueued).first }
        eventStateRecords[fire.event, default: EventState(name: fire.event)].record(fire)
        return outcome
    }

    /// All or none: on an error the jobs, events and states are as before.
    public func recordFires(_ fires: [FireRecord], token: Int64, maxQueued: [String: Int]) throws -> [EnqueueOutcome?] {
        let saved = (jobs, creationOrder, eventLog, eventStateRecords)
        do {
            return try fires.map { try recordFire($0, token: token, maxQueued: maxQueued) }
        } catch {
            (jobs, creationOrder, eventLog, eventStateRecords) = saved
            throw error
        }
    }

    public func eventStates() -> [String: EventState] { eventStateRecords }

    public func eventOverrides() -> [String: Bool] {
        eventStateRecords.compactMapValues(\.enabledOverride)
    }

    public func setEventEnabled(_ name: String, enabled: Bool?) {
        var state = eventStateRecords[name] ?? EventState(name: name)
        state.enabledOverride = enabled
        eventStateRecords[name] = state
    }

    public func recordEventSuccess(_ name: String, at: Date) {
        var state = eventStateRecords[name] ?? EventState(name: name)
        let at = MicrosecondTime.rounded(at)
        if state.lastSuccess.map({ at > $0 }) ?? true { state.lastSuccess = at }
        eventStateRecords[name] = state
    }

    public func setPaused(_ paused: Bool) { pausedFlag = paused }

    public func isPaused() -> Bool { pausedFlag }
}
